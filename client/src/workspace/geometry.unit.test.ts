import { describe, expect, it } from 'vitest';
import { VectorType, vectorSchema } from '@tessera/shared';
import {
  corners,
  defaultShape,
  handleAt,
  handlesOf,
  hits,
  insidePolygon,
  moveHandle,
  simplify,
  toVector,
  translate,
} from './geometry';

describe('geometry', () => {
  it('builds EXACT vectors the shared schema accepts, with frame when given', () => {
    const [a, b] = corners({ x: 30.4, y: 80 }, { x: 10, y: 20.6 });
    const box = toVector([a, b], null);
    expect(box).toEqual({ x1: 10, y1: 21, x2: 30, y2: 80 });
    expect(vectorSchema(VectorType.box).safeParse(box).success).toBe(true);
    expect(toVector([{ x: 1, y: 2 }], 3)).toEqual({ x1: 1, y1: 2, frame: 3 });
  });

  it('places a single click as the default size centred on it; multi-point shapes need clicks', () => {
    expect(defaultShape(VectorType.box, { x: 100, y: 100 }, 50, 20)).toEqual([
      { x: 75, y: 90 },
      { x: 125, y: 110 },
    ]);
    expect(defaultShape(VectorType.line, { x: 0, y: 0 }, 10, 10)).toEqual([
      { x: -5, y: 0 },
      { x: 5, y: 0 },
    ]);
    expect(defaultShape(VectorType.polygon, { x: 0, y: 0 }, 10, 10)).toBeNull();
    expect(defaultShape(VectorType.multiLine, { x: 0, y: 0 }, 10, 10)).toBeNull();
  });

  it('hit-tests areas inside and lines near their segments', () => {
    const box = [
      { x: 0, y: 0 },
      { x: 10, y: 10 },
    ];
    expect(hits(VectorType.box, box, { x: 5, y: 5 }, 0)).toBe(true);
    expect(hits(VectorType.box, box, { x: 12, y: 5 }, 1)).toBe(false);
    expect(hits(VectorType.circle, box, { x: 1, y: 1 }, 0)).toBe(false); // outside the ellipse, inside the box
    expect(hits(VectorType.circle, box, { x: 5, y: 1 }, 0)).toBe(true);
    const line = [
      { x: 0, y: 0 },
      { x: 100, y: 0 },
    ];
    expect(hits(VectorType.line, line, { x: 50, y: 2 }, 3)).toBe(true);
    expect(hits(VectorType.line, line, { x: 50, y: 5 }, 3)).toBe(false);
    const triangle = [
      { x: 0, y: 0 },
      { x: 10, y: 0 },
      { x: 0, y: 10 },
    ];
    expect(insidePolygon({ x: 2, y: 2 }, triangle)).toBe(true);
    expect(hits(VectorType.polygon, triangle, { x: 8, y: 8 }, 0)).toBe(false);
    expect(hits(VectorType.multiLine, triangle, { x: 2, y: 2 }, 0.5)).toBe(false); // open: no inside
  });

  it('resizes two-corner shapes by a corner against the opposite one, and moves vertices of others', () => {
    const box = [
      { x: 0, y: 0 },
      { x: 10, y: 10 },
    ];
    const handles = handlesOf(VectorType.box, box);
    expect(handles).toHaveLength(4);
    expect(handleAt(handles, { x: 10.5, y: 0.5 }, 1)).toBe(1);
    expect(handleAt(handles, { x: 5, y: 5 }, 1)).toBe(-1);
    // Dragging the bottom-right corner past the top-left keeps the box ordered.
    expect(moveHandle(VectorType.box, box, 2, { x: -5, y: -5 })).toEqual([
      { x: -5, y: -5 },
      { x: 0, y: 0 },
    ]);
    expect(moveHandle(VectorType.polygon, [...box, { x: 0, y: 10 }], 2, { x: 3, y: 3 })[2]).toEqual({
      x: 3,
      y: 3,
    });
    expect(translate(box, 1, 2)).toEqual([
      { x: 1, y: 2 },
      { x: 11, y: 12 },
    ]);
  });

  it('simplifies dense outlines for zoomed-out drawing, keeping the ends', () => {
    const dense = Array.from({ length: 1000 }, (_, i) => ({ x: i * 0.1, y: 0 }));
    const simple = simplify(dense, 5);
    expect(simple.length).toBeLessThan(30);
    expect(simple[0]).toEqual(dense[0]);
    expect(simple[simple.length - 1]).toEqual(dense[999]);
  });
});
