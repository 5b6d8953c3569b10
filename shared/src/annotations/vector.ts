import { z } from 'zod';

/** EXACT's AnnotationType.vector_type values. */
export const VectorType = {
  box: 1,
  circle: 2,
  line: 3,
  multiLine: 4,
  polygon: 5,
  fixedBox: 6,
  global: 7,
  segmentation: 8,
} as const;
export type VectorType = (typeof VectorType)[keyof typeof VectorType];

/** Coordinates beyond this (in pixels, either sign) are refused: no scanner image is that large. */
export const MAX_COORDINATE = 10_000_000;
/** The most points one vector may carry (polygons, multi-lines, segmentations). */
export const MAX_POINTS = 20_000;
/** The largest frame number a vector may name. */
export const MAX_FRAME = 1_000_000;

/** A point-based vector as EXACT stores it: `{x1, y1, ..., xn, yn}`, optionally with `frame`. */
export type Vector = Record<string, number>;
export interface Point {
  x: number;
  y: number;
}
export interface BoundingBox {
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

const coordinate = z
  .number({ error: 'coordinates must be finite numbers' })
  .min(-MAX_COORDINATE, `coordinates must be at least -${MAX_COORDINATE}`)
  .max(MAX_COORDINATE, `coordinates must be at most ${MAX_COORDINATE}`);

const COORDINATE_KEY = /^([xy])([1-9][0-9]{0,5})$/;

/**
 * The points of a vector object, or a message saying why it is not one. Keys must be `frame` or
 * `x<i>`/`y<i>` with i running from 1 to n without gaps, each x with its y.
 */
function readPoints(value: Record<string, unknown>): Point[] | string {
  const xs = new Map<number, number>();
  const ys = new Map<number, number>();
  for (const [key, raw] of Object.entries(value)) {
    if (key === 'frame') continue;
    const match = COORDINATE_KEY.exec(key);
    if (match === null) return `unknown key "${key}" (expected x1, y1, ..., xn, yn and optionally frame)`;
    const index = Number(match[2]);
    if (index > MAX_POINTS) return `too many points (at most ${MAX_POINTS})`;
    (match[1] === 'x' ? xs : ys).set(index, raw as number);
  }
  const points: Point[] = [];
  for (let i = 1; i <= xs.size; i++) {
    const x = xs.get(i);
    const y = ys.get(i);
    if (x === undefined) return `x${i} is missing (points must be numbered 1..n without gaps)`;
    if (y === undefined) return `y${i} is missing (every x needs its y)`;
    points.push({ x, y });
  }
  if (ys.size !== xs.size) return `y${xs.size + 1} has no matching x${xs.size + 1}`;
  return points;
}

const pointObject = z
  .record(z.string(), coordinate)
  .refine((value) => Object.keys(value).length <= 2 * MAX_POINTS + 1, {
    error: `too many points (at most ${MAX_POINTS})`,
    abort: true,
  })
  .superRefine((value, ctx) => {
    const frame = value['frame'];
    if (frame !== undefined && (!Number.isInteger(frame) || frame < 0 || frame > MAX_FRAME)) {
      ctx.addIssue({
        code: 'custom',
        path: ['frame'],
        message: `frame must be an integer from 0 to ${MAX_FRAME}`,
      });
    }
    const points = readPoints(value);
    if (typeof points === 'string') ctx.addIssue({ code: 'custom', message: points });
  });

/** Any vector of any type: null (image-level label) or a well-formed point object. */
export const anyVector = pointObject.nullable();

interface PointRule {
  min: number;
  max: number;
  /** Boxes and circles store x1 <= x2 and y1 <= y2. */
  ordered?: boolean;
  what: string;
}

function pointRule(vectorType: number, nodeCount: number): PointRule | null {
  switch (vectorType) {
    case VectorType.box:
      return { min: 2, max: 2, ordered: true, what: 'a box' };
    case VectorType.circle:
      return { min: 2, max: 2, ordered: true, what: 'a circle (the bounding box of the ellipse)' };
    case VectorType.line:
      return { min: 2, max: 2, what: 'a line' };
    case VectorType.fixedBox:
      return { min: 2, max: 2, ordered: true, what: 'a fixed-size box' };
    case VectorType.multiLine:
      return { min: 2, max: MAX_POINTS, what: 'a multi-line' };
    case VectorType.polygon:
      return nodeCount > 0
        ? { min: nodeCount, max: nodeCount, what: `a polygon of this type (exactly ${nodeCount} points)` }
        : { min: 3, max: MAX_POINTS, what: 'a polygon' };
    case VectorType.segmentation:
      return { min: 3, max: MAX_POINTS, what: 'a segmentation outline' };
    default:
      return null;
  }
}

function countMessage(rule: PointRule, n: number): string {
  const wanted = rule.min === rule.max ? `${rule.min}` : `${rule.min} to ${rule.max}`;
  return `${rule.what} needs ${wanted} points, got ${n}`;
}

const schemas = new Map<string, z.ZodType<Vector | null>>();

/**
 * The schema of the vector of an annotation whose type has `vectorType` (and, for polygons,
 * `nodeCount`; 0 means any number of points). Global labels (7) take `null`; every other type takes
 * a point object. Schemas are built once per kind (building a zod schema costs more than using it).
 */
export function vectorSchema(vectorType: number, nodeCount = 0): z.ZodType<Vector | null> {
  const key = `${vectorType}:${nodeCount}`;
  let schema = schemas.get(key);
  if (schema === undefined) schemas.set(key, (schema = buildVectorSchema(vectorType, nodeCount)));
  return schema;
}

function buildVectorSchema(vectorType: number, nodeCount: number): z.ZodType<Vector | null> {
  if (vectorType === VectorType.global) {
    return z.null({ error: 'a global (image-level) annotation has vector null' });
  }
  const rule = pointRule(vectorType, nodeCount);
  if (rule === null) {
    return z.never({ error: `unknown vector type ${vectorType}` });
  }
  return pointObject.superRefine((value, ctx) => {
    const points = readPoints(value);
    if (typeof points === 'string') return; // already reported by pointObject
    if (points.length < rule.min || points.length > rule.max) {
      ctx.addIssue({ code: 'custom', message: countMessage(rule, points.length) });
      return;
    }
    const [a, b] = points;
    if (rule.ordered === true && a !== undefined && b !== undefined && (a.x > b.x || a.y > b.y)) {
      ctx.addIssue({ code: 'custom', message: `${rule.what} needs x1 <= x2 and y1 <= y2` });
    }
  });
}

/** The points of a vector in order; empty for null (global) vectors. Assumes a valid vector. */
export function vectorPoints(vector: Vector | null): Point[] {
  if (vector === null) return [];
  const points = readPoints(vector);
  return typeof points === 'string' ? [] : points;
}

/** The axis-aligned bounding box of a vector, or null for global (image-level) vectors. */
export function boundingBox(vector: Vector | null): BoundingBox | null {
  const points = vectorPoints(vector);
  if (points.length === 0) return null;
  let xMin = Infinity;
  let yMin = Infinity;
  let xMax = -Infinity;
  let yMax = -Infinity;
  for (const { x, y } of points) {
    xMin = Math.min(xMin, x);
    yMin = Math.min(yMin, y);
    xMax = Math.max(xMax, x);
    yMax = Math.max(yMax, y);
  }
  return { xMin, yMin, xMax, yMax };
}

/** The frame a vector names, if any. */
export function vectorFrame(vector: Vector | null): number | null {
  return vector?.['frame'] ?? null;
}
