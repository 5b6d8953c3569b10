/*
 * Regions: the layout of a very large image's annotations in many documents (docs/SPEC-collab.md,
 * rules G1-G6). An image with a region size keeps each annotation in the document of the square
 * region (level 0, `size` pixels wide) that held the centre of its bounding box when it was created,
 * for good (G1): a move never changes its document, so a move across a border is one ordinary edit.
 * Image-level labels live in the image's index document, whose `regionIndex` map the server writes:
 * per region, how many annotations it holds, where they actually lie and a coarse density grid (G3).
 */
import type * as Y from 'yjs';
import { z } from 'zod';
import { boundingBox, type BoundingBox, type Vector } from './vector.js';

/** Root map of the index document, written by the server only (clients' writes to it are refused). */
export const REGION_INDEX = 'regionIndex';
/** Cells per side of a region's density grid. */
export const REGION_GRID = 16;
/** The region size a new sharded image gets, in level-0 pixels. */
export const DEFAULT_REGION_SIZE = 4096;
/** The largest region coordinate (images are at most MAX_COORDINATE wide; 10^7 / 256 fits easily). */
const MAX_REGION = 1_000_000;

/** A region: column and row of a square of `size` pixels at level 0. */
export interface Region {
  readonly x: number;
  readonly y: number;
}

/** Where a document's new annotations must lie (validator rule G2). */
export type Placement =
  { readonly kind: 'index' } | { readonly kind: 'region'; readonly region: Region; readonly size: number };

/** The region of a point (outside the image's left or top edge counts as the first column or row). */
export function regionOfPoint(x: number, y: number, size: number): Region {
  const column = Math.min(MAX_REGION, Math.max(0, Math.floor(x / size)));
  const row = Math.min(MAX_REGION, Math.max(0, Math.floor(y / size)));
  return { x: column, y: row };
}

/** G1: the region of a box is the region of its centre. */
export function regionOfBox(box: BoundingBox, size: number): Region {
  return regionOfPoint((box.xMin + box.xMax) / 2, (box.yMin + box.yMax) / 2, size);
}

/** The region an annotation with this vector is created in; null for image-level labels (G1). */
export function regionOfVector(vector: Vector | null, size: number): Region | null {
  const box = boundingBox(vector);
  return box === null ? null : regionOfBox(box, size);
}

export function sameRegion(a: Region, b: Region): boolean {
  return a.x === b.x && a.y === b.y;
}

/** `"<x>.<y>"`: the region's key in the index and the suffix of its document's name. */
export function regionKey(region: Region): string {
  return `${region.x}.${region.y}`;
}

const keyPattern = /^(0|[1-9][0-9]{0,6})\.(0|[1-9][0-9]{0,6})$/;

export function parseRegionKey(key: string): Region | null {
  const match = keyPattern.exec(key);
  if (match?.[1] === undefined || match[2] === undefined) return null;
  const region = { x: Number(match[1]), y: Number(match[2]) };
  return region.x > MAX_REGION || region.y > MAX_REGION ? null : region;
}

/** What the index says of one region. */
export interface RegionSummary {
  /** Annotations not deleted. */
  readonly count: number;
  /** Where the region's live annotations lie, [xMin, yMin, xMax, yMax]; null when it has none. */
  readonly extent: readonly [number, number, number, number] | null;
  /** Live annotations by the cell of the region's REGION_GRID x REGION_GRID grid their centre is in
   *  (row by row; centres outside the region are clamped to its edge cells). */
  readonly grid: readonly number[];
  /** Live annotations per annotation type id. */
  readonly types: Readonly<Record<string, number>>;
}

const summarySchema = z.object({
  count: z.number().int().min(0),
  extent: z.tuple([z.number(), z.number(), z.number(), z.number()]).nullable(),
  grid: z.array(z.number().int().min(0)).length(REGION_GRID * REGION_GRID),
  types: z.record(z.string(), z.number().int().min(0)),
});

/** A region's summary from the live annotations' boxes and types (what the server writes, G3). */
export function summarizeRegion(
  region: Region,
  size: number,
  annotations: Iterable<{ readonly box: BoundingBox | null; readonly type: number }>,
): RegionSummary {
  const grid = new Array<number>(REGION_GRID * REGION_GRID).fill(0);
  const types: Record<string, number> = {};
  let count = 0;
  let extent: [number, number, number, number] | null = null;
  const cell = size / REGION_GRID;
  for (const { box, type } of annotations) {
    if (box === null) continue;
    count++;
    types[type] = (types[type] ?? 0) + 1;
    if (extent === null) extent = [box.xMin, box.yMin, box.xMax, box.yMax];
    else {
      extent[0] = Math.min(extent[0], box.xMin);
      extent[1] = Math.min(extent[1], box.yMin);
      extent[2] = Math.max(extent[2], box.xMax);
      extent[3] = Math.max(extent[3], box.yMax);
    }
    const column = clampCell(((box.xMin + box.xMax) / 2 - region.x * size) / cell);
    const row = clampCell(((box.yMin + box.yMax) / 2 - region.y * size) / cell);
    const at = row * REGION_GRID + column;
    grid[at] = (grid[at] ?? 0) + 1;
  }
  return { count, extent, grid, types };
}

function clampCell(value: number): number {
  return Math.min(REGION_GRID - 1, Math.max(0, Math.floor(value)));
}

export function regionIndexOf(doc: Y.Doc): Y.Map<string> {
  return doc.getMap<string>(REGION_INDEX);
}

/** Every region the index document knows, with its summary (unreadable entries are skipped). */
export function readRegionIndex(doc: Y.Doc): Map<string, RegionSummary> {
  const index = new Map<string, RegionSummary>();
  regionIndexOf(doc).forEach((text, key) => {
    const summary = parseSummary(text);
    if (summary !== null && parseRegionKey(key) !== null) index.set(key, summary);
  });
  return index;
}

export function parseSummary(text: unknown): RegionSummary | null {
  if (typeof text !== 'string') return null;
  try {
    const parsed = summarySchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Writes a region's summary when it differs from the stored one; true when it wrote. */
export function writeRegionSummary(
  doc: Y.Doc,
  region: Region,
  summary: RegionSummary,
  origin?: unknown,
): boolean {
  const key = regionKey(region);
  const text = JSON.stringify(summary);
  const map = regionIndexOf(doc);
  if (map.get(key) === text) return false;
  doc.transact(() => map.set(key, text), origin);
  return true;
}

/** A rectangle in level-0 pixels. */
export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/**
 * The regions whose annotations may show in `view` (G4): every region whose extent meets it. A region
 * is found by where its annotations lie, not by its square, because an annotation keeps its region
 * when it is moved or drawn across a border.
 */
export function regionsMeeting(index: ReadonlyMap<string, RegionSummary>, view: Rect): string[] {
  const keys: string[] = [];
  for (const [key, summary] of index) {
    const extent = summary.extent;
    if (extent === null) continue;
    if (extent[2] < view.x || extent[0] > view.x + view.width) continue;
    if (extent[3] < view.y || extent[1] > view.y + view.height) continue;
    keys.push(key);
  }
  return keys;
}
