// Choosing the layout and the plan of each DeepZoom level, on pyramids shaped like real slides.
import { describe, expect, it } from 'vitest';
import { chooseLayout, PACK_MAX_TILES, type NativeLevelShape } from './native-layout.js';

const none = new Map<string, string>();

/** An Aperio-like slide: 4x steps, 240-px tiles on every level. */
function aperio(width: number, height: number, steps: number, tile = 240) {
  const levels = Array.from({ length: steps }, (_, i) => ({
    width: Math.ceil(width / 4 ** i),
    height: Math.ceil(height / 4 ** i),
    downsample: 4 ** i,
  }));
  const native: NativeLevelShape[] = levels.map((level, sourceLevel) => ({
    sourceLevel,
    width: level.width,
    height: level.height,
    tileWidth: tile,
    tileHeight: tile,
  }));
  return { pyramid: { levels, properties: none }, native };
}

describe('chooseLayout', () => {
  it('lays a slide too large for a tile pack out in its stored grid, passing stored levels through', () => {
    const { pyramid, native } = aperio(48_000, 36_000, 4);
    const { geometry, plans } = chooseLayout(pyramid, native);
    expect([geometry.tileSize, geometry.overlap]).toEqual([240, 0]);
    const top = geometry.levelCount - 1;
    // Stored levels at DeepZoom top, top-2, top-4, top-6; one level below each is joined from 2 x 2.
    expect(plans.slice(top - 7)).toEqual([
      { sourceLevel: 3, shrink: 2 },
      { sourceLevel: 3, shrink: 1 },
      { sourceLevel: 2, shrink: 2 },
      { sourceLevel: 2, shrink: 1 },
      { sourceLevel: 1, shrink: 2 },
      { sourceLevel: 1, shrink: 1 },
      { sourceLevel: 0, shrink: 2 },
      { sourceLevel: 0, shrink: 1 },
    ]);
    // Below the smallest stored level's next level, tiles come from OpenSlide.
    expect(plans.slice(0, top - 7).every((plan) => plan === undefined)).toBe(true);
  });

  it('keeps openslide-python layout for slides that get a tile pack', () => {
    const { pyramid, native } = aperio(12_000, 9_000, 3);
    const layout = chooseLayout(pyramid, native);
    expect(layout.geometry.tileCount).toBeLessThanOrEqual(PACK_MAX_TILES);
    expect([layout.geometry.tileSize, layout.geometry.overlap]).toEqual([254, 1]);
    expect(layout.plans).toEqual([]);
    expect(chooseLayout(pyramid, native, 0).geometry.tileSize).toBe(240);
  });

  it('keeps openslide-python layout without stored JPEG tiles at full resolution, or with odd tiles', () => {
    const { pyramid, native } = aperio(48_000, 36_000, 4);
    expect(chooseLayout(pyramid, native.slice(1)).geometry.tileSize).toBe(254);
    expect(chooseLayout(pyramid, []).geometry.tileSize).toBe(254);
    const small = aperio(48_000, 36_000, 4, 64);
    expect(chooseLayout(small.pyramid, small.native).geometry.tileSize).toBe(254);
    const strips = native.map((level) => ({ ...level, tileHeight: 16 }));
    expect(chooseLayout(pyramid, strips).geometry.tileSize).toBe(254);
  });

  it('takes a stored level one pixel short of the DeepZoom size, and no shorter', () => {
    // Scanners often round level sizes down; DeepZoom rounds up: 33,014 / 4 = 8,253.5.
    const { pyramid, native } = aperio(46_920, 33_014, 3);
    const floored = native.map((level, i) => (i === 1 ? { ...level, height: 8_253 } : level));
    const layout = chooseLayout(pyramid, floored);
    const top = layout.geometry.levelCount - 1;
    expect(layout.plans[top - 2]).toEqual({ sourceLevel: 1, shrink: 1 });
    expect(layout.plans[top - 3]).toEqual({ sourceLevel: 1, shrink: 2 });
    const short = native.map((level, i) => (i === 1 ? { ...level, height: 8_252 } : level));
    const { plans } = chooseLayout(pyramid, short);
    expect(plans[top]).toEqual({ sourceLevel: 0, shrink: 1 });
    expect(plans[top - 1]).toEqual({ sourceLevel: 0, shrink: 2 });
    expect(plans[top - 2]).toBeUndefined();
    expect(plans[top - 4]).toEqual({ sourceLevel: 2, shrink: 1 });
  });
});
