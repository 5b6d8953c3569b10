// Shapes in image pixel coordinates: building EXACT vectors, hit tests, handles, simplification.
// Pure functions (no DOM), so the rules the canvas and the tools follow are unit-tested.
import { VectorType, vectorPoints, type Point, type Vector } from '@tessera/shared';

export type { Point };

/** An axis-aligned rectangle, the shape rbush indexes. */
export interface Rect {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/** Vector types drawn as a rectangle spanned by two corners (EXACT stores x1 <= x2, y1 <= y2). */
export function isTwoCorner(vectorType: number): boolean {
  return (
    vectorType === VectorType.box || vectorType === VectorType.circle || vectorType === VectorType.fixedBox
  );
}

/** Vector types whose outline closes (polygons and segmentations). */
export function isClosed(vectorType: number): boolean {
  return vectorType === VectorType.polygon || vectorType === VectorType.segmentation;
}

/** The bounding rectangle of some points (empty input gives an inverted rectangle). */
export function rectOf(points: readonly Point[]): Rect {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const { x, y } of points) {
    if (x < minX) minX = x;
    if (y < minY) minY = y;
    if (x > maxX) maxX = x;
    if (y > maxY) maxY = y;
  }
  return { minX, minY, maxX, maxY };
}

/** Whether two rectangles overlap (touching counts). */
export function intersects(a: Rect, b: Rect): boolean {
  return a.minX <= b.maxX && b.minX <= a.maxX && a.minY <= b.maxY && b.minY <= a.maxY;
}

/** The two corners of the rectangle spanned by two points, ordered as EXACT stores them. */
export function corners(a: Point, b: Point): [Point, Point] {
  return [
    { x: Math.min(a.x, b.x), y: Math.min(a.y, b.y) },
    { x: Math.max(a.x, b.x), y: Math.max(a.y, b.y) },
  ];
}

/**
 * EXACT's vector `{x1, y1, ..., xn, yn}` for some points, rounded to whole pixels (as EXACT's own
 * client stores them), with `frame` when the image has several frames.
 */
export function toVector(points: readonly Point[], frame: number | null): Vector {
  const vector: Vector = {};
  points.forEach((p, i) => {
    vector[`x${i + 1}`] = Math.round(p.x);
    vector[`y${i + 1}`] = Math.round(p.y);
  });
  if (frame !== null) vector['frame'] = frame;
  return vector;
}

/** The points of an annotation's vector (none for image-level labels). */
export function pointsOf(vector: Vector | null): Point[] {
  return vectorPoints(vector);
}

/**
 * The shape a single click places for a type (EXACT's "click to place" with the type's default
 * size, centred on the click), or null where a click cannot make a whole shape (multi-lines and
 * polygons are drawn vertex by vertex).
 */
export function defaultShape(vectorType: number, at: Point, width: number, height: number): Point[] | null {
  const w = width / 2;
  const h = height / 2;
  if (isTwoCorner(vectorType)) {
    return [
      { x: at.x - w, y: at.y - h },
      { x: at.x + w, y: at.y + h },
    ];
  }
  if (vectorType === VectorType.line) {
    return [
      { x: at.x - w, y: at.y },
      { x: at.x + w, y: at.y },
    ];
  }
  return null;
}

/** Squared distance from `p` to the segment a-b. */
export function segmentDistance2(p: Point, a: Point, b: Point): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const length2 = dx * dx + dy * dy;
  const t = length2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / length2));
  const ex = a.x + t * dx - p.x;
  const ey = a.y + t * dy - p.y;
  return ex * ex + ey * ey;
}

/** Even-odd point-in-polygon test. */
export function insidePolygon(p: Point, polygon: readonly Point[]): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const a = polygon[i];
    const b = polygon[j];
    if (a === undefined || b === undefined) continue;
    if (a.y > p.y !== b.y > p.y && p.x < ((b.x - a.x) * (p.y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}

function nearOutline(p: Point, points: readonly Point[], closed: boolean, tolerance: number): boolean {
  const t2 = tolerance * tolerance;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1];
    const b = points[i];
    if (a !== undefined && b !== undefined && segmentDistance2(p, a, b) <= t2) return true;
  }
  const first = points[0];
  const last = points[points.length - 1];
  return closed && first !== undefined && last !== undefined && segmentDistance2(p, last, first) <= t2;
}

/**
 * Whether a click at `p` hits a shape: inside boxes, ellipses and polygons (EXACT's area hit
 * test), or within `tolerance` pixels of a line or outline.
 */
export function hits(vectorType: number, points: readonly Point[], p: Point, tolerance: number): boolean {
  const [a, b] = points;
  if (isTwoCorner(vectorType) && a !== undefined && b !== undefined) {
    if (vectorType === VectorType.circle) {
      const rx = (b.x - a.x) / 2 + tolerance;
      const ry = (b.y - a.y) / 2 + tolerance;
      const nx = (p.x - (a.x + b.x) / 2) / rx;
      const ny = (p.y - (a.y + b.y) / 2) / ry;
      return nx * nx + ny * ny <= 1;
    }
    return (
      p.x >= a.x - tolerance && p.x <= b.x + tolerance && p.y >= a.y - tolerance && p.y <= b.y + tolerance
    );
  }
  const closed = isClosed(vectorType);
  if (closed && insidePolygon(p, points)) return true;
  return nearOutline(p, points, closed, tolerance);
}

/** The editing handles of a shape: the four corners of two-corner shapes, else every vertex. */
export function handlesOf(vectorType: number, points: readonly Point[]): Point[] {
  const [a, b] = points;
  if (isTwoCorner(vectorType) && a !== undefined && b !== undefined) {
    return [a, { x: b.x, y: a.y }, b, { x: a.x, y: b.y }];
  }
  return [...points];
}

/** The index of the handle within `tolerance` of `p`, or -1. */
export function handleAt(handles: readonly Point[], p: Point, tolerance: number): number {
  const t2 = tolerance * tolerance;
  return handles.findIndex((h) => (h.x - p.x) ** 2 + (h.y - p.y) ** 2 <= t2);
}

/**
 * The points after dragging handle `index` to `to`. A two-corner shape keeps the opposite corner
 * fixed (and stays ordered); other shapes move that one vertex.
 */
export function moveHandle(vectorType: number, points: readonly Point[], index: number, to: Point): Point[] {
  if (isTwoCorner(vectorType)) {
    const handles = handlesOf(vectorType, points);
    const opposite = handles[(index + 2) % 4];
    return opposite === undefined ? [...points] : corners(opposite, to);
  }
  return points.map((p, i) => (i === index ? to : p));
}

/** The points moved by (dx, dy). */
export function translate(points: readonly Point[], dx: number, dy: number): Point[] {
  return points.map((p) => ({ x: p.x + dx, y: p.y + dy }));
}

/**
 * Drops vertices closer than `tolerance` to the last kept one (radial simplification): when zoomed
 * out, a polygon of thousands of points needs only the ones a pixel apart. Keeps first and last.
 */
export function simplify(points: readonly Point[], tolerance: number): Point[] {
  if (points.length <= 3 || tolerance <= 0) return [...points];
  const t2 = tolerance * tolerance;
  const first = points[0];
  if (first === undefined) return [];
  const kept: Point[] = [first];
  let last = first;
  for (let i = 1; i < points.length - 1; i++) {
    const p = points[i];
    if (p !== undefined && (p.x - last.x) ** 2 + (p.y - last.y) ** 2 >= t2) {
      kept.push(p);
      last = p;
    }
  }
  const end = points[points.length - 1];
  if (end !== undefined) kept.push(end);
  return kept;
}
