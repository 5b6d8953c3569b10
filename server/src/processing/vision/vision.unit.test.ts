import { describe, expect, it } from 'vitest';
import { openMask } from './morphology.js';
import { colourDensity, haematoxylinDensity, totalDensity } from './stain.js';
import { otsuThreshold, triangleThreshold } from './thresholds.js';
import { ownedByTile, tileGrid } from './tiling.js';

describe('stain densities', () => {
  it('puts white at zero and separates haematoxylin blue from eosin pink', () => {
    const rgb = new Uint8Array([255, 255, 255, 60, 50, 140, 240, 120, 170, 128, 128, 128]);
    const h = haematoxylinDensity(rgb, 4);
    expect(h[0]).toBeCloseTo(0, 5);
    expect(h[1]).toBeGreaterThan(0.25);
    expect(h[2]).toBeLessThan(0.1);
    const c = colourDensity(rgb, 4);
    expect(c[3]).toBeCloseTo(0, 5); // grey: dimmed, not coloured
    expect(totalDensity(rgb, 4)[3]).toBeCloseTo(3 * -Math.log10(129 / 256), 4);
  });
});

describe('thresholds', () => {
  it('Otsu parts two clusters; the triangle cuts at the foot of a dominant peak', () => {
    const values = new Float32Array([...Array<number>(900).fill(0.1), ...Array<number>(100).fill(0.9)]);
    const t = otsuThreshold(values, 0, 1);
    expect(t).toBeGreaterThan(0.1);
    expect(t).toBeLessThan(0.9);
    const tail = new Float32Array([
      ...Array<number>(900).fill(0.1),
      ...Array.from({ length: 100 }, (_, i) => 0.3 + i / 200),
    ]);
    const foot = triangleThreshold(tail, 0, 1);
    expect(foot).toBeGreaterThan(0.1);
    expect(foot).toBeLessThan(0.31);
  });
});

describe('morphology', () => {
  it('opens away specks and keeps solid blocks', () => {
    // A speck at (0, 0) and a 3 x 3 block at (2..4, 2..4) of a 6 x 6 mask.
    const block = (x: number, y: number) => x >= 2 && x <= 4 && y >= 2 && y <= 4;
    const input = Uint8Array.from({ length: 36 }, (_, i) =>
      i === 0 || block(i % 6, Math.floor(i / 6)) ? 1 : 0,
    );
    const expected = Array.from({ length: 36 }, (_, i) => (block(i % 6, Math.floor(i / 6)) ? 1 : 0));
    expect(Array.from(openMask(input, 6, 6, 1))).toEqual(expected);
  });
});

describe('tiling', () => {
  it('covers the region with cores and gives each object to one tile', () => {
    const region = { x: 100, y: 50, width: 1000, height: 700 };
    const tiles = tileGrid(region, 400, 64);
    expect(tiles).toHaveLength(6);
    expect(tiles.reduce((sum, t) => sum + t.core.width * t.core.height, 0)).toBe(700_000);
    expect(tiles[4]?.read).toEqual({ x: 436, y: 386, width: 528, height: 364 });
    const object = { x1: 490, y1: 430, x2: 530, y2: 470, cx: 510, cy: 450 };
    expect(tiles.filter((t) => ownedByTile(object, t, region, 1))).toHaveLength(1);
    // Cut by a read window's inner edge: not that tile's to report.
    const cut = { x1: 430, y1: 430, x2: 470, y2: 470, cx: 450, cy: 450 };
    const owner = tiles[4];
    expect(owner && ownedByTile(cut, owner, region, 1)).toBe(false);
  });
});
