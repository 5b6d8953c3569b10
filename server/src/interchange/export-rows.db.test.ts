import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/support/database.js';
import { compactRowSql, parseCompactRow } from './export-rows.js';

const test = useTestDatabase();

/** Rows with every awkward value a field can hold, typed as the frozen rows' columns. */
const ROWS = `(VALUES
  (9007199254740991::bigint, 1, 2, '00000000-0000-4000-8000-000000000001'::uuid, false, true, 0.1::float8,
   '{"x1": 1.5, "x2": 13, "y1": -0.25, "y2": 1e300}'::jsonb, 'plain', 7, '2026-11-27 10:14:00.123456+00'::timestamptz,
   NULL::int, '2026-11-27 10:15:00+00'::timestamptz, '{"a|b": "c\\"|d"}'::jsonb),
  (2, 3, 4, '00000000-0000-4000-8000-000000000002', true, false, NULL,
   NULL, E'pipes | "quotes" \\\\ back\\nslash\\ttab \\u00e9\\u4e2d \\U0001F600 |', NULL, '2026-01-01 00:00:00+00',
   5, '2026-01-02 00:00:00+00', NULL),
  (3, 3, 4, '00000000-0000-4000-8000-000000000003', false, false, -1.7976931348623157e308,
   '{"x1": 0, "y1": 0, "frame": 2}', '', NULL, '2026-01-01 00:00:00+00', NULL, '2026-01-01 00:00:00+00', '[1, "|"]')
) AS r(id, image_id, annotation_type_id, unique_identifier, deleted, generated, score, vector, description,
       user_id, time, last_editor_id, last_edit_time, meta_data)`;

/** The same rows as `pg` parses them column by column (the way exports read them before). */
async function columnRows(extended: boolean) {
  return test.db.query(
    `SELECT r.id::float8 AS id, r.image_id, r.unique_identifier, r.annotation_type_id, r.vector, r.deleted,
       r.description, r.generated, r.score
       ${extended ? ', r.user_id, r.time, r.last_editor_id, r.last_edit_time, r.meta_data' : ''}
     FROM ${ROWS} ORDER BY r.id`,
  );
}

describe('compact export rows', () => {
  for (const extended of [false, true]) {
    it(`read back exactly what the columns hold (${extended ? 'extended' : 'standard'})`, async () => {
      const texts = await test.db.query<{ row: string }>(
        `SELECT ${compactRowSql(extended)} AS row FROM ${ROWS} ORDER BY r.id`,
      );
      const parsed = texts.map((t) => parseCompactRow(t.row, extended));
      expect(parsed).toEqual(await columnRows(extended));
      expect(parsed[0]?.description).toContain('pipes | "quotes" \\ back\nslash\ttab é中 😀 |');
    });
  }

  it('refuses a text that is not a compact row', () => {
    expect(() => parseCompactRow('1|2|3', false)).toThrow(/field is missing/);
    expect(() => parseCompactRow('1|2|3|u|false|false||plain|null', false)).toThrow(/JSON string/);
  });
});
