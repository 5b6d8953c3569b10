import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { annotationsOf, boxIou, readRecord, type Image } from '@tessera/shared';
import { openLiveDocument, type LiveDocument } from '../../../test/support/collab-client.js';
import { Factories, type TestUser } from '../../../test/support/factories.js';
import { ApiClient } from '../../../test/support/http.js';
import { darkCellBoxer } from '../../../test/support/onnx-model.js';
import { useTestServer } from '../../../test/support/server.js';
import { uploadImages, uploadModel } from '../../../test/support/upload.js';
import { generatedSmear } from './testing/raster-context.test-helpers.js';

// The built-in job plugins end to end on real images: a job created over REST runs through the queue,
// reads pixels through the tiler and writes proposals through the one write path, so a live client
// that is already connected sees them arrive, generated and with their score, and EXACT's result
// annotations list them.
const server = useTestServer({ processing: true, tiler: true });

let member: TestUser;
let team: number;
let set: number;
let box: number;
const api = () => new ApiClient(server.baseUrl, member);
const live: LiveDocument[] = [];

beforeAll(async () => {
  const f = new Factories(server.db);
  member = await f.user();
  team = await f.team({ admins: [member] });
  set = await f.imageSet(team, member);
  box = await f.annotationType(await f.product(team, member, [set]), { name: 'cell', vector_type: 1 });
});

afterAll(() => {
  for (const l of live) l.close();
});

