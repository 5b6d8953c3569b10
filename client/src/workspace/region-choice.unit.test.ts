// Which region documents a view opens and closes, and the density of the others (docs/SPEC-collab.md, G4).
import { describe, expect, it } from 'vitest';
import { REGION_GRID, summarizeRegion, type RegionSummary } from '@tessera/shared';
import { AnnotationIndex } from './annotation-index';
import { chooseRegions, countIn } from './region-choice';
import { RegionDensity } from './region-density';

const SIZE = 4096;

/** A region holding `count` small boxes spread evenly over its square (or over `extent`). */
function region(x: number, y: number, count: number): [string, RegionSummary] {
  const boxes = Array.from({ length: count }, (_, i) => {
    const cx = x * SIZE + ((i * 37) % SIZE);
    const cy = y * SIZE + ((i * 91) % SIZE);
    return { box: { xMin: cx, yMin: cy, xMax: cx + 4, yMax: cy + 4 }, type: 1 };
  });
  return [`${x}.${y}`, summarizeRegion({ x, y }, SIZE, boxes)];
}

const view = (x: number, y: number, w = 2000, h = 1500) => ({ minX: x, minY: y, maxX: x + w, maxY: y + h });

describe('chooseRegions', () => {
  it('G4: opens the regions whose extent meets the view and half a view around it', () => {
    const index = new Map([region(0, 0, 100), region(1, 0, 100), region(5, 5, 100)]);
    // In region 0.0, 500 px from the border with 1.0: the margin (half of 2000) reaches across it.
    const choice = chooseRegions({
      index,
      size: SIZE,
      view: view(2600, 100),
      open: new Set(),
      unsent: new Set(),
    });
    expect(choice).toEqual({ open: ['0.0', '1.0'], close: [], dense: false });
    // In the middle of region 0.0: region 1.0 is beyond the margin.
    const middle = chooseRegions({
      index,
      size: SIZE,
      view: view(100, 100),
      open: new Set(),
      unsent: new Set(),
    });
    expect(middle.open).toEqual(['0.0']);
  });

  it('G4: finds a region by its extent, not its square (a shape dragged across the border)', () => {
    const [key, summary] = region(3, 0, 10);
    const dragged: RegionSummary = { ...summary, extent: [150, 100, 3 * SIZE + 100, 200] };
    const choice = chooseRegions({
      index: new Map([[key, dragged]]),
      size: SIZE,
      view: view(0, 0, 200, 200),
      open: new Set(),
      unsent: new Set(),
    });
    expect(choice.open).toEqual(['3.0']);
  });

  it('G4, W7: opens nothing new when more than the detail limit lies in view, and says so', () => {
    const index = new Map([region(0, 0, 2000), region(1, 0, 2000)]);
    const whole = view(0, 0, 2 * SIZE, SIZE);
    const dense = chooseRegions({
      index,
      size: SIZE,
      view: whole,
      open: new Set(),
      unsent: new Set(),
      detailLimit: 3000,
    });
    expect(dense).toEqual({ open: [], close: [], dense: true });
    const sparse = chooseRegions({
      index,
      size: SIZE,
      view: whole,
      open: new Set(),
      unsent: new Set(),
      detailLimit: 5000,
    });
    expect(sparse.open).toEqual(['0.0', '1.0']);
  });

  it('G4: past the load limit, only the regions meeting the view itself are opened', () => {
    const index = new Map([region(0, 0, 300), region(1, 0, 300)]);
    const choice = chooseRegions({
      index,
      size: SIZE,
      view: view(1500, 100),
      open: new Set(),
      unsent: new Set(),
      loadLimit: 400,
    });
    expect(choice.open).toEqual(['0.0']);
  });

  it('G4: closes regions far from the view, but keeps those with unsent work', () => {
    const index = new Map([region(0, 0, 10), region(8, 8, 10), region(9, 9, 10)]);
    const choice = chooseRegions({
      index,
      size: SIZE,
      view: view(100, 100),
      open: new Set(['0.0', '8.8', '9.9']),
      unsent: new Set(['9.9']),
    });
    expect(choice).toEqual({ open: [], close: ['8.8'], dense: false });
  });

  it('G4: keeps an open region the index does not know yet while its square is near the view', () => {
    const choice = chooseRegions({
      index: new Map(),
      size: SIZE,
      view: view(SIZE - 500, 100),
      open: new Set(['1.0']),
      unsent: new Set(),
    });
    expect(choice.close).toEqual([]);
    const far = chooseRegions({
      index: new Map(),
      size: SIZE,
      view: view(100, 100, 200, 200),
      open: new Set(['3.3']),
      unsent: new Set(),
    });
    expect(far.close).toEqual(['3.3']);
  });

  it('counts a region in a rectangle by the cells of its grid', () => {
    const [key, summary] = region(1, 1, 0);
    const grid = summary.grid.map((_, i) => (i === 0 || i === REGION_GRID * REGION_GRID - 1 ? 7 : 0));
    const corners: RegionSummary = { ...summary, count: 14, grid };
    expect(countIn(key, corners, SIZE, { minX: SIZE, minY: SIZE, maxX: SIZE + 100, maxY: SIZE + 100 })).toBe(
      7,
    );
    expect(countIn(key, corners, SIZE, { minX: 0, minY: 0, maxX: 3 * SIZE, maxY: 3 * SIZE })).toBe(14);
  });
});

describe('RegionDensity', () => {
  it('G4: draws the index density of the regions not loaded, on the workspace grid', () => {
    const index = new Map([region(0, 0, 100), region(1, 0, 50)]);
    const density = new RegionDensity(new AnnotationIndex(2 * SIZE, SIZE).density, SIZE);
    density.update(index, new Set(['0.0']));
    const all = { minX: 0, minY: 0, maxX: 2 * SIZE, maxY: SIZE };
    expect(density.estimateIn(all)).toBe(50);
    expect(density.estimateIn({ minX: 0, minY: 0, maxX: SIZE - 100, maxY: SIZE })).toBe(0);
    density.update(index, new Set());
    expect(density.estimateIn(all)).toBe(150);
  });
});
