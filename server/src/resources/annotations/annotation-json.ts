/**
 * A projected annotation `a` as EXACT's annotation object (the shape of `restAnnotation`, fields in
 * its order) in JSON text, built by PostgreSQL, so that a page reaches this (single-threaded) process
 * as one text: no column parsed, no object per row, no string assembled here. The text is the one
 * `JSON.stringify(presentAnnotation(row))` writes, byte for byte (annotation-json.test.ts):
 * - `vector` and `meta_data` are jsonb's own text, as the object path reads them;
 * - the description goes through `to_json`, which escapes exactly what `JSON.stringify` escapes
 *   (PostgreSQL text holds no lone surrogate, the one case where they could differ);
 * - timestamps in EXACT's form, with all six fraction digits (`formatTimestamp`);
 * - booleans cast to text (their output function writes `t` and `f`);
 * - the score as JavaScript prints the double (`scoreJson`).
 * One `concat` rather than a chain of `||`: each `||` with an untyped literal is an operator lookup
 * at parse time, which made parsing and planning the page query cost as much as running it.
 * `concat` skips nulls, so every nullable column is coalesced to `null`.
 */
const ANNOTATION_JSON_SQL = `concat('{"id":', a.id, ',"unique_identifier":"', a.unique_identifier,
  '","annotation_type":', a.annotation_type_id, ',"image":', a.image_id,
  ',"vector":', coalesce(a.vector::text, 'null'), ',"deleted":', a.deleted::text,
  ',"description":', to_json(a.description), ',"meta_data":', coalesce(a.meta_data::text, 'null'),
  ',"user":', coalesce(a.user_id::text, 'null'), ',"time":"', ${exactTime('a.time')},
  '","last_editor":', coalesce(a.last_editor_id::text, 'null'),
  ',"last_edit_time":"', ${exactTime('a.last_edit_time')},
  '","generated":', a.generated::text, ',"score":', ${scoreJson('a.score')}, '}')`;

/**
 * The SELECT list of a query over a page `a` (rows of `annotations`): the page as a JSON array in id
 * order (`json`), and its last id (`last_id`, null on an empty page).
 */
export const ANNOTATION_PAGE_JSON_SQL = `concat('[', string_agg(${ANNOTATION_JSON_SQL}, ',' ORDER BY a.id), ']')
  AS json, max(a.id) AS last_id`;

/** EXACT's timestamp form, "2024-05-01T10:11:12.123400": UTC, no zone, six fraction digits. */
function exactTime(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`;
}

/**
 * A float8 as `String(number)` writes it, null where JSON has no number (NaN, the infinities) as
 * `JSON.stringify` does. PostgreSQL prints the same shortest digits as JavaScript, but uses an
 * exponent outside [1e-4, 1e15) where JavaScript does outside [1e-6, 1e21), pads the exponent to two
 * digits ("1e-07", JavaScript "1e-7") and keeps the sign of minus zero. In between, the numeric
 * cast writes the same digits without exponent.
 */
function scoreJson(column: string): string {
  return `CASE WHEN ${column} IS NULL OR ${column} IN ('NaN', 'Infinity', '-Infinity') THEN 'null'
    WHEN ${column} = 0 THEN '0'
    WHEN abs(${column}) >= 1e-4 AND abs(${column}) < 1e15 THEN ${column}::text
    WHEN abs(${column}) >= 1e-6 AND abs(${column}) < 1e21 THEN ${column}::text::numeric::text
    ELSE regexp_replace(${column}::text, 'e([+-])0*', 'e\\1') END`;
}
