import { VectorType, vectorPoints, type Point, type Vector } from '@tessera/shared';

/*
 * Between EXACT's vectors and the plain shapes the file formats carry. Pure. A shape says what the
 * file drew; the target annotation type decides which vector it becomes (a rectangle polygon imported
 * into a box type becomes the box, a box into a polygon type its four corners).
 */

/** A shape read from a file: its points, and whether the file drew a closed ring, a line or points. */
export interface Shape {
  readonly kind: 'ring' | 'line' | 'points';
  readonly points: readonly Point[];
  readonly frame?: number;
}

/** Vector types whose vector is the bounding box of the shape (x1 <= x2, y1 <= y2). */
const BOX_LIKE: ReadonlySet<number> = new Set([VectorType.box, VectorType.circle, VectorType.fixedBox]);

/** Whether vectors of this type are a box `x1, y1, x2, y2` (drawn as their rectangle). */
export function isBoxLike(vectorType: number): boolean {
  return BOX_LIKE.has(vectorType);
}

/** ringArea of the box's ring (x1,y1) (x2,y1) (x2,y2) (x1,y2): its shoelace sum in that order, unrolled. */
export function boxArea(x1: number, y1: number, x2: number, y2: number): number {
  let sum = x1 * y1 - x2 * y1;
  sum += x2 * y2 - x2 * y1;
  sum += x2 * y2 - x1 * y2;
  sum += x1 * y1 - x1 * y2;
  return Math.abs(sum) / 2;
}

/** The vector of a shape for an annotation type, or the reason it cannot be one. */
export function vectorFor(vectorType: number, shape: Shape): Vector | null | string {
  if (vectorType === VectorType.global) return null;
  const points = shape.points;
  if (points.length === 0) return 'the shape has no points';
  let vector: Vector;
  if (BOX_LIKE.has(vectorType)) {
    const xs = points.map((p) => p.x);
    const ys = points.map((p) => p.y);
    vector = { x1: Math.min(...xs), y1: Math.min(...ys), x2: Math.max(...xs), y2: Math.max(...ys) };
  } else if (vectorType === VectorType.line) {
    if (points.length !== 2) return `a line needs 2 points, the shape has ${points.length}`;
    vector = pointVector(points);
  } else {
    vector = pointVector(points);
  }
  if (shape.frame !== undefined) vector.frame = shape.frame;
  return vector;
}

/** The points of a vector as a shape of its type (boxes and circles as their rectangle). */
export function shapeOf(vectorType: number, vector: Vector | null): Shape | null {
  if (vector === null || vectorType === VectorType.global) return null;
  const frame = vector['frame'];
  const base = frame === undefined ? {} : { frame };
  if (BOX_LIKE.has(vectorType)) {
    // Read directly: exports call this a million times and the general point reader is slower.
    const { x1, y1, x2, y2 } = vector;
    if (x1 === undefined || y1 === undefined || x2 === undefined || y2 === undefined) return null;
    const a = { x: x1, y: y1 };
    const b = { x: x2, y: y2 };
    const ring = [
      { x: a.x, y: a.y },
      { x: b.x, y: a.y },
      { x: b.x, y: b.y },
      { x: a.x, y: b.y },
    ];
    return { kind: 'ring', points: ring, ...base };
  }
  const points = vectorPoints(vector);
  if (vectorType === VectorType.polygon || vectorType === VectorType.segmentation) {
    return { kind: 'ring', points, ...base };
  }
  return { kind: 'line', points, ...base };
}

/** The bounding box `[x, y, width, height]` of a shape. */
export function bboxOf(points: readonly Point[]): [number, number, number, number] {
  let [xMin, yMin, xMax, yMax] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const { x, y } of points) {
    if (x < xMin) xMin = x;
    if (x > xMax) xMax = x;
    if (y < yMin) yMin = y;
    if (y > yMax) yMax = y;
  }
  return [xMin, yMin, xMax - xMin, yMax - yMin];
}

/** The area of a ring (shoelace formula). */
export function ringArea(points: readonly Point[]): number {
  let sum = 0;
  points.forEach((p, i) => {
    const q = points[(i + 1) % points.length] as Point;
    sum += p.x * q.y - q.x * p.y;
  });
  return Math.abs(sum) / 2;
}

function pointVector(points: readonly Point[]): Vector {
  const vector: Vector = {};
  points.forEach((p, i) => {
    vector[`x${i + 1}`] = p.x;
    vector[`y${i + 1}`] = p.y;
  });
  return vector;
}
