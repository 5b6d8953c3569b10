import { describe, expect, it } from 'vitest';
import type { SourceLevel } from '../sources/image-source.js';
import { bestLevelForDownsample, DeepZoomGeometry } from './geometry.js';

const levels = (...sizes: [number, number, number][]): SourceLevel[] =>
  sizes.map(([width, height, downsample]) => ({ width, height, downsample }));
const pyramid = (lv: SourceLevel[], properties: Record<string, string> = {}) => ({
  levels: lv,
  properties: new Map(Object.entries(properties)),
});

describe('bestLevelForDownsample (OpenSlide 3.4.1 rule)', () => {
  const lv = levels([1000, 1000, 1], [500, 500, 2], [250, 250, 4.0161]);
  it('picks the deepest level whose downsample does not exceed the request', () => {
    expect([0.5, 1, 1.99, 2, 3.9, 4.016, 4.0161, 64].map((d) => bestLevelForDownsample(lv, d))).toEqual([
      0, 0, 0, 1, 1, 1, 2, 2,
    ]);
  });
});

describe('DeepZoomGeometry', () => {
  it('halves (rounding up) down to 1x1 and counts 254-px tiles', () => {
    const g = new DeepZoomGeometry(pyramid(levels([600, 300, 1])));
    expect(g.levelDimensions).toEqual([
      [1, 1],
      [2, 1],
      [3, 2],
      [5, 3],
      [10, 5],
      [19, 10],
      [38, 19],
      [75, 38],
      [150, 75],
      [300, 150],
      [600, 300],
    ]);
    expect(g.levelTiles.at(-1)).toEqual([3, 2]);
    // Levels 0-8 are one tile each, then 2x1 and 3x2.
    expect(g.tileCount).toBe(9 + 2 + 6);
  });

  it('adds one pixel of overlap on interior edges only', () => {
    const g = new DeepZoomGeometry(pyramid(levels([600, 300, 1])));
    const top = g.levelCount - 1;
    expect(g.tile(top, 0, 0)).toEqual({
      region: { x: 0, y: 0, level: 0, width: 255, height: 255 },
      width: 255,
      height: 255,
    });
    expect(g.tile(top, 1, 0)).toEqual({
      region: { x: 253, y: 0, level: 0, width: 256, height: 255 },
      width: 256,
      height: 255,
    });
    // Last column: 600 - 2 * 254 = 92 pixels plus the left overlap.
    expect(g.tile(top, 2, 1)).toEqual({
      region: { x: 507, y: 253, level: 0, width: 93, height: 47 },
      width: 93,
      height: 47,
    });
  });

  it('refuses addresses outside the grid', () => {
    const g = new DeepZoomGeometry(pyramid(levels([600, 300, 1])));
    expect(g.hasTile(10, 2, 1)).toBe(true);
    for (const [level, col, row] of [
      [11, 0, 0],
      [-1, 0, 0],
      [10, 3, 0],
      [10, 0, 2],
      [10, 0.5, 0],
    ] as const) {
      expect(g.hasTile(level, col, row)).toBe(false);
      expect(() => g.tile(level, col, row)).toThrow(RangeError);
    }
  });

  it('with limitBounds, tiles only the bounded area and offsets reads into it', () => {
    const props = {
      'openslide.bounds-x': '100',
      'openslide.bounds-y': '50',
      'openslide.bounds-width': '300',
      'openslide.bounds-height': '200',
    };
    const g = new DeepZoomGeometry(pyramid(levels([600, 300, 1], [300, 150, 2]), props), {
      limitBounds: true,
    });
    expect(g.dimensions).toEqual([300, 200]);
    expect(g.tile(g.levelCount - 1, 0, 0).region).toEqual({
      x: 100,
      y: 50,
      level: 0,
      width: 255,
      height: 200,
    });
    // Without limitBounds the same properties are ignored.
    expect(new DeepZoomGeometry(pyramid(levels([600, 300, 1]), props)).dimensions).toEqual([600, 300]);
  });

  it('rejects malformed bounds and parameters', () => {
    expect(
      () =>
        new DeepZoomGeometry(pyramid(levels([10, 10, 1]), { 'openslide.bounds-x': '1.5' }), {
          limitBounds: true,
        }),
    ).toThrow(/bounds-x/);
    expect(() => new DeepZoomGeometry(pyramid([]))).toThrow(RangeError);
    expect(() => new DeepZoomGeometry(pyramid(levels([10, 10, 1])), { tileSize: 0 })).toThrow(RangeError);
  });
});
