// A tiler whose OpenSlide library and ffmpeg program point at nothing, as on a machine without
// libopenslide0 and ffmpeg: ordinary images are converted and served through sharp, scanner slides and
// videos are refused with the package they need.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeToRgb, rgbToPng } from '../sources/raster.js';
import { postJson, startTestTiler, type TestTiler } from '../testing/server.js';

let t: TestTiler;
beforeAll(async () => {
  t = await startTestTiler(['openslide-python-small.svs', 'openslide-python-boxes.tiff'], {
    TESSERA_OPENSLIDE_LIBRARY: '/nonexistent/libopenslide.so.0',
    TESSERA_FFMPEG_PATH: '/nonexistent/ffmpeg',
  });
  // Left half red, right half blue: a region across the middle shows both, in place.
  const [w, h] = [600, 400];
  const rgb = Buffer.alloc(w * h * 3);
  for (let i = 0; i < w * h; i++) rgb.set(i % w < w / 2 ? [255, 0, 0] : [0, 0, 255], i * 3);
  await writeFile(
    join(t.storageRoot, 'set', 'halves.png'),
    await rgbToPng({ width: w, height: h, data: rgb }),
  );
  await writeFile(join(t.storageRoot, 'set', 'clip.mp4'), Buffer.from('not looked at: ffmpeg is missing'));
});
afterAll(async () => {
  await t.close();
});

const inspect = (src: string, out: string) =>
  postJson(`${t.url}/v1/inspect`, { token: t.token(src, ['inspect'], { out }) });

describe('a tiler without OpenSlide and ffmpeg', () => {
  it('reports both as missing on /healthz', async () => {
    const health = (await (await fetch(`${t.url}/healthz`)).json()) as { missing: string[] };
    expect(health.missing).toEqual(['openslide', 'ffmpeg']);
  });

  it('converts a PNG and serves its tiles and regions', async () => {
    const { status, json } = await inspect('set/halves.png', 'set/halves.pyramid.tiff');
    expect(status).toBe(200);
    expect(json).toMatchObject({ vendor: 'generic-tiff', width: 600, height: 400, converted: true });
    const base = `${t.url}/v1/t/${t.token('set/halves.pyramid.tiff', ['tiles'])}`;
    const tile = await fetch(`${base}/tiles/10/0_0.jpeg`);
    expect(tile.status).toBe(200);
    expect(tile.headers.get('content-type')).toBe('image/jpeg');
    // 20 px across the middle at full resolution, running 10 px past the bottom edge (white there).
    const region = await fetch(`${base}/region.png?x=290&y=390&level=0&width=20&height=20`);
    expect(region.status).toBe(200);
    const pixels = await decodeToRgb(Buffer.from(await region.arrayBuffer()));
    const at = (x: number, y: number) => [...pixels.data.subarray((y * 20 + x) * 3, (y * 20 + x) * 3 + 3)];
    expect(at(2, 2)).toEqual([255, 0, 0].map((v) => expect.closeTo(v, -1.5) as unknown));
    expect(at(17, 2)).toEqual([0, 0, 255].map((v) => expect.closeTo(v, -1.5) as unknown));
    expect(at(10, 15)).toEqual([255, 255, 255]);
  });

  it('converts a plain TIFF with sharp instead of opening it with OpenSlide', async () => {
    const { status, json } = await inspect('set/openslide-python-boxes.tiff', 'set/boxes.pyramid.tiff');
    expect(status).toBe(200);
    expect(json).toMatchObject({ vendor: 'generic-tiff', width: 300, height: 250, converted: true });
  });

  it('refuses a scanner slide, naming the package it needs', async () => {
    const { status, json } = await inspect('set/openslide-python-small.svs', 'set/small.pyramid.tiff');
    expect(status).toBe(422);
    expect((json as { error: string }).error).toMatch(
      /need OpenSlide \(libopenslide0\), which is not installed/,
    );
  });

  it('refuses a video, naming ffmpeg', async () => {
    const { status, json } = await inspect('set/clip.mp4', 'set/clip.pyramid.tiff');
    expect(status).toBe(422);
    expect((json as { error: string }).error).toMatch(/videos need ffmpeg, which is not installed/);
  });
});
