import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DeepZoomGeometry } from '../deepzoom/geometry.js';
import { tilePackPath } from '../access/layout.js';
import { openSlide } from '../sources/openslide.js';
import { TilePack } from '../sources/tile-pack.js';
import { slidePath } from '../testing/reference.js';
import { tileCount, writeTilePack } from './pack-writer.js';
import { renderTileJpeg } from './render.js';
import { lacking } from '../../../test/support/prerequisites.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe.skipIf(lacking('openslide'))('writeTilePack', () => {
  it('packs every tile of a scanner slide, byte for byte what the renderer makes', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tessera-packw-'));
    dirs.push(dir);
    const file = path.join(dir, 'boxes.tiff');
    await copyFile(slidePath('openslide-python-boxes.tiff'), file);
    const slide = openSlide(file);
    const geometry = new DeepZoomGeometry(slide);
    await writeTilePack(slide, geometry, tilePackPath(file), 90);
    const pack = await TilePack.open(tilePackPath(file));
    try {
      expect(pack.size).toBe(tileCount(geometry));
      const top = geometry.levelCount - 1;
      for (const [level, col, row] of [
        [top, 0, 0],
        [top, 1, 0],
        [3, 0, 0],
      ] as const) {
        const rendered = await renderTileJpeg(slide, geometry, { level, col, row }, { quality: 90 });
        expect((await pack.read(level, col, row))?.equals(rendered)).toBe(true);
      }
    } finally {
      await pack.close();
      await slide.close();
    }
  });
});
