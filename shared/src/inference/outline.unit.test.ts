import { describe, expect, it } from 'vitest';
import { connectedComponents } from './components.js';
import { simplifyPolygon, traceOutline } from './contour.js';

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

describe('components and outlines', () => {
  const m = mask(['.....', '.##..', '.###.', '...#.', '#....']);

  it('labels 8-connected regions with their area, box and centroid', () => {
    const { components } = connectedComponents(m.data, new Float32Array(25).fill(1), m.width, m.height);
    expect(components).toHaveLength(2);
    expect(components[0]).toMatchObject({ area: 6, box: { x1: 1, y1: 1, x2: 4, y2: 4 }, mean: 1 });
    expect(components[1]).toMatchObject({ area: 1, box: { x1: 0, y1: 4, x2: 1, y2: 5, cx: 0.5, cy: 4.5 } });
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
});
