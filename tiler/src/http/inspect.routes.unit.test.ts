// POST /v1/inspect over real HTTP: real slides, broken fixtures, and ordinary images that get converted.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestClip } from '../../../test/support/media.js';
import { framePath } from '../sources/convert.js';
import { decodeToRgb, rgbToJpeg, rgbToPng } from '../sources/raster.js';
import { postJson, startTestTiler, type TestTiler } from '../testing/server.js';
import { lacking } from '../../../test/support/prerequisites.js';

const GOOD = [
  ['CMU-1-Small-Region.svs', 'aperio', 2220, 2967, 1, ['label', 'macro', 'thumbnail']],
  ['synthetic-aperio-3000x2000.svs', 'aperio', 3000, 2000, 5, ['label', 'macro', 'thumbnail']],
  ['test3-DAPI-2-387.ndpi', 'hamamatsu', 3968, 4864, 7, ['macro']],
  ['test3-TRITC-2-560.ndpi', 'hamamatsu', 3968, 4864, 7, ['macro']],
  ['openslide-python-boxes.tiff', 'generic-tiff', 300, 250, 4, []],
  ['openslide-python-small.svs', 'aperio', 16, 16, 1, ['thumbnail']],
] as const;
const BROKEN = ['openslide-python-unreadable.svs', 'openslide-python-unopenable.tiff'];
const DICOM = ['openslide-python-boxes_0.dcm', 'openslide-python-boxes_1.dcm', 'highdicom-sm_image.dcm'];

let t: TestTiler;
beforeAll(async () => {
  t = await startTestTiler([...GOOD.map(([file]) => file), ...BROKEN, ...DICOM]);
  // Ordinary images, generated: a 3000x2000 gradient PNG and a JPEG.
  const [w, h] = [3000, 2000];
  const rgb = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const o = (y * w + x) * 3;
      rgb[o] = Math.floor((x * 255) / w);
      rgb[o + 1] = Math.floor((y * 255) / h);
      rgb[o + 2] = 128;
    }
  }
  const image = { width: w, height: h, data: rgb };
  await writeFile(join(t.storageRoot, 'set', 'gradient.png'), await rgbToPng(image));
  await writeFile(join(t.storageRoot, 'set', 'photo.jpg'), await rgbToJpeg(image, 1200, 800));
});
afterAll(async () => {
  await t.close();
});

const inspect = (src: string, extra: { out?: string } = {}) =>
  postJson(`${t.url}/v1/inspect`, { token: t.token(src, ['inspect'], extra) });

