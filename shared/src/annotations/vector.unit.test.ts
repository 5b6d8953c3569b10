import { describe, expect, it } from 'vitest';
import {
  anyVector,
  boundingBox,
  MAX_COORDINATE,
  MAX_POINTS,
  vectorFrame,
  vectorSchema,
  VectorType,
} from './vector.js';

function polygon(n: number, extra: Record<string, number> = {}): Record<string, number> {
  const vector: Record<string, number> = { ...extra };
  for (let i = 1; i <= n; i++) {
    vector[`x${i}`] = i * 10;
    vector[`y${i}`] = (i % 2) * 10;
  }
  return vector;
}

function message(vectorType: number, value: unknown, nodeCount = 0): string | null {
  const result = vectorSchema(vectorType, nodeCount).safeParse(value);
  return result.success ? null : result.error.issues.map((issue) => issue.message).join('; ');
}

describe('vector schemas per vector type', () => {
  const boxLike = [VectorType.box, VectorType.circle, VectorType.fixedBox];
  it.each(boxLike)('type %i takes an ordered box, with or without a frame', (type) => {
    expect(message(type, { x1: 1, y1: 2, x2: 3, y2: 4 })).toBeNull();
    expect(message(type, { x1: 1, y1: 2, x2: 1, y2: 2, frame: 3 })).toBeNull();
  });

  it.each(boxLike)('type %i refuses reversed corners, extra points and missing keys', (type) => {
    expect(message(type, { x1: 5, y1: 2, x2: 3, y2: 4 })).toMatch(/x1 <= x2/);
    expect(message(type, polygon(3))).toMatch(/needs 2 points, got 3/);
    expect(message(type, { x1: 1, y1: 2, x2: 3 })).toMatch(/y2 is missing/);
  });

  it('type 3 (line) takes two points in any order', () => {
    expect(message(VectorType.line, { x1: 30, y1: 40, x2: 10, y2: 20 })).toBeNull();
    expect(message(VectorType.line, { x1: 30, y1: 40 })).toMatch(/needs 2 points, got 1/);
  });

  it('type 4 (multi-line) takes two or more points', () => {
    expect(message(VectorType.multiLine, polygon(2))).toBeNull();
    expect(message(VectorType.multiLine, polygon(50))).toBeNull();
    expect(message(VectorType.multiLine, polygon(1))).toMatch(/2 to 20000 points, got 1/);
  });

  it('type 5 (polygon) takes three or more points, or exactly node_count', () => {
    expect(message(VectorType.polygon, polygon(3))).toBeNull();
    expect(message(VectorType.polygon, polygon(2))).toMatch(/3 to 20000 points, got 2/);
    expect(message(VectorType.polygon, polygon(4), 4)).toBeNull();
    expect(message(VectorType.polygon, polygon(5), 4)).toMatch(/exactly 4 points/);
  });

  it('type 7 (global) takes only null, and only type 7 takes null', () => {
    expect(message(VectorType.global, null)).toBeNull();
    expect(message(VectorType.global, { x1: 1, y1: 1, x2: 2, y2: 2 })).toMatch(/vector null/);
    expect(message(VectorType.box, null)).not.toBeNull();
  });

  it('type 8 (segmentation) takes an outline of three or more points', () => {
    expect(message(VectorType.segmentation, polygon(3))).toBeNull();
    expect(message(VectorType.segmentation, polygon(2))).not.toBeNull();
  });

  it('refuses unknown vector types', () => {
    expect(message(9, polygon(2))).toMatch(/unknown vector type 9/);
  });
});

describe('vector shape rules shared by all types', () => {
  it('refuses gaps, unknown keys and lone coordinates', () => {
    expect(message(VectorType.polygon, { x1: 0, y1: 0, x2: 1, y2: 1, x4: 2, y4: 2 })).toMatch(
      /x3 is missing/,
    );
    expect(message(VectorType.box, { x1: 0, y1: 0, x2: 1, y2: 1, z1: 3 })).toMatch(/unknown key "z1"/);
    expect(message(VectorType.box, { x1: 0, y1: 0, x2: 1, y2: 1, x01: 3 })).toMatch(/unknown key "x01"/);
    expect(message(VectorType.polygon, { ...polygon(3), y4: 1 })).toMatch(/y4 has no matching x4/);
  });

  it('refuses non-finite, out-of-range and non-numeric coordinates', () => {
    expect(message(VectorType.box, { x1: Number.NaN, y1: 0, x2: 1, y2: 1 })).not.toBeNull();
    expect(message(VectorType.box, { x1: 0, y1: 0, x2: Infinity, y2: 1 })).not.toBeNull();
    expect(message(VectorType.box, { x1: 0, y1: 0, x2: MAX_COORDINATE + 1, y2: 1 })).toMatch(/at most/);
    expect(message(VectorType.box, { x1: '0', y1: 0, x2: 1, y2: 1 })).toMatch(/finite numbers/);
    expect(message(VectorType.box, [1, 2, 3, 4])).not.toBeNull();
    expect(message(VectorType.box, 'box')).not.toBeNull();
  });

  it('refuses bad frames and too many points', () => {
    expect(message(VectorType.box, { x1: 0, y1: 0, x2: 1, y2: 1, frame: 1.5 })).toMatch(
      /frame must be an integer/,
    );
    expect(message(VectorType.box, { x1: 0, y1: 0, x2: 1, y2: 1, frame: -1 })).toMatch(/frame/);
    expect(message(VectorType.polygon, polygon(MAX_POINTS + 1))).toMatch(/too many points/);
  });

  it('anyVector takes null and any well-formed point object', () => {
    expect(anyVector.safeParse(null).success).toBe(true);
    expect(anyVector.safeParse(polygon(7, { frame: 2 })).success).toBe(true);
    expect(anyVector.safeParse({ x1: 1 }).success).toBe(false);
  });
});

describe('boundingBox', () => {
  it('spans all points and ignores the frame', () => {
    expect(boundingBox({ x1: 5, y1: 9, x2: -3, y2: 2, x3: 4, y3: 12, frame: 100 })).toEqual({
      xMin: -3,
      yMin: 2,
      xMax: 5,
      yMax: 12,
    });
    expect(vectorFrame({ x1: 5, y1: 9, frame: 100 })).toBe(100);
  });

  it('is null for global labels', () => {
    expect(boundingBox(null)).toBeNull();
    expect(vectorFrame(null)).toBeNull();
  });
});
