import type { Vector } from '@tessera/shared';
import type { ExportRow } from './export-model.js';

/*
 * Export rows travel from PostgreSQL as one text per row, split here by hand. `pg` turning nine
 * columns into an object (a string and a type parser per field, the object, their garbage) cost
 * 2.7-3.1 s of this process's CPU per 1,000,000 rows just to fetch them; one text column costs
 * 0.8-1.0 s, and splitting it here about 1 s more, half of it JSON.parse of the vectors (README.md).
 * Fixed fields first, separated by `|` (none of them can hold one), then the description as a JSON
 * string, then the vector's JSON: the fields that can hold any character come last, where no split
 * is needed.
 */

/** SQL of the compact text of row `r` (alias); `extended` adds creator, editor, times, meta data. */
export function compactRowSql(extended: boolean): string {
  const fixed = [
    'r.id',
    'r.image_id',
    'r.annotation_type_id',
    'r.unique_identifier',
    'r.deleted',
    'r.generated',
    `coalesce(r.score::text, '')`,
    ...(extended
      ? [
          `coalesce(r.user_id::text, '')`,
          'r.time',
          `coalesce(r.last_editor_id::text, '')`,
          'r.last_edit_time',
        ]
      : []),
    'to_json(r.description)',
  ];
  // Extended rows end in a JSON array of the vector and the meta data (both may hold any text).
  const tail = extended
    ? `'[' || coalesce(r.vector::text, 'null') || ',' || coalesce(r.meta_data::text, 'null') || ']'`
    : `coalesce(r.vector::text, 'null')`;
  return [...fixed, tail].join(` || '|' || `);
}

/** A cursor over one compact row's text. */
class FieldReader {
  private pos = 0;
  constructor(private readonly text: string) {}

  /** The next `|`-terminated field. */
  field(): string {
    const end = this.text.indexOf('|', this.pos);
    if (end < 0) throw new Error('export row: a field is missing');
    const value = this.text.slice(this.pos, end);
    this.pos = end + 1;
    return value;
  }

  number(): number {
    return Number(this.field());
  }

  numberOrNull(): number | null {
    const value = this.field();
    return value === '' ? null : Number(value);
  }

  /** A JSON string and the `|` after it; decoded by JSON.parse only when it holds an escape. */
  jsonString(): string {
    const start = this.pos;
    if (this.text[start] !== '"') throw new Error('export row: the description is not a JSON string');
    let escaped = false;
    let i = start + 1;
    for (; i < this.text.length; i++) {
      const c = this.text.charCodeAt(i);
      if (c === 0x5c) {
        escaped = true;
        i++;
      } else if (c === 0x22) break;
    }
    if (this.text[i + 1] !== '|') throw new Error('export row: the description is not terminated');
    this.pos = i + 2;
    return escaped ? (JSON.parse(this.text.slice(start, i + 1)) as string) : this.text.slice(start + 1, i);
  }

  /** The rest of the text. */
  rest(): string {
    return this.text.slice(this.pos);
  }
}

/** Parses the text `compactRowSql(extended)` made back into the row. */
export function parseCompactRow(text: string, extended: boolean): ExportRow {
  const r = new FieldReader(text);
  const id = r.number();
  const image_id = r.number();
  const annotation_type_id = r.number();
  const unique_identifier = r.field();
  const deleted = r.field() === 'true';
  const generated = r.field() === 'true';
  const score = r.numberOrNull();
  const common = { id, image_id, annotation_type_id, unique_identifier, deleted, generated, score };
  if (!extended) {
    const description = r.jsonString();
    // Our own column, written through the documents' schema: a Vector or null.
    const vector = JSON.parse(r.rest()) as Vector | null;
    return { ...common, description, vector };
  }
  const user_id = r.numberOrNull();
  const time = r.field();
  const last_editor_id = r.numberOrNull();
  const last_edit_time = r.field();
  const description = r.jsonString();
  const [vector, meta_data] = JSON.parse(r.rest()) as [Vector | null, unknown];
  return { ...common, description, vector, user_id, time, last_editor_id, last_edit_time, meta_data };
}