describe.skipIf(lacking('openslide'))('POST /v1/inspect', () => {
  it.each(GOOD)('describes %s (%s, %ix%i)', async (file, vendor, width, height, levels, associated) => {
    const { status, json } = await inspect(`set/${file}`);
    expect(status).toBe(200);
    expect(json).toMatchObject({ vendor, width, height, converted: false, frames: 1 });
    const body = json as {
      levels: unknown[];
      associatedImages: string[];
      properties: Record<string, string>;
    };
    expect(body.levels).toHaveLength(levels);
    expect([...body.associatedImages].sort()).toEqual(associated);
    expect(body.properties['openslide.vendor']).toBe(vendor);
  });

  it('reports resolution and objective power', async () => {
    const { json } = await inspect('set/CMU-1-Small-Region.svs');
    expect(json).toMatchObject({ mppX: 0.499, mppY: 0.499, objectivePower: 20 });
  });

  it('converts a PNG to a pyramid that then serves tiles', async () => {
    const { status, json } = await inspect('set/gradient.png', { out: 'set/gradient.tiff' });
    expect(status).toBe(200);
    expect(json).toMatchObject({
      vendor: 'generic-tiff',
      width: 3000,
      height: 2000,
      converted: true,
      frames: 1,
    });
    expect((json as { levels: unknown[] }).levels.length).toBeGreaterThan(3);

    const base = `${t.url}/v1/t/${t.token('set/gradient.tiff', ['tiles'])}`;
    expect(await (await fetch(`${base}/dzi`)).text()).toContain('<Size Width="3000" Height="2000" />');
    const res = await fetch(`${base}/tiles/12/5_3.jpeg`);
    expect(res.status).toBe(200);
    const tile = await decodeToRgb(Buffer.from(await res.arrayBuffer()));
    expect([tile.width, tile.height]).toEqual([256, 256]);
    // The gradient survives: red grows with x, green with y (tile 5_3 starts at x=1269, y=761).
    const [r = 0, g = 0, b = 0] = tile.data;
    expect(Math.abs(r - Math.floor((1269 * 255) / 3000))).toBeLessThan(6);
    expect(Math.abs(g - Math.floor((761 * 255) / 2000))).toBeLessThan(6);
    expect(Math.abs(b - 128)).toBeLessThan(6);
  });

  it('converts a JPEG', async () => {
    const { status, json } = await inspect('set/photo.jpg', { out: 'set/photo.tiff' });
    expect(status).toBe(200);
    expect(json).toMatchObject({ vendor: 'generic-tiff', width: 1200, height: 800, converted: true });
  });

  it.each([
    // A JPEG-baseline 64x64 frame cut to its 16x16 total matrix, an uncompressed thumbnail, and 25
    // tiled frames of 10x10 (highdicom).
    ['openslide-python-boxes_0.dcm', 16, 16],
    ['openslide-python-boxes_1.dcm', 16, 16],
    ['highdicom-sm_image.dcm', 50, 50],
  ])('assembles the frames of %s into a %ix%i pyramid and serves it', async (file, width, height) => {
    const out = `set/${file}.tiff`;
    const { status, json } = await inspect(`set/${file}`, { out });
    expect(status).toBe(200);
    expect(json).toMatchObject({ vendor: 'dicom', width, height, converted: true, frames: 1 });
    const tile = await fetch(`${t.url}/v1/t/${t.token(out, ['tiles'])}/tiles/0/0_0.jpeg`);
    expect(tile.status).toBe(200);
    const full = await fetch(
      `${t.url}/v1/t/${t.token(out, ['tiles'])}/region.png?x=0&y=0&level=0&width=${width}&height=${height}`,
    );
    const pixels = await decodeToRgb(Buffer.from(await full.arrayBuffer()));
    // The boxes fixtures are not blank: some pixel differs from the white canvas.
    expect(pixels.data.some((v) => v < 200)).toBe(true);
  });

  it('refuses a damaged DICOM file with a reason', async () => {
    const bytes = Buffer.alloc(400);
    bytes.write('DICM', 128, 'latin1');
    await writeFile(join(t.storageRoot, 'set', 'damaged.dcm'), bytes);
    const { status, json } = await inspect('set/damaged.dcm', { out: 'set/damaged.dcm.tiff' });
    expect(status).toBe(422);
    expect(json).toEqual({ error: expect.stringMatching(/DICOM/) as unknown });
  });

  it('refuses an ordinary image without an output path', async () => {
    const { status, json } = await inspect('set/photo.jpg');
    expect(status).toBe(400);
    expect(json).toEqual({ error: expect.stringMatching(/output path/) as unknown });
  });

  it.each([
    ['openslide-python-unreadable.svs', /cannot be read: .*Bogus marker length/],
    ['openslide-python-unopenable.tiff', /cannot be read: .*Unsupported TIFF compression: 52479/],
    ['missing.svs', /does not exist/],
  ])('answers 422 with a reason for %s, and keeps serving', async (file, reason) => {
    const { status, json } = await inspect(`set/${file}`, { out: `set/${file}.tiff` });
    expect(status).toBe(422);
    expect(json).toEqual({ error: expect.stringMatching(reason) as unknown });
    const healthy = await inspect('set/CMU-1-Small-Region.svs');
    expect(healthy.status).toBe(200);
    const tile = await fetch(
      `${t.url}/v1/t/${t.token('set/CMU-1-Small-Region.svs', ['tiles'])}/tiles/12/0_0.jpeg`,
    );
    expect(tile.status).toBe(200);
  });

  it('answers 422 for tiles of a slide that opens but cannot be read, and keeps serving', async () => {
    const base = `${t.url}/v1/t/${t.token('set/openslide-python-unreadable.svs', ['tiles'])}`;
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${base}/tiles/4/0_0.jpeg`);
      expect(res.status).toBe(422);
      expect(await res.json()).toEqual({ error: expect.stringMatching(/Bogus marker length/) as unknown });
    }
    expect((await fetch(`${base}/dzi`)).status).toBe(200);
  });

  it('refuses images over the pixel limit', async () => {
    const small = await startTestTiler(['CMU-1-Small-Region.svs'], { TESSERA_MAX_IMAGE_PIXELS: '1000000' });
    try {
      const slide = await postJson(`${small.url}/v1/inspect`, {
        token: small.token('set/CMU-1-Small-Region.svs', ['inspect']),
      });
      expect(slide.status).toBe(422);
      expect(slide.json).toEqual({
        error: expect.stringMatching(/2220x2967 .* over the limit of 1000000/) as unknown,
      });
    } finally {
      await small.close();
    }
  });

  it('answers 404 to a token without the inspect scope, and 400 to a bad body', async () => {
    const wrong = await postJson(`${t.url}/v1/inspect`, { token: t.token('set/photo.jpg', ['tiles']) });
    expect(wrong.status).toBe(404);
    expect((await postJson(`${t.url}/v1/inspect`, { nope: 1 })).status).toBe(400);
    const notJson = await fetch(`${t.url}/v1/inspect`, { method: 'POST', body: '{' });
    expect(notJson.status).toBe(400);
    expect((await fetch(`${t.url}/v1/inspect`)).status).toBe(405);
  });
});

describe.skipIf(lacking('ffmpeg'))('POST /v1/inspect with frames', () => {
  it('turns a video into one pyramid per frame with times, each served as frame n', async () => {
    makeTestClip(join(t.storageRoot, 'set', 'clip.avi'), { seconds: 1, width: 200, height: 100, fps: 4 });
    const out = 'set/clip.avi.tiff';
    const { status, json } = await inspect('set/clip.avi', { out });
    expect(status).toBe(200);
    expect(json).toMatchObject({ vendor: 'video', width: 200, height: 100, converted: true, frames: 4 });
    expect((json as { frameDescriptions: string[] }).frameDescriptions).toEqual([
      '00:00:00.000',
      '00:00:00.250',
      '00:00:00.500',
      '00:00:00.750',
    ]);
    const third = await fetch(`${t.url}/v1/t/${t.token(framePath(out, 3), ['tiles'])}/tiles/0/0_0.jpeg`);
    expect(third.status).toBe(200);
  });

  it('turns the pages of an animated GIF into frames', async () => {
    makeTestClip(join(t.storageRoot, 'set', 'anim.gif'), { seconds: 1, width: 64, height: 48, fps: 3 });
    const out = 'set/anim.gif.tiff';
    const { status, json } = await inspect('set/anim.gif', { out });
    expect(status).toBe(200);
    expect(json).toMatchObject({ frames: 3, frameDescriptions: ['page 1', 'page 2', 'page 3'] });
    const last = await fetch(`${t.url}/v1/t/${t.token(framePath(out, 3), ['tiles'])}/dzi`);
    expect(await last.text()).toContain('Width="64" Height="48"');
  });
});
