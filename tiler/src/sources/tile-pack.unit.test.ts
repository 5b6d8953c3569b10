import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { DeepZoomGeometry } from '../deepzoom/geometry.js';
import { convertToPyramid, tilePackPath } from './convert.js';
import { openSlide } from './openslide.js';
import { TilePack } from './tile-pack.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function convertedImage(width: number, height: number) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tessera-pack-'));
  dirs.push(dir);
  const input = path.join(dir, 'in.png');
  await sharp({ create: { width, height, channels: 3, background: '#884422' } })
    .png()
    .toFile(input);
  const pyramid = path.join(dir, 'pyramid.tiff');
  const result = await convertToPyramid(input, pyramid, { maxPixels: 1e9 });
  expect(result.status).toBe('converted');
  return pyramid;
}

describe('tile packs', () => {
  it('hold every DeepZoom tile of a converted image at exactly the size the geometry promises', async () => {
    const pyramid = await convertedImage(1500, 1000);
    const source = openSlide(pyramid);
    const pack = await TilePack.open(tilePackPath(pyramid));
    try {
      const geometry = new DeepZoomGeometry(source);
      expect(pack.maxLevel).toBe(geometry.levelCount - 1);
      let tiles = 0;
      for (let level = 0; level < geometry.levelCount; level++) {
        const [cols, rows] = geometry.levelTiles[level] ?? [0, 0];
        for (let col = 0; col < cols; col++) {
          for (let row = 0; row < rows; row++) {
            const jpeg = await pack.read(level, col, row);
            if (!jpeg) throw new Error(`tile ${level}/${col}_${row} missing from the pack`);
            const meta = await sharp(jpeg).metadata();
            const spec = geometry.tile(level, col, row);
            expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', spec.width, spec.height]);
            tiles++;
          }
        }
      }
      expect(pack.size).toBe(tiles);
      expect(await pack.read(geometry.levelCount, 0, 0)).toBeUndefined();
    } finally {
      await pack.close();
      await source.close();
    }
  });

  it('refuse a file that is not a zip', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tessera-pack-'));
    dirs.push(dir);
    const bogus = path.join(dir, 'x.tiles.zip');
    await sharp({ create: { width: 4, height: 4, channels: 3, background: '#000' } })
      .png()
      .toFile(bogus);
    await expect(TilePack.open(bogus)).rejects.toThrow();
  });
});
