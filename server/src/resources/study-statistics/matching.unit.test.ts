import { describe, expect, it } from 'vitest';
import { intersectionOverUnion, matchScore, matchShapes, scoredPairs, type Shape } from './matching.js';

const rule = { iouThreshold: 0.5, pointDistance: 10 };
const box = (x: number, y: number, w: number, h: number, frame: number | null = null): Shape => ({
  frame,
  xMin: x,
  yMin: y,
  xMax: x + w,
  yMax: y + h,
});
const point = (x: number, y: number): Shape => box(x, y, 0, 0);

describe('matching shapes of two readers', () => {
  it('computes the IoU of bounding boxes', () => {
    expect(intersectionOverUnion(box(0, 0, 10, 10), box(0, 0, 10, 10))).toBe(1);
    // Overlap 5x10 = 50 of a union of 150.
    expect(intersectionOverUnion(box(0, 0, 10, 10), box(5, 0, 10, 10))).toBeCloseTo(1 / 3, 12);
    expect(intersectionOverUnion(box(0, 0, 10, 10), box(10, 0, 10, 10))).toBe(0);
  });

  it('matches areas by IoU at the threshold, points by centre distance, never across frames', () => {
    // Overlap 8x10 = 80 of 120: IoU 2/3.
    expect(matchScore(box(0, 0, 10, 10), box(2, 0, 10, 10), rule)).toBeCloseTo(2 / 3, 12);
    expect(matchScore(box(0, 0, 10, 10), box(5, 0, 10, 10), rule)).toBeNull();
    expect(matchScore(box(0, 0, 10, 10), box(0, 0, 10, 10), { ...rule, iouThreshold: 1 })).toBe(1);
    expect(matchScore(point(0, 0), point(6, 8), rule)).toBeCloseTo(1 - 10 / 11, 12);
    expect(matchScore(point(0, 0), point(6, 9), rule)).toBeNull();
    // A point against a box: the box's centre (5, 5) is 5 away from (5, 10).
    expect(matchScore(point(5, 10), box(0, 0, 10, 10), rule)).toBeCloseTo(1 - 5 / 11, 12);
    expect(matchScore(box(0, 0, 10, 10, 1), box(0, 0, 10, 10, 2), rule)).toBeNull();
  });

  it('pairs greedily, best overlap first, each shape once', () => {
    const a = [box(0, 0, 10, 10), box(100, 100, 10, 10), box(300, 0, 10, 10)];
    const b = [box(101, 100, 10, 10), box(1, 0, 10, 10), box(0, 1, 10, 10), point(500, 500)];
    const matching = matchShapes(a, b, rule);
    // a0 overlaps b1 and b2 alike (IoU 90/110): the tie goes to the lower index.
    expect(matching.pairs).toEqual([
      [0, 1],
      [1, 0],
    ]);
    expect(matching.onlyA).toEqual([2]);
    expect(matching.onlyB).toEqual([2, 3]);
  });

  it('takes the best pair first even when that leaves another shape unmatched (greedy, not maximal)', () => {
    // a0 fits b0 best (IoU 9/11) and b1 too (8/12); a1 fits only b0 (8/12). Greedy takes a0-b0 and
    // leaves a1 and b1 alone, where a0-b1 and a1-b0 would have made two pairs.
    const a = [box(0, 0, 10, 10), box(3, 0, 10, 10)];
    const b = [box(1, 0, 10, 10), box(-2, 0, 10, 10)];
    const matching = matchShapes(a, b, rule);
    expect(matching.pairs).toEqual([[0, 0]]);
    expect([matching.onlyA, matching.onlyB]).toEqual([[1], [1]]);
  });

  it('considers exactly the pairs that comparing every shape with every other finds', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647) * 1000;
    const a = Array.from({ length: 400 }, () => {
      const size = random() / 10;
      return random() < 150 ? point(random(), random()) : box(random(), random(), size, size * 1.3);
    });
    // The other reader marks most of the same things, a little off, and some of their own.
    const b = [
      ...a
        .filter(() => random() < 800)
        .map((s) => ({
          ...s,
          xMin: s.xMin + random() / 200,
          xMax: s.xMax + random() / 200,
          yMin: s.yMin - random() / 200,
        })),
      ...a.slice(0, 50).map((s) => ({ ...s, xMin: s.xMin + 40, xMax: s.xMax + 40 })),
    ];
    const everyPair: string[] = [];
    for (const [i, s] of a.entries())
      for (const [j, t] of b.entries()) if (matchScore(s, t, rule) !== null) everyPair.push(`${i}-${j}`);
    const swept = scoredPairs(a, b, rule, (s, t) => matchScore(s, t, rule)).map((c) => `${c.i}-${c.j}`);
    expect(everyPair.length).toBeGreaterThan(250);
    expect(swept.sort()).toEqual(everyPair.sort());
  });

  it('finds the pairs of a shape much larger than the grid cells (points with no slack)', () => {
    const exact = { iouThreshold: 0.5, pointDistance: 0 };
    const points = [point(5, 5), point(500, 500), point(-3, 7)];
    const region = box(0, 0, 1000, 1000);
    const found = scoredPairs([point(500, 500), region], points, exact, (s, t) => matchScore(s, t, exact));
    // The region's centre is (500, 500): it matches that point at distance 0, as the point itself does.
    expect(found.map((c) => [c.i, c.j])).toEqual([
      [0, 1],
      [1, 1],
    ]);
  });
});
