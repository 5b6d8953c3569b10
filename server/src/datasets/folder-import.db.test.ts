import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import yazl from 'yazl';
import { afterAll, describe, expect, it } from 'vitest';
import type { DatasetImport, Image, Page } from '@tessera/shared';
import { Factories, type TestUser } from '../../../test/support/factories.js';
import { ApiClient } from '../../../test/support/http.js';
import { useTestServer } from '../../../test/support/server.js';
import { cytologyFields } from './cytology-fields/dataset.js';

const server = useTestServer({ tiler: true });
const api = () => new ApiClient(server.baseUrl);
const make = () => new Factories(server.db);
const work = mkdtemp(path.join(os.tmpdir(), 'tessera-folder-import-'));
afterAll(async () => {
  await rm(await work, { recursive: true, force: true });
});

async function zipOf(entries: { name: string; text?: string; file?: string }[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const e of entries) zip.addBuffer(e.file ? await readFile(e.file) : Buffer.from(e.text ?? ''), e.name);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function importZip(
  who: TestUser | undefined,
  fields: Record<string, string>,
  zip: Buffer,
  name = 'cells.zip',
) {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.set(key, value);
  form.append('file', new Blob([new Uint8Array(zip)]), name);
  const headers: Record<string, string> = who
    ? { authorization: `Basic ${Buffer.from(`${who.username}:${who.password}`).toString('base64')}` }
    : {};
  const response = await fetch(`${server.baseUrl}/api/v1/datasets/import/`, {
    method: 'POST',
    headers,
    body: form,
  });
  return {
    status: response.status,
    body: (await response.json()) as DatasetImport & Record<string, unknown>,
  };
}

const fileError = (body: object) => (body as { file?: string[] }).file?.[0];

describe('datasets/import/: a zip of images and label files becomes an image set', () => {
  it('imports COCO, GeoJSON and EXACT label lines beside the images, reporting what it skipped', async () => {
    const admin = await make().user();
    const team = await make().team({ admins: [admin] });
    // Two generated fields of view and their known cells as the "user's" labelled folder.
    const fields = await cytologyFields.create(await work, 11);
    const [one, two] = fields.images;
    const cellsOf = (image: number) => fields.annotations.filter((a) => a.image === image);
    const coco = {
      images: [
        { id: 1, file_name: 'field-01.png' },
        { id: 2, file_name: 'missing.png' },
      ],
      categories: [...new Set(cellsOf(0).map((a) => a.label))].map((name, i) => ({ id: i + 1, name })),
      annotations: [] as object[],
    };
    for (const a of cellsOf(0)) {
      const v = a.vector as { x1: number; y1: number; x2: number; y2: number };
      coco.annotations.push({
        image_id: 1,
        category_id: coco.categories.findIndex((c) => c.name === a.label) + 1,
        bbox: [v.x1, v.y1, v.x2 - v.x1, v.y2 - v.y1],
        tessera: { unique_identifier: a.uuid },
      });
    }
    coco.annotations.push({ image_id: 2, category_id: 1, bbox: [1, 1, 5, 5] });
    const lines = cellsOf(1)
      .slice(0, 5)
      .map((a) => `field-02.png|${a.label}|${JSON.stringify(a.vector)}||${a.uuid}`);
    const outline = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [100, 100],
                [300, 120],
                [200, 300],
                [100, 100],
              ],
            ],
          },
          properties: { classification: { name: 'Cluster' } },
        },
        {
          type: 'Feature',
          geometry: {
            type: 'LineString',
            coordinates: [
              [10, 10],
              [20, 20],
            ],
          },
          properties: { classification: { name: 'Cluster' } },
        },
      ],
    };
    const zip = await zipOf([
      { name: 'cells/field-01.png', file: one?.file ?? '' },
      { name: 'cells/field-02.png', file: two?.file ?? '' },
      { name: 'cells/labels.json', text: JSON.stringify(coco) },
      { name: 'cells/more.txt', text: `# EXACT label lines\n${lines.join('\n')}\n` },
      { name: 'cells/field-02.geojson', text: JSON.stringify(outline) },
      { name: 'cells/README.md', text: 'notes' },
    ]);
    const result = await importZip(admin, { team: String(team) }, zip);
    expect(result.body).toMatchObject({ images: [expect.any(Number), expect.any(Number)] });
    expect(result.status).toBe(201);
    expect(result.body.annotations).toBe(40 + 5 + 1);
    expect(result.body.skipped).toEqual([
      { item: 'README.md', reason: 'neither an image nor a label file' },
      { item: 'labels.json annotations[40]', reason: 'no image "missing.png" in the folder' },
      {
        item: 'field-02.geojson feature 1',
        reason: 'does not fit the type "Cluster": a polygon needs 3 to 20000 points, got 2',
      },
    ]);
    const rows = await server.db.query<{ uuid: string; label: string; vector_type: number; vector: unknown }>(
      `SELECT a.unique_identifier AS uuid, t.name AS label, t.vector_type, a.vector FROM annotations a
       JOIN annotation_types t ON t.id = a.annotation_type_id WHERE a.image_set_id = $1`,
      [result.body.image_set],
    );
    // Ids, labels and boxes come through as the files gave them; the outline became a polygon type.
    for (const a of [...cellsOf(0), ...cellsOf(1).slice(0, 5)]) {
      expect(rows.find((r) => r.uuid === a.uuid)).toMatchObject({
        label: a.label,
        vector_type: 1,
        vector: a.vector,
      });
    }
    expect(rows.find((r) => r.label === 'Cluster')).toMatchObject({
      vector_type: 5,
      vector: { x1: 100, y1: 100, x2: 300, y2: 120, x3: 200, y3: 300 },
    });
    const set = await server.db.query<{ name: string }>('SELECT name FROM image_sets WHERE id = $1', [
      result.body.image_set,
    ]);
    expect(set).toEqual([{ name: 'cells' }]);
    const states = async () =>
      (
        await api().as(admin).get<Page<Image>>(`/images/images/?image_set=${result.body.image_set}`)
      ).body.results.map((i) => i.state);
    await expect.poll(states, { timeout: 60_000, interval: 250 }).toEqual(['ready', 'ready']);
  }, 90_000);

  it('refuses bad archives and callers, naming the problem', async () => {
    const admin = await make().user();
    const member = await make().user();
    const outsider = await make().user();
    const team = await make().team({ admins: [admin], members: [member] });
    const fields = { team: String(team) };
    const png = (await cytologyFields.create(await work, 12)).images[0]?.file ?? '';
    const good = await zipOf([{ name: 'a.png', file: png }]);
    expect((await importZip(undefined, fields, good)).status).toBe(401);
    expect((await importZip(member, fields, good)).status).toBe(403);
    expect((await importZip(outsider, fields, good)).body).toMatchObject({
      team: [`Invalid pk "${team}" - object does not exist.`],
    });
    expect((await importZip(admin, {}, good)).body).toMatchObject({ team: expect.any(Array) as unknown });
    expect((await importZip(admin, fields, good, 'a.png')).body).toMatchObject({
      file: ['Send one zip archive of images and label files.'],
    });
    const broken = await zipOf([
      { name: 'a.png', file: png },
      { name: 'labels.txt', text: 'a.png|Cell|{"x1": 1, "y1": 2, "x2": 3, "y2": 4}\na.png|Cell\n' },
    ]);
    const refused = await importZip(admin, fields, broken);
    expect(refused.status).toBe(400);
    expect(fileError(refused.body)).toMatch(/^labels\.txt: label lines: line 2: /);
    const notJson = await importZip(
      admin,
      fields,
      await zipOf([
        { name: 'a.png', file: png },
        { name: 'x.json', text: '{' },
      ]),
    );
    expect(fileError(notJson.body)).toMatch(/^x\.json: not JSON/);
    const noImages = await importZip(admin, fields, await zipOf([{ name: 'notes.txt', text: '' }]));
    expect(noImages.body).toMatchObject({ file: ['The archive holds no image Tessera can read.'] });
    // Nothing was made by the refusals.
    expect(await server.db.query('SELECT id FROM image_sets WHERE team_id = $1', [team])).toEqual([]);
  }, 60_000);
});
