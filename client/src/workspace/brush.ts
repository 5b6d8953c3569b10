// Freehand and brush shapes as EXACT polygons (one outer ring, no holes). A brush stroke becomes the
// outline of the stroke's disc swept along its path; painting adds it to the edited polygon, erasing
// takes it away (polyclip-ts does the union and difference). Pure functions, unit-tested.
import { difference, union, type Geom } from 'polyclip-ts';
import simplifyPath from 'simplify-js';
import type { Point } from '@tessera/shared';

type Ring = [number, number][];

/** Sides of the polygon that stands for the brush's disc. */
const DISC_SIDES = 16;

/**
 * A freehand trace as a polygon's vertices: Douglas-Peucker within `tolerance` image pixels, rounded
 * to whole pixels, repeated points dropped. Fewer than three points means no polygon (empty array).
 */
export function freehandPolygon(trace: readonly Point[], tolerance: number): Point[] {
  const points = tidy(simplifyPath([...trace], tolerance, true));
  return points.length >= 3 ? points : [];
}

/** The outline of a stroke of `radius` along `path` (a disc at every point, a band along each step). */
export function strokeOutline(path: readonly Point[], radius: number): Point[] {
  const spaced = simplifyPath([...path], radius / 4, false);
  const pieces: Geom[] = spaced.map((p) => [disc(p, radius)]);
  for (let i = 1; i < spaced.length; i++) {
    const a = spaced[i - 1];
    const b = spaced[i];
    if (a !== undefined && b !== undefined) pieces.push([band(a, b, radius)]);
  }
  const [first, ...rest] = pieces;
  if (first === undefined) return [];
  return largestOuter(union(first, ...rest));
}

/** What a brush stroke does to the edited polygon. */
export interface BrushResult {
  /** The edited polygon's new vertices, or null when it is erased away. */
  readonly outline: Point[] | null;
  /** Further polygons (an erase that cut it in two or more). */
  readonly extra: Point[][];
  /** An erase inside the outline would have made a hole, which EXACT polygons cannot hold. */
  readonly holeDropped: boolean;
}

/**
 * Paints (`erase` false) or erases a stroke outline on a polygon. Painting that does not touch the
 * polygon returns null: the stroke is a new shape. Vertices are simplified within `tolerance`.
 */
export function applyStroke(
  polygon: readonly Point[],
  stroke: readonly Point[],
  erase: boolean,
  tolerance: number,
): BrushResult | null {
  const base: Geom = [toRing(polygon)];
  const cut: Geom = [toRing(stroke)];
  const result = erase ? difference(base, cut) : union(base, cut);
  if (!erase && result.length > 1) return null;
  const pieces = result
    .map((poly) => ({ poly, area: Math.abs(ringArea(poly[0] ?? [])) }))
    .sort((a, b) => b.area - a.area)
    .map(({ poly }) => freehandPolygon(fromRing(poly[0] ?? []), tolerance))
    .filter((points) => points.length >= 3);
  const [outline, ...extra] = pieces;
  return {
    outline: outline ?? null,
    extra,
    holeDropped: result.some((poly) => poly.length > 1),
  };
}

/** The area of a polygon given by its vertices (shoelace; positive or negative by orientation). */
export function polygonArea(points: readonly Point[]): number {
  return ringArea(toRing(points));
}

function disc(c: Point, r: number): Ring {
  const ring: Ring = [];
  for (let i = 0; i < DISC_SIDES; i++) {
    const t = (2 * Math.PI * i) / DISC_SIDES;
    ring.push([c.x + r * Math.cos(t), c.y + r * Math.sin(t)]);
  }
  ring.push(ring[0] ?? [c.x + r, c.y]);
  return ring;
}

function band(a: Point, b: Point, r: number): Ring {
  const length = Math.hypot(b.x - a.x, b.y - a.y) || 1;
  const nx = (-(b.y - a.y) / length) * r;
  const ny = ((b.x - a.x) / length) * r;
  return [
    [a.x + nx, a.y + ny],
    [b.x + nx, b.y + ny],
    [b.x - nx, b.y - ny],
    [a.x - nx, a.y - ny],
    [a.x + nx, a.y + ny],
  ];
}

function toRing(points: readonly Point[]): Ring {
  const ring: Ring = points.map((p) => [p.x, p.y]);
  const first = ring[0];
  if (first !== undefined) ring.push(first);
  return ring;
}

function fromRing(ring: Ring): Point[] {
  return ring.slice(0, -1).map(([x, y]) => ({ x, y }));
}

function ringArea(ring: Ring): number {
  let sum = 0;
  for (let i = 1; i < ring.length; i++) {
    const [ax, ay] = ring[i - 1] ?? [0, 0];
    const [bx, by] = ring[i] ?? [0, 0];
    sum += ax * by - bx * ay;
  }
  return sum / 2;
}

/** The outer ring of the largest polygon of a union (a stroke that crosses itself may leave holes). */
function largestOuter(polys: [number, number][][][]): Point[] {
  let best: Ring = [];
  for (const poly of polys) {
    const outer = poly[0] ?? [];
    if (Math.abs(ringArea(outer)) > Math.abs(ringArea(best))) best = outer;
  }
  return fromRing(best);
}

/** Whole pixels, no point repeated after its neighbour (nor the last after the first). */
function tidy(points: readonly Point[]): Point[] {
  const out: Point[] = [];
  for (const p of points) {
    // + 0: no negative zero (-0.3 rounds to -0).
    const q = { x: Math.round(p.x) + 0, y: Math.round(p.y) + 0 };
    const last = out[out.length - 1];
    if (last === undefined || last.x !== q.x || last.y !== q.y) out.push(q);
  }
  const first = out[0];
  const last = out[out.length - 1];
  if (out.length > 1 && first !== undefined && last !== undefined && first.x === last.x && first.y === last.y)
    out.pop();
  return out;
}
