// Conversion of ordinary images to pyramidal TIFF, checked by opening the result with OpenSlide.
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slidePath } from '../testing/reference.js';
import { convertToPyramid } from './convert.js';
import { openSlide } from './openslide.js';
import { rgbToPng } from './raster.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tessera-convert-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const LIMIT = { maxPixels: 1e9 };

// A minimal 2x2 24-bit BMP (BITMAPINFOHEADER), to show that BMP is refused with a reason.
function bmp(): Buffer {
  const header = Buffer.alloc(54);
  header.write('BM', 0, 'latin1');
  header.writeUInt32LE(54 + 16, 2);
  header.writeUInt32LE(54, 10);
  header.writeUInt32LE(40, 14);
  header.writeInt32LE(2, 18);
  header.writeInt32LE(2, 22);
  header.writeUInt16LE(1, 26);
  header.writeUInt16LE(24, 28);
  return Buffer.concat([header, Buffer.alloc(16, 0x80)]);
}

// A 64x8 RGBA PNG: left half opaque black, right half transparent black (made by hand: zlib + CRCs).
async function rgbaPng(): Promise<Buffer> {
  const { deflateSync, crc32 } = await import('node:zlib');
  const [w, h] = [64, 8];
  const rows = Buffer.alloc((w * 4 + 1) * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) rows[y * (w * 4 + 1) + 1 + x * 4 + 3] = x < w / 2 ? 255 : 0;
  }
  const chunk = (type: string, data: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('convertToPyramid', () => {
  it('writes a pyramid OpenSlide opens as generic-tiff, leaving no temp file behind', async () => {
    const input = join(dir, 'flat.png');
    await writeFile(
      input,
      await rgbToPng({ width: 1000, height: 600, data: Buffer.alloc(1000 * 600 * 3, 200) }),
    );
    const output = join(dir, 'out', 'flat.tiff');
    expect(await convertToPyramid(input, output, LIMIT)).toEqual({
      status: 'converted',
      source: { format: 'png', width: 1000, height: 600, pages: 1 },
    });
    const slide = openSlide(output);
    try {
      expect(slide.vendor).toBe('generic-tiff');
      expect(slide.levels.map((l) => [l.width, l.height])).toEqual([
        [1000, 600],
        [500, 300],
        [250, 150],
      ]);
      expect(slide.properties.get('openslide.level[0].tile-width')).toBe('256');
    } finally {
      await slide.close();
    }
    expect(await readdir(join(dir, 'out'))).toEqual(['flat.tiff', 'flat.tiff.tiles.zip']);
  });

  it('flattens transparency onto white', async () => {
    // A 2-pixel-wide PNG whose right half is fully transparent black: it must come out white, not black.
    const input = join(dir, 'alpha.png');
    await writeFile(input, await rgbaPng());
    expect(await convertToPyramid(input, join(dir, 'alpha.tiff'), LIMIT)).toMatchObject({
      status: 'converted',
    });
    const slide = openSlide(join(dir, 'alpha.tiff'));
    try {
      const region = await slide.readRegion({ x: 0, y: 0, level: 0, width: 64, height: 1 });
      expect(region.data[0]).toBeLessThan(40);
      expect(region.data[3 * 63]).toBeGreaterThan(215);
    } finally {
      await slide.close();
    }
  });

  it('refuses images over the pixel limit before decoding them', async () => {
    const input = join(dir, 'big.png');
    await writeFile(input, await rgbToPng({ width: 400, height: 300, data: Buffer.alloc(400 * 300 * 3) }));
    expect(await convertToPyramid(input, join(dir, 'big.tiff'), { maxPixels: 100_000 })).toEqual({
      status: 'too-large',
      reason: 'image is 400x300 (120000 pixels), over the limit of 100000',
    });
  });

  it('refuses BMP (no BMP loader in sharp) and files that are no image', async () => {
    await writeFile(join(dir, 'x.bmp'), bmp());
    expect(await convertToPyramid(join(dir, 'x.bmp'), join(dir, 'x.tiff'), LIMIT)).toMatchObject({
      status: 'unsupported',
    });
    expect(
      await convertToPyramid(slidePath('openslide-python-boxes_1.dcm'), join(dir, 'd.tiff'), LIMIT),
    ).toMatchObject({ status: 'unsupported' });
  });

  it('refuses SVG on purpose', async () => {
    await writeFile(join(dir, 'x.svg'), '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>');
    expect(await convertToPyramid(join(dir, 'x.svg'), join(dir, 'svg.tiff'), LIMIT)).toEqual({
      status: 'unsupported',
      reason: "image format 'svg' is not accepted",
    });
  });

  it('converts the first page of a multi-page TIFF and reports the page count', async () => {
    // openslide-python-boxes.tiff holds 4 pages (its pyramid); as a plain image it is 300x250.
    const result = await convertToPyramid(
      slidePath('openslide-python-boxes.tiff'),
      join(dir, 'pages.tiff'),
      LIMIT,
    );
    expect(result).toEqual({
      status: 'converted',
      source: { format: 'tiff', width: 300, height: 250, pages: 4 },
    });
  });

  it('reports a truncated file as failed, with the decoder message', async () => {
    const png = await rgbToPng({ width: 300, height: 300, data: Buffer.alloc(300 * 300 * 3, 9) });
    await writeFile(join(dir, 'cut.png'), png.subarray(0, Math.floor(png.length / 2)));
    const result = await convertToPyramid(join(dir, 'cut.png'), join(dir, 'cut.tiff'), LIMIT);
    expect(result).toMatchObject({
      status: 'failed',
      reason: expect.stringMatching(/could not be converted/) as unknown,
    });
    expect((await readdir(dir)).filter((name) => name.includes('.tmp.'))).toEqual([]);
  });
});
