// POST /v1/mosaic over real HTTP: crops of a converted image composed into a mosaic served as tiles.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeToRgb, rgbToPng } from '../sources/raster.js';
import { postJson, startTestTiler, type TestTiler } from '../testing/server.js';
import { FEATURE_COUNT } from './features.js';

let t: TestTiler;
// A 1000x600 image: red left half, blue right half, converted to a pyramid as an upload would be.
beforeAll(async () => {
  t = await startTestTiler([]);
  const [w, h] = [1000, 600];
  const rgb = Buffer.alloc(w * h * 3);
  for (let p = 0; p < w * h; p++) rgb.set(p % w < w / 2 ? [220, 20, 20] : [20, 20, 220], p * 3);
  await writeFile(
    join(t.storageRoot, 'set', 'halves.png'),
    await rgbToPng({ width: w, height: h, data: rgb }),
  );
  const converted = await postJson(`${t.url}/v1/inspect`, {
    token: t.token('set/halves.png', ['inspect'], { out: 'set/halves.tiff' }),
  });
  expect(converted.status).toBe(200);
  const cells = [
    { col: 0, row: 0, src: 'set/halves.tiff', x: 100, y: 100, side: 200 },
    { col: 1, row: 0, src: 'set/halves.tiff', x: 700, y: 100, side: 200 },
    // Reaches past the left edge: the part outside the image is background.
    { col: 0, row: 1, src: 'set/halves.tiff', x: -100, y: 300, side: 200, annotation: 'kept as it is' },
  ];
  const job = { v: 1, cellSize: 64, columns: 2, rows: 2, cells };
  await writeFile(join(t.storageRoot, 'set', 'map.json'), JSON.stringify(job));
});
afterAll(async () => {
  await t.close();
});

const mosaic = (write: boolean, extra: { out?: string } = {}, scope: 'mosaic' | 'tiles' = 'mosaic') =>
  postJson(`${t.url}/v1/mosaic`, { token: t.token('set/map.json', [scope], extra), write });

async function pixelAt(src: string, x: number, y: number): Promise<number[]> {
  const token = t.token(src, ['tiles']);
  const res = await fetch(`${t.url}/v1/t/${token}/region.png?x=${x}&y=${y}&level=0&width=1&height=1`);
  expect(res.status).toBe(200);
  const image = await decodeToRgb(Buffer.from(await res.arrayBuffer()));
  return [...image.data.subarray(0, 3)];
}

describe('POST /v1/mosaic', () => {
  it('answers each crop features, without writing anything', async () => {
    const { status, json } = await mosaic(false);
    expect(status).toBe(200);
    const body = json as { width: number; height: number; features: number[][] };
    expect(body).toMatchObject({ width: 128, height: 128 });
    expect(body.features).toHaveLength(3);
    expect(body.features[0]).toHaveLength(FEATURE_COUNT);
    // Mean red of the red crop is high, of the blue crop low.
    expect(body.features[0]?.[0]).toBeGreaterThan(0.8);
    expect(body.features[1]?.[0]).toBeLessThan(0.1);
  });

  it('writes the mosaic as a pyramid served by the tile routes', async () => {
    const { status } = await mosaic(true, { out: 'maps/1/mosaic.tiff' });
    expect(status).toBe(200);
    const dzi = await fetch(`${t.url}/v1/t/${t.token('maps/1/mosaic.tiff', ['tiles'])}/dzi`);
    expect(await dzi.text()).toContain('Width="128" Height="128"');
    const red = await pixelAt('maps/1/mosaic.tiff', 32, 32);
    const blue = await pixelAt('maps/1/mosaic.tiff', 96, 32);
    expect(red[0]).toBeGreaterThan(180);
    expect(blue[2]).toBeGreaterThan(180);
    // The empty cell and the crop's part left of the image are white; its right part is red.
    expect(await pixelAt('maps/1/mosaic.tiff', 96, 96)).toEqual([255, 255, 255]);
    expect((await pixelAt('maps/1/mosaic.tiff', 5, 96))[1]).toBeGreaterThan(200);
    expect((await pixelAt('maps/1/mosaic.tiff', 60, 96))[0]).toBeGreaterThan(180);
  });

  it('refuses a token of another scope, and writing without an output', async () => {
    expect((await mosaic(false, {}, 'tiles')).status).toBe(404);
    expect(await mosaic(true)).toMatchObject({ status: 400 });
  });
});
