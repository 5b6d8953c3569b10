import { formatTimestamp } from '../db/timestamps.js';

/**
 * A projected annotation as the list query reads it for JSON output: the JSON columns (`vector`,
 * `meta_data`) as PostgreSQL's text of them, which is JSON already, so they are never parsed here.
 */
export interface AnnotationJsonRow {
  id: number;
  unique_identifier: string;
  annotation_type_id: number;
  image_id: number;
  vector: string | null;
  deleted: boolean;
  description: string;
  meta_data: string | null;
  user_id: number | null;
  time: string;
  last_editor_id: number | null;
  last_edit_time: string;
  generated: boolean;
  score: number | null;
}

/** The SELECT list that reads `AnnotationJsonRow`s from `annotations a`. */
export const ANNOTATION_JSON_COLUMNS = `a.id, a.unique_identifier, a.annotation_type_id, a.image_id,
  a.vector::text AS vector, a.deleted, a.description, a.meta_data::text AS meta_data, a.user_id, a.time,
  a.last_editor_id, a.last_edit_time, a.generated, a.score`;

/**
 * EXACT's annotation object (the shape of `restAnnotation`, fields in its order) as JSON text. A page
 * of 1,000 built this way skips parsing the JSON columns, an object per row and `JSON.stringify` of
 * the page: about a quarter of a list page's server time (measured with bench/collab/rest-list.js).
 */
export function annotationJson(row: AnnotationJsonRow): string {
  return (
    `{"id":${row.id},"unique_identifier":${JSON.stringify(row.unique_identifier)}` +
    `,"annotation_type":${row.annotation_type_id},"image":${row.image_id}` +
    `,"vector":${row.vector ?? 'null'},"deleted":${row.deleted}` +
    `,"description":${JSON.stringify(row.description)},"meta_data":${row.meta_data ?? 'null'}` +
    `,"user":${row.user_id ?? 'null'},"time":${timestampJson(row.time)}` +
    `,"last_editor":${row.last_editor_id ?? 'null'},"last_edit_time":${timestampJson(row.last_edit_time)}` +
    `,"generated":${row.generated},"score":${numberJson(row.score)}}`
  );
}

/** A page of rows as a JSON array. */
export function annotationsJson(rows: readonly AnnotationJsonRow[]): string {
  return `[${rows.map(annotationJson).join(',')}]`;
}

/**
 * `formatTimestamp` as a JSON string, by slicing for PostgreSQL's usual UTC form
 * ("2024-05-01 10:11:12.1234+00"); anything else takes the checked path.
 */
function timestampJson(value: string): string {
  if (value.length >= 22 && value.length <= 29 && value.endsWith('+00') && value[10] === ' ') {
    const fraction = value.length > 22 ? value.slice(20, -3) : '';
    if (value.length === 22 || value[19] === '.')
      return `"${value.slice(0, 10)}T${value.slice(11, 19)}.${fraction.padEnd(6, '0')}"`;
  }
  return JSON.stringify(formatTimestamp(value));
}

/** JSON has no NaN or infinities: `JSON.stringify` writes them as null, and so does this. */
function numberJson(value: number | null): string {
  return value !== null && Number.isFinite(value) ? String(value) : 'null';
}
