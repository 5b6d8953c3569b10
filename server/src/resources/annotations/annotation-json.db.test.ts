import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../../test/support/database.js';
import { Factories } from '../../../../test/support/factories.js';
import type { ListViewer } from '../users/users.repo.js';
import { AnnotationsRepo, type AnnotationRow } from './annotations.repo.js';
import { presentAnnotation } from './annotations.service.js';

const test = useTestDatabase();

/** Descriptions JSON must escape, or must not: quotes, controls, line separators, astral characters. */
const DESCRIPTIONS = [
  'q " b \\ / n \n r \r t \t f \f b \b',
  'controls \u0001 \u001f del \u007f',
  'line separators \u2028 \u2029, é 中 😀',
  '',
];

/** Scores at every bound where PostgreSQL's and JavaScript's number texts part (and a few between). */
const SCORES = [
  'NULL',
  `'NaN'`,
  `'Infinity'`,
  `'-Infinity'`,
  `'-0'`,
  '0',
  '0.25',
  '0.1::float8 + 0.2::float8',
  '1e-4',
  '-5e-5',
  '1e-6',
  '1.5e-7',
  '-2.5e-300',
  '123.456',
  '999999999999999.9',
  '1e15',
  '1234567890123456.8',
  '-1e20',
  '1e21',
  '1.7976931348623157e308',
  '5e-324',
];

/** Timestamps PostgreSQL prints with 0 to 6 fraction digits, and a year before 1000. */
const TIMES = [
  '2024-05-01 10:11:12.123456+00',
  '2024-05-01 10:11:12+00',
  '2024-05-01 10:11:12.1+00',
  '1999-12-31 23:59:59.000001+00',
  '0999-01-02 03:04:05.5+00',
];

async function seed() {
  const make = new Factories(test.db);
  const admin = await make.user();
  const member = await make.user();
  const team = await make.team({ admins: [admin], members: [member] });
  const set = await make.imageSet(team, admin);
  const type = await make.annotationType(await make.product(team, admin, [set]));
  const image = await make.image(set, admin);
  await test.db.query(
    `INSERT INTO annotations (unique_identifier, document, image_id, image_set_id, annotation_type_id, vector,
       description, meta_data, user_id, time, last_editor_id, last_edit_time, deleted, generated, score)
     SELECT gen_random_uuid(), 'image.' || $1::int, $1::int, $2::int, $3::int,
       CASE WHEN n % 4 = 3 THEN NULL ELSE jsonb_build_object('x1', n + 0.5, 'y1', -n, 'x2', 1e300, 'y2', n) END,
       ($5::text[])[1 + n % cardinality($5::text[])],
       CASE n % 3 WHEN 0 THEN NULL WHEN 1 THEN '{"note": "a \\"b\\" \\u00e9 😀", "list": [1, 2.5, null, true]}'::jsonb
         ELSE '"just a string"'::jsonb END,
       CASE WHEN n % 5 = 0 THEN NULL ELSE $4::int END,
       ($6::timestamptz[])[1 + n % cardinality($6::timestamptz[])], CASE WHEN n % 2 = 0 THEN $4::int END,
       ($6::timestamptz[])[1 + (n + 2) % cardinality($6::timestamptz[])], n % 7 = 0, n % 2 = 1,
       (ARRAY[${SCORES.map((s) => `${s}::float8`).join(', ')}])[1 + n % ${SCORES.length}]
     FROM generate_series(0, $7::int - 1) AS n`,
    [image, set, type, admin.id, DESCRIPTIONS, TIMES, SCORES.length * 2],
  );
  return { image, member: { id: member.id, isSuperuser: false } satisfies ListViewer };
}

/**
 * What the object path sends for these rows, except that `vector` and `meta_data` are PostgreSQL's
 * text of the jsonb (as both list paths have always sent them) instead of `JSON.stringify`'s.
 */
async function expectedText(rows: AnnotationRow[]): Promise<string> {
  const texts = await test.db.query<{ id: number; vector: string | null; meta_data: string | null }>(
    'SELECT id, vector::text AS vector, meta_data::text AS meta_data FROM annotations WHERE id = ANY($1::int[])',
    [rows.map((r) => r.id)],
  );
  const byId = new Map(texts.map((t) => [t.id, t]));
  const objects = rows.map((row) => {
    const json = byId.get(row.id);
    const text = JSON.stringify({ ...presentAnnotation(row), vector: '\0vector', meta_data: '\0meta' });
    // Functions as replacements: a `$` in the JSON must not be read as a pattern.
    return text
      .replace('"\\u0000vector"', () => json?.vector ?? 'null')
      .replace('"\\u0000meta"', () => json?.meta_data ?? 'null');
  });
  return `[${objects.join(',')}]`;
}

describe('annotation pages as JSON text built by PostgreSQL', () => {
  it('writes, byte for byte, what the object path presents', async () => {
    const { image, member } = await seed();
    const repo = new AnnotationsRepo(test.db);
    const filters = [{ name: 'image', lookup: 'exact', value: image }] as const;
    const { rows } = await repo.list(member, filters);
    expect(rows).toHaveLength(SCORES.length * 2);

    const page = await repo.listJson(member, filters, { limit: 1000, offset: 0 });
    expect(page.json).toBe(await expectedText(rows));
    expect(page).toMatchObject({ count: rows.length, lastId: rows.at(-1)?.id });
    // The same values as JSON.stringify of the objects (vector and meta_data included).
    expect(JSON.parse(page.json)).toEqual(JSON.parse(JSON.stringify(rows.map(presentAnnotation))));
    const scores = (JSON.parse(page.json) as { score: number | null }[]).map((a) => a.score);
    expect(scores.slice(0, 8)).toEqual([null, null, null, null, 0, 0, 0.25, 0.30000000000000004]);
  });

  it('pages by offset and after a cursor in id order, and answers an empty page', async () => {
    const { image } = await seed();
    const repo = new AnnotationsRepo(test.db);
    const admin = { id: 0, isSuperuser: true };
    const filters = [{ name: 'image', lookup: 'exact', value: image }] as const;
    const { rows } = await repo.list(admin, filters);
    const byOffset = await repo.listJson(admin, filters, { limit: 5, offset: 3 });
    expect(byOffset.json).toBe(await expectedText(rows.slice(3, 8)));
    expect(byOffset).toMatchObject({ count: rows.length, lastId: rows[7]?.id });

    const after = await repo.listJson(admin, filters, {
      limit: 4,
      offset: 8,
      after: byOffset.lastId,
      knownCount: 1234,
    });
    expect(after.json).toBe(await expectedText(rows.slice(8, 12)));
    expect(after).toMatchObject({ count: 1234, lastId: rows[11]?.id });

    const beyond = await repo.listJson(admin, filters, { limit: 4, offset: rows.length });
    expect(beyond).toEqual({ count: rows.length, lastId: undefined, json: '[]' });
  });
});
