import { describe, expect, it } from 'vitest';
import { seededRandom } from '../versions/splits.js';
import { embed2d, embed2dInWorker } from './embedding.js';
import { clusterLayout, gridLayout, gridShape } from './layout.js';

const key = (cell: { col: number; row: number }) => `${cell.col},${cell.row}`;

describe('map layouts', () => {
  it('a grid is near-square, row-major and holds every crop once', () => {
    expect(gridShape(1)).toEqual({ columns: 1, rows: 1 });
    expect(gridShape(10)).toEqual({ columns: 4, rows: 3 });
    const layout = gridLayout(10);
    expect(layout.cells.slice(0, 5)).toEqual([
      { col: 0, row: 0 },
      { col: 1, row: 0 },
      { col: 2, row: 0 },
      { col: 3, row: 0 },
      { col: 0, row: 1 },
    ]);
    expect(new Set(layout.cells.map(key)).size).toBe(10);
  });

  it('a cluster layout puts every point in its own cell inside the grid', () => {
    const random = seededRandom(7);
    // Many points on the same spot: all must still get distinct cells.
    const points = Array.from({ length: 200 }, (_, i): [number, number] =>
      i < 100 ? [0, 0] : [random() * 10, random() * 10],
    );
    const layout = clusterLayout(points);
    expect(new Set(layout.cells.map(key)).size).toBe(200);
    for (const cell of layout.cells) {
      expect(cell.col).toBeLessThan(layout.columns);
      expect(cell.row).toBeLessThan(layout.rows);
    }
  });

  it('a cluster layout keeps groups of points together, apart from each other', () => {
    const points = Array.from({ length: 50 }, (_, i): [number, number] =>
      i % 2 === 0 ? [0 + (i % 5) * 0.01, 0] : [100 + (i % 5) * 0.01, 100],
    );
    const { cells } = clusterLayout(points);
    const left = cells.filter((_, i) => i % 2 === 0);
    const right = cells.filter((_, i) => i % 2 === 1);
    const mean = (cs: typeof cells) => cs.reduce((a, c) => a + c.col + c.row, 0) / cs.length;
    expect(mean(left)).toBeLessThan(mean(right) - 3);
  });

  it('the embedding is deterministic for a seed and separates distinct feature groups', () => {
    const random = seededRandom(1);
    const features = Array.from({ length: 40 }, (_, i) =>
      Array.from({ length: 6 }, () => (i < 20 ? 0 : 5) + random() * 0.1),
    );
    const first = embed2d(features, 42);
    expect(embed2d(features, 42)).toEqual(first);
    const { cells } = clusterLayout(first);
    expect(new Set(cells.map(key)).size).toBe(40);
    // Every cell of group A is nearer to A's centre than to B's.
    const centre = (cs: typeof cells) => [
      cs.reduce((a, c) => a + c.col, 0) / cs.length,
      cs.reduce((a, c) => a + c.row, 0) / cs.length,
    ];
    const [a, b] = [centre(cells.slice(0, 20)), centre(cells.slice(20))];
    const nearer = (c: { col: number; row: number }, p: number[], q: number[]) =>
      Math.hypot(c.col - (p[0] ?? 0), c.row - (p[1] ?? 0)) <
      Math.hypot(c.col - (q[0] ?? 0), c.row - (q[1] ?? 0));
    expect(cells.slice(0, 20).filter((c) => nearer(c, a, b)).length).toBeGreaterThanOrEqual(18);
  });

  it('the worker thread embeds exactly as this thread does', async () => {
    const random = seededRandom(5);
    const features = Array.from({ length: 30 }, () => Array.from({ length: 4 }, () => random()));
    expect(await embed2dInWorker(features, 9)).toEqual(embed2d(features, 9));
  });
});
