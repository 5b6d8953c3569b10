// Every change this browser makes to the image's document: checked with shared's schema before it is
// written (so the server's validator refuses only what a concurrent edit made invalid), written through
// shared's helpers in one transaction per action, and recorded for undo.
import type * as Y from 'yjs';
import {
  annotationProblem,
  annotationsOf,
  createAnnotation,
  readRecord,
  sameJson,
  updateFields,
  vectorSchema,
  type AnnotationRecord,
  type AnnotationTypes,
  type EditableField,
  type FieldChanges,
  type Vector,
} from '@tessera/shared';
import { EditHistory, type FieldEdit } from './edit-history';

/** The origin of this browser's own transactions (remote ones carry the provider as origin). */
export const LOCAL_ORIGIN = Symbol('local edit');

/** This browser's writes to one document, for one user and the set's types. */
export class AnnotationEditor {
  readonly history = new EditHistory();

  constructor(
    private readonly doc: Y.Doc,
    private readonly userId: number,
    private readonly types: AnnotationTypes,
  ) {}

  /** Why an annotation of `type` with `vector` would be refused, or null if it is fine. */
  problemWith(type: number, vector: Vector | null): string | null {
    const rule = this.types.get(type);
    if (rule === undefined) return `annotation type ${type} is not available here`;
    const parsed = vectorSchema(rule.vectorType, rule.nodeCount).safeParse(vector);
    return parsed.success ? null : (parsed.error.issues[0]?.message ?? 'invalid shape');
  }

  /** Creates an annotation; returns its id, or the problem that kept it from being written. */
  create(type: number, vector: Vector | null): { id: string } | { problem: string } {
    const problem = this.problemWith(type, vector);
    if (problem !== null) return { problem };
    const id = crypto.randomUUID();
    createAnnotation(this.doc, { id, type, vector }, { userId: this.userId }, LOCAL_ORIGIN);
    this.history.record([{ id, before: { deleted: true }, after: { deleted: false } }]);
    return { id };
  }

  /**
   * Changes fields of several annotations as one action (one transaction, one undo step). Changes
   * that would make an annotation invalid (e.g. a relabel to a type of another geometry) are skipped;
   * returns the ids changed.
   */
  change(changes: ReadonlyMap<string, FieldChanges>): string[] {
    const group: FieldEdit[] = [];
    this.doc.transact(() => {
      for (const [id, fields] of changes) {
        const edit = this.write(id, fields);
        if (edit !== null) group.push(edit);
      }
    }, LOCAL_ORIGIN);
    this.history.record(group);
    return group.map((e) => e.id);
  }

  /** Soft-deletes annotations as one action. */
  remove(ids: Iterable<string>): string[] {
    return this.change(new Map([...ids].map((id) => [id, { deleted: true }])));
  }

  /**
   * Gives annotations another type of the same geometry (a line never becomes a box, even where its
   * two points would pass as one); returns the ids relabelled.
   */
  relabel(ids: Iterable<string>, type: number): string[] {
    const geometry = this.types.get(type)?.vectorType;
    const fitting = [...ids].filter((id) => {
      const current = readRecord(this.doc, id)?.['type'];
      return typeof current === 'number' && this.types.get(current)?.vectorType === geometry;
    });
    return this.change(new Map(fitting.map((id) => [id, { type }])));
  }

  undo(): boolean {
    return this.history.undo((edits) => {
      this.applyWhereUnchanged(edits);
    });
  }

  redo(): boolean {
    return this.history.redo((edits) => {
      this.applyWhereUnchanged(edits);
    });
  }

  private applyWhereUnchanged(edits: readonly { id: string; expected: FieldChanges; next: FieldChanges }[]) {
    this.doc.transact(() => {
      for (const { id, expected, next } of edits) {
        const current = readRecord(this.doc, id);
        if (current === null) continue;
        const fields: FieldChanges = {};
        for (const field of Object.keys(next) as EditableField[]) {
          if (sameJson(current[field], expected[field])) Object.assign(fields, { [field]: next[field] });
        }
        if (this.valid({ ...current, ...fields })) {
          updateFields(this.doc, id, fields, { userId: this.userId }, LOCAL_ORIGIN);
        }
      }
    }, LOCAL_ORIGIN);
  }

  private write(id: string, fields: FieldChanges): FieldEdit | null {
    const current = readRecord(this.doc, id);
    if (current === null || !annotationsOf(this.doc).has(id)) return null;
    // A type must be one of the set's; only an annotation already carrying a retired type keeps it.
    if (fields.type !== undefined && !this.types.has(fields.type)) return null;
    if (!this.valid({ ...current, ...fields })) return null;
    const before: FieldChanges = {};
    for (const field of Object.keys(fields) as EditableField[]) {
      Object.assign(before, { [field]: current[field] });
    }
    const changed = updateFields(this.doc, id, fields, { userId: this.userId }, LOCAL_ORIGIN);
    if (changed.length === 0) return null;
    return { id, before, after: fields };
  }

  /** Whether a record as it would be after a change passes the schema (retired types tolerated). */
  private valid(record: Record<string, unknown>): boolean {
    const withStamp = { ...record, edited: { by: this.userId, at: Date.now() } } as AnnotationRecord;
    const rule = this.types.get(withStamp.type);
    if (rule === undefined)
      return annotationProblem(withStamp, this.types, { allowRetiredType: true }) === null;
    return annotationProblem(withStamp, this.types) === null;
  }
}
