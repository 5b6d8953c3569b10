import { describe, expect, it } from 'vitest';
import { VectorType } from '@tessera/shared';
import { useTestDatabase } from '../../../test/support/database.js';
import { BinaryCopyReader } from '../db/binary-copy.js';
import { ByteOutput } from './byte-output.js';
import { cocoWriter } from './coco.js';
import { COCO_COPY_COLUMNS, CocoCopyWriter } from './coco-copy.js';
import type { ExportContext, ExportRow } from './export-model.js';

const test = useTestDatabase();

const BOX = 1;
const POLYGON = 2;
const LINE = 3;
const FIXED = 4;
const context: ExportContext = {
  images: new Map([[1, { id: 1, name: 'slide.svs', width: 100, height: 100 }]]),
  types: new Map(
    (
      [
        [BOX, VectorType.box],
        [POLYGON, VectorType.polygon],
        [LINE, VectorType.line],
        [FIXED, VectorType.fixedBox],
      ] as const
    ).map(([id, vectorType]) => [id, { id, name: `t${id}`, vector_type: vectorType, color_code: '#000' }]),
  ),
};

/** Rows as an export reads them, with every awkward value a field may hold; type 9 is unknown. */
const ROWS = `(VALUES
  (9007199254740991::bigint, 1, ${BOX}, '00000000-0000-4000-8000-000000000001'::uuid, false, true, 0.1::float8,
   '{"x1": 1.5, "x2": 13, "y1": -0.25, "y2": 1e300}'::jsonb, 'plain'),
  (2, 1, ${BOX}, 'ffffffff-0000-4000-8000-00000000000a', true, false, NULL,
   '{"x1": 30, "x2": 10, "y1": 40, "y2": 20, "frame": 3}', E'pipes | "quotes" \\\\ back\\nslash\\ttab \\u00e9\\u4e2d \\U0001F600 |'),
  (3, 1, ${BOX}, '00000000-0000-4000-8000-000000000003', false, false, -1.7976931348623157e308,
   '{"x1": 0, "y1": 0, "frame": 2}', ''),
  (4, 1, ${BOX}, '00000000-0000-4000-8000-000000000004', false, false, 5e-324,
   '{"x1": -0, "x2": 123456789012345678, "y1": 0.30000000000000004, "y2": 7, "extra": "x"}', 'é'),
  (5, 1, ${POLYGON}, '00000000-0000-4000-8000-000000000005', false, false, 1,
   '{"x1": 1, "y1": 1, "x2": 5, "y2": 1, "x3": 5, "y3": 5}', ''),
  (6, 1, ${LINE}, '00000000-0000-4000-8000-000000000006', false, true, NULL, '{"x1": 1, "y1": 2, "x2": 3, "y2": 4}', ''),
  (7, 1, 9, '00000000-0000-4000-8000-000000000007', false, false, NULL, '{"x1": 1, "y1": 2, "x2": 3, "y2": 4}', ''),
  (8, 1, ${BOX}, '00000000-0000-4000-8000-000000000008', false, false, NULL, NULL, ''),
  (9, 1, ${FIXED}, '00000000-0000-4000-8000-000000000009', false, false, 0.5,
   '{"x1": 10, "x2": 20, "y1": 10, "y2": 20, "frame": null}', E'\\u0001'),
  (10, 1, ${FIXED}, '00000000-0000-4000-8000-00000000000b', false, false, 0.5,
   '{"y2": 2.5e1, "x1": 1E2, "y1": -3, "x2": 100.50}', 'x')
) AS r(id, image_id, annotation_type_id, unique_identifier, deleted, generated, score, vector, description)`;

/** What the general writer makes of the rows as `pg` reads them column by column. */
async function expected(): Promise<string> {
  const rows = await test.db.query<ExportRow>(
    `SELECT r.id::float8 AS id, r.image_id, r.annotation_type_id, r.unique_identifier, r.deleted, r.generated,
       r.score, r.description, r.vector FROM ${ROWS} ORDER BY r.id`,
  );
  let text = '';
  let first = true;
  for (const row of rows) {
    const piece = cocoWriter.row(row, context, first);
    if (piece === null) continue;
    text += piece;
    first = false;
  }
  return text;
}

/** The same rows through binary COPY and the byte writer, in chunks of `chunkBytes`. */
async function copied(chunkBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  const out = new ByteOutput((chunk) => chunks.push(Buffer.from(chunk)));
  const writer = new CocoCopyWriter(context, out);
  const reader = new BinaryCopyReader(COCO_COPY_COLUMNS.length, (bytes, fields) => {
    writer.write(bytes, fields);
  });
  await test.db.copyOut(
    `COPY (SELECT ${COCO_COPY_COLUMNS.join(', ')} FROM ${ROWS} ORDER BY r.id) TO STDOUT (FORMAT binary)`,
    async (data) => {
      for await (const chunk of data) {
        const bytes = chunk as Buffer;
        for (let at = 0; at < bytes.length; at += chunkBytes)
          reader.push(bytes.subarray(at, at + chunkBytes));
      }
    },
  );
  reader.end();
  out.flush();
  return Buffer.concat(chunks).toString('utf8');
}

describe('COCO from binary COPY rows', () => {
  it('writes exactly what the general writer writes, however the data is cut', async () => {
    const want = await expected();
    for (const chunkBytes of [1, 7, 64, 1 << 16]) expect(await copied(chunkBytes)).toBe(want);
    // Neither a type it does not know (7), nor a box without a vector (8) or a corner (3).
    const ids = (JSON.parse(`[${want}]`) as { id: number }[]).map((a) => a.id);
    expect(ids).toEqual([2, 4, 5, 6, 9, 10, 9007199254740991]);
  });

  it('refuses data that is not binary COPY, or that ends before its trailer', async () => {
    expect(() => {
      new BinaryCopyReader(1, () => undefined).push(Buffer.from('id|name\n1|a\n___________'));
    }).toThrow(/not binary COPY/);
    const reader = new BinaryCopyReader(1, () => undefined);
    await test.db.copyOut('COPY (SELECT 1) TO STDOUT (FORMAT binary)', async (data) => {
      for await (const chunk of data) reader.push((chunk as Buffer).subarray(0, -2));
    });
    expect(() => {
      reader.end();
    }).toThrow(/before its trailer/);
  });

  it('returns a connection whose COPY was left halfway closed, and the pool goes on', async () => {
    await test.db.copyOut(
      'COPY (SELECT generate_series(1, 200000)) TO STDOUT (FORMAT binary)',
      async (data) => {
        for await (const chunk of data) if (chunk) break;
      },
    );
    expect(await test.db.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });
});