/** Uploads raw RGB as a PNG image of the set and waits until it is tiled. */
async function uploadRgb(name: string, rgb: Uint8Array, width: number, height: number): Promise<number> {
  const png = await sharp(rgb, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
  const id =
    (await uploadImages(server.baseUrl, member, set, [{ name, bytes: png }])).body.results[0]?.id ?? 0;
  await vi.waitFor(
    async () => {
      const state = (await api().get<Image>(`/images/images/${id}/`)).body.state;
      if (state !== 'ready') throw new Error(`image ${id} is ${state}`);
    },
    { timeout: 60_000, interval: 100 },
  );
  return id;
}

/** Enables the built-in job plugin of this name for the set; answers its id. */
async function enable(name: string): Promise<number> {
  const listed = await api().get<{ results: { id: number }[] }>(
    `/processing/plugins/?package=${encodeURIComponent(name)}`,
  );
  const plugin = listed.body.results[0]?.id ?? 0;
  expect((await api().post('/processing/pluginenablements/', { plugin, image_set: set })).status).toBe(201);
  return plugin;
}

async function openLive(image: number): Promise<LiveDocument> {
  const token = await api().post<{ token: string }>('/users/tokens/', { name: `live ${image}` });
  const opened = await openLiveDocument(server.baseUrl, `image.${image}`, token.body.token);
  live.push(opened);
  return opened;
}

interface Arrived {
  uuid: string;
  type: unknown;
  vector: Record<string, number>;
  generated: unknown;
  score: unknown;
  by: unknown;
}

/** The annotations the live client holds, as the server's writes delivered them. */
function arrived(doc: LiveDocument): Arrived[] {
  return [...annotationsOf(doc.doc).keys()].map((uuid) => {
    const r = readRecord(doc.doc, uuid) ?? {};
    const created = (r['created'] ?? {}) as Record<string, unknown>;
    return {
      uuid,
      type: r['type'],
      vector: r['vector'] as Record<string, number>,
      generated: created['generated'],
      score: created['score'],
      by: created['by'],
    };
  });
}

async function finished(job: number): Promise<Record<string, unknown>> {
  let last: Record<string, unknown> = {};
  await vi.waitFor(
    async () => {
      last = (await api().get<Record<string, unknown>>(`/processing/pluginjobs/${job}/`)).body;
      if (last.state !== 'done') throw new Error(`job ${job}: ${JSON.stringify(last)}`);
    },
    { timeout: 60_000, interval: 100 },
  );
  return last;
}

const byPosition = (a: Record<string, number>, b: Record<string, number>) =>
  (a.y1 ?? 0) - (b.y1 ?? 0) || (a.x1 ?? 0) - (b.x1 ?? 0);

describe('an ONNX model uploaded over REST and run as a job', () => {
  it('sends its proposals in a region to a connected live client, generated with a score', async () => {
    // A light 480 x 320 image with dark 16-pixel squares; the last lies outside the job's region.
    const [width, height] = [480, 320];
    const squares = [
      { x1: 32, y1: 32, x2: 48, y2: 48 },
      { x1: 80, y1: 160, x2: 96, y2: 176 },
      { x1: 176, y1: 80, x2: 192, y2: 96 },
      { x1: 272, y1: 224, x2: 288, y2: 240 },
      { x1: 416, y1: 32, x2: 432, y2: 48 },
    ];
    const rgb = new Uint8Array(width * height * 3).fill(240);
    for (const s of squares) {
      for (let y = s.y1; y < s.y2; y++) rgb.fill(40, (y * width + s.x1) * 3, (y * width + s.x2) * 3);
    }
    const image = await uploadRgb('squares.png', rgb, width, height);

    const uploaded = await uploadModel(server.baseUrl, member, {
      team,
      name: 'Dark squares',
      spec: { inputWidth: 128, inputHeight: 128, decoding: { kind: 'boxes' } },
      bytes: darkCellBoxer(128, 16),
    });
    expect(uploaded.status).toBe(201);
    const model = uploaded.body.id as number;

    const plugin = await enable('ONNX model');
    const client = await openLive(image);
    expect(arrived(client)).toEqual([]);
    const created = await api().post<{ id: number }>('/processing/pluginjobs/', {
      plugin,
      image,
      settings: { model, region: { x: 0, y: 0, width: 320, height: 256 }, overlap: 16, minScore: 0.6 },
    });
    expect(created.status).toBe(201);
    const job = await finished(created.body.id);
    expect(job.summary).toMatch(/^4 proposals from model "Dark squares"/);

    // The open client received them without asking: the four squares inside the region.
    await vi.waitFor(
      () => {
        expect(arrived(client)).toHaveLength(4);
      },
      { timeout: 10_000 },
    );
    const proposals = arrived(client);
    expect(proposals.map((p) => p.vector).sort(byPosition)).toEqual(squares.slice(0, 4).sort(byPosition));
    for (const p of proposals) {
      expect(p.generated).toBe(true);
      // A square's darkness, 1 - 40/255, within the tiler's JPEG error.
      expect(p.score).toBeCloseTo(1 - 40 / 255, 1);
      expect([p.type, p.by]).toEqual([box, member.id]);
    }
    const listed = await api().get<{ count: number; results: { unique_identifier: string }[] }>(
      `/processing/pluginresultannotations/?job=${created.body.id}`,
    );
    expect(listed.body.count).toBe(4);
    expect(listed.body.results.map((r) => r.unique_identifier).sort()).toEqual(
      proposals.map((p) => p.uuid).sort(),
    );
  }, 120_000);
});

describe('the cell detector run through the queue', () => {
  it('finds the cells of a generated cytology field and sends them to a connected live client', async () => {
    // The demo smear's density: 11 cells on 800 x 600 px.
    const { raster, cells } = await generatedSmear(7, 800, 600);
    const image = await uploadRgb('field.png', raster.data, raster.width, raster.height);
    const plugin = await enable('Cell detector');
    const client = await openLive(image);
    const created = await api().post<{ id: number }>('/processing/pluginjobs/', {
      plugin,
      image,
      settings: { tileSize: 512, overlap: 128 },
    });
    expect(created.status).toBe(201);
    await finished(created.body.id);

    await vi.waitFor(
      () => {
        expect(arrived(client).length).toBeGreaterThan(0);
      },
      { timeout: 10_000 },
    );
    const proposals = arrived(client);
    expect(proposals.every((p) => p.generated === true && p.type === box)).toBe(true);
    expect(proposals.every((p) => typeof p.score === 'number' && p.score > 0 && p.score <= 1)).toBe(true);
    // Every generated cell is found, and nothing else (a box matches a cell at IoU >= 0.5).
    const found = cells.filter((c) => proposals.some((p) => boxIou(c, p.vector as never) >= 0.5));
    expect(found).toHaveLength(cells.length);
    expect(proposals).toHaveLength(cells.length);
    const listed = await api().get<{ count: number }>(
      `/processing/pluginresultannotations/?job=${created.body.id}`,
    );
    expect(listed.body.count).toBe(cells.length);
  }, 120_000);
});
