import { describe, expect, it } from 'vitest';
import { VectorType, vectorSchema } from '@tessera/shared';
import { applyStroke, freehandPolygon, polygonArea, strokeOutline } from './brush';
import { rectOf, toVector, type Point } from './geometry';
import { formatLength, formatMagnification, magnification, polylineLength } from './measure';

const square = (x: number, y: number, size: number): Point[] => [
  { x, y },
  { x: x + size, y },
  { x: x + size, y: y + size },
  { x, y: y + size },
];

describe('freehandPolygon', () => {
  it('keeps the corners of a traced square and drops the points along its edges', () => {
    const trace: Point[] = [];
    for (let i = 0; i <= 100; i += 2) trace.push({ x: i, y: 0.3 * Math.sin(i) });
    for (let i = 0; i <= 100; i += 2) trace.push({ x: 100, y: i });
    for (let i = 100; i >= 0; i -= 2) trace.push({ x: i, y: 100 });
    for (let i = 100; i >= 10; i -= 2) trace.push({ x: 0, y: i });
    expect(freehandPolygon(trace, 1.5)).toEqual([
      { x: 0, y: 0 },
      { x: 100, y: 0 },
      { x: 100, y: 100 },
      { x: 0, y: 100 },
      { x: 0, y: 10 },
    ]);
  });

  it('gives no polygon for a trace without area', () => {
    expect(
      freehandPolygon(
        [
          { x: 0, y: 0 },
          { x: 50, y: 0.2 },
          { x: 100, y: 0 },
        ],
        1,
      ),
    ).toEqual([]);
  });
});

describe('strokeOutline', () => {
  it('sweeps the brush disc along the path: a stadium of the stroke length and twice the radius', () => {
    const outline = strokeOutline(
      [
        { x: 100, y: 100 },
        { x: 150, y: 100 },
        { x: 200, y: 100 },
      ],
      10,
    );
    const box = rectOf(outline);
    expect(box.minX).toBeCloseTo(90, 5);
    expect(box.maxX).toBeCloseTo(210, 5);
    expect(box.minY).toBeCloseTo(90, 0);
    expect(box.maxY).toBeCloseTo(110, 0);
    // 100 x 20 band plus one disc (a 16-gon of radius 10 has area 8 * 100 * sin(pi / 8) * 2).
    const disc = 16 * 0.5 * 100 * Math.sin((2 * Math.PI) / 16);
    expect(Math.abs(polygonArea(outline))).toBeCloseTo(2000 + disc, 3);
  });

  it('is one disc for a click', () => {
    const outline = strokeOutline([{ x: 0, y: 0 }], 5);
    expect(outline).toHaveLength(16);
  });
});

describe('applyStroke', () => {
  it('grows a polygon by a stroke that overlaps it (union)', () => {
    const result = applyStroke(square(0, 0, 100), square(90, 40, 40), false, 0.5);
    expect(result?.extra).toEqual([]);
    expect(Math.abs(polygonArea(result?.outline ?? []))).toBe(100 * 100 + 30 * 40);
    expect(rectOf(result?.outline ?? [])).toEqual({ minX: 0, minY: 0, maxX: 130, maxY: 100 });
  });

  it('leaves a polygon alone when the stroke does not touch it (a new shape instead)', () => {
    expect(applyStroke(square(0, 0, 10), square(50, 50, 10), false, 0.5)).toBeNull();
  });

  it('cuts a notch out (difference), splits a polygon in two, and erases it away', () => {
    const notch = applyStroke(square(0, 0, 100), square(80, -10, 30), true, 0.5);
    expect(Math.abs(polygonArea(notch?.outline ?? []))).toBe(100 * 100 - 20 * 20);
    expect(notch?.holeDropped).toBe(false);
    const split = applyStroke(
      [
        { x: 0, y: 0 },
        { x: 100, y: 0 },
        { x: 100, y: 20 },
        { x: 0, y: 20 },
      ],
      [
        { x: 30, y: -10 },
        { x: 40, y: -10 },
        { x: 40, y: 30 },
        { x: 30, y: 30 },
      ],
      true,
      0.5,
    );
    expect(split?.outline).toHaveLength(4);
    expect(split?.extra).toHaveLength(1);
    expect(rectOf(split?.outline ?? []).minX).toBe(40); // the larger piece keeps the annotation
    const gone = applyStroke(square(0, 0, 10), square(-5, -5, 30), true, 0.5);
    expect(gone).toEqual({ outline: null, extra: [], holeDropped: false });
  });

  it('reports a hole an erase would make (EXACT polygons have none) and keeps the outline', () => {
    const result = applyStroke(square(0, 0, 100), square(40, 40, 10), true, 0.5);
    expect(result?.holeDropped).toBe(true);
    expect(Math.abs(polygonArea(result?.outline ?? []))).toBe(100 * 100);
  });

  it('writes vectors the shared polygon schema accepts', () => {
    const outline = strokeOutline(
      [
        { x: 10.4, y: 10.7 },
        { x: 60.2, y: 30.9 },
      ],
      8,
    );
    const merged = applyStroke(square(0, 0, 40), outline, false, 0.75);
    const vector = toVector(merged?.outline ?? [], null);
    expect(vectorSchema(VectorType.polygon).safeParse(vector).success).toBe(true);
    expect(Object.values(vector).every(Number.isInteger)).toBe(true);
  });
});

describe('measure', () => {
  const resolution = { mpp: 0.25, objectivePower: 40 };

  it('measures polylines in µm or mm, in pixels when the resolution is unknown', () => {
    expect(
      polylineLength([
        { x: 0, y: 0 },
        { x: 30, y: 40 },
        { x: 30, y: 140 },
      ]),
    ).toBe(150);
    expect(formatLength(150, resolution)).toBe('37.5 µm');
    expect(formatLength(8000, resolution)).toBe('2.00 mm');
    expect(formatLength(150, { mpp: 0, objectivePower: 20 })).toBe('≈ 75.0 µm');
    expect(formatLength(150, { mpp: 0, objectivePower: 0 })).toBe('150 px');
  });

  it('gives the objective power on screen, estimated from mpp when the scanner gave none', () => {
    expect(formatMagnification(magnification(resolution, 1) ?? { power: 0, estimated: false })).toBe('40x');
    expect(formatMagnification(magnification(resolution, 0.125) ?? { power: 0, estimated: false })).toBe(
      '5x',
    );
    expect(magnification({ mpp: 0.5, objectivePower: 0 }, 1)).toEqual({ power: 20, estimated: true });
    expect(magnification({ mpp: 0, objectivePower: 0 }, 1)).toBeNull();
  });
});
