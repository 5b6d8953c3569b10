import { describe, expect, it } from 'vitest';
import { connectedComponents } from './components.js';
import { simplifyPolygon, traceOutline } from './contour.js';
import { openMask } from './morphology.js';
import { colourDensity, haematoxylinDensity, totalDensity } from './stain.js';
import { otsuThreshold, triangleThreshold } from './thresholds.js';
import { ownedByTile, tileGrid } from './tiling.js';

/** A mask from rows of '#' (set) and '.' (unset). */
function mask(rows: string[]): { data: Uint8Array; width: number; height: number } {
  const width = rows[0]?.length ?? 0;
  const data = new Uint8Array(
    rows
      .join('')
      .split('')
      .map((c) => (c === '#' ? 1 : 0)),
  );
  return { data, width, height: rows.length };
}

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

describe('components and outlines', () => {
  const m = mask(['.....', '.##..', '.###.', '...#.', '#....']);

  it('labels 8-connected regions with their area, box and centroid', () => {
    const { components } = connectedComponents(m.data, new Float32Array(25).fill(1), m.width, m.height);
    expect(components).toHaveLength(2);
    expect(components[0]).toMatchObject({ area: 6, minX: 1, minY: 1, maxX: 3, maxY: 3, mean: 1 });
    expect(components[1]).toMatchObject({ area: 1, minX: 0, minY: 4, cx: 0.5, cy: 4.5 });
  });

  it('traces the outer boundary along pixel edges, clockwise', () => {
    const { labels, components } = connectedComponents(m.data, new Float32Array(25), m.width, m.height);
    const single = components[1];
    expect(single && traceOutline(labels, 5, 5, single.label, single.first)).toEqual([
      1, 4, 1, 5, 0, 5, 0, 4,
    ]);
    const square = mask(['##', '##']);
    const l = connectedComponents(square.data, new Float32Array(4), 2, 2);
    expect(traceOutline(l.labels, 2, 2, 1, 0)).toEqual([2, 0, 2, 2, 0, 2, 0, 0]);
  });

  it('simplifies a polygon within the tolerance', () => {
    const wobbly = [0, 0, 5, 0.2, 10, 0, 10, 10, 5, 9.8, 0, 10];
    expect(simplifyPolygon(wobbly, 0.5)).toEqual([0, 0, 10, 0, 10, 10, 0, 10]);
    expect(simplifyPolygon(wobbly, 0.1)).toEqual(wobbly);
  });

  it('opens away specks and keeps solid blocks', () => {
    const m2 = mask(['#.....', '......', '..###.', '..###.', '..###.', '......']);
    expect(Array.from(openMask(m2.data, 6, 6, 1))).toEqual(
      Array.from(mask(['......', '......', '..###.', '..###.', '..###.', '......']).data),
    );
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
