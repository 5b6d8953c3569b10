// Guided screening's geometry, without DOM or network: an image (or a map's mosaic) cut into fields of one size that
// overlap by 15%, walked in EXACT's order (rows top to bottom, each left to right, not serpentine:
// index = row * x_steps + column), and the plan's form in EXACT's `images/screening_modes/` record.
import type { Rect } from '../workspace/geometry';

/** How much neighbouring fields share, as a part of the field's width (or height). */
export const FIELD_OVERLAP = 0.15;
/** The most fields one plan may have (the server keeps at most 100,000 tiles per screening state). */
export const MAX_FIELDS = 100_000;

/** A field as the screening state stores it (EXACT's tile). */
export interface ScreeningTile {
  Screened: boolean;
  x_min: number;
  y_min: number;
  x_max: number;
  y_max: number;
}

/** Fields of one size laid over an image, row-major. */
export interface ScreeningPlan {
  /** Field size in image pixels (EXACT's x_resolution, y_resolution). */
  readonly fieldWidth: number;
  readonly fieldHeight: number;
  readonly xSteps: number;
  readonly ySteps: number;
  readonly fields: readonly Rect[];
}

/**
 * Where fields of `size` start along an axis of `length`, overlapping by `overlap`. A field never
 * leaves the image: one at least as long as the axis covers it whole (a single field), and the last
 * one is moved back to end at the edge (so it shares more than `overlap` with the one before it).
 */
export function axisStarts(length: number, size: number, overlap = FIELD_OVERLAP): number[] {
  if (!(length > 0) || !(size > 0)) throw new RangeError('lengths and field sizes must be positive');
  if (size >= length) return [0];
  const step = Math.max(1, Math.floor(size * (1 - overlap)));
  const count = 1 + Math.ceil((length - size) / step);
  return Array.from({ length: count }, (_, i) => (i === count - 1 ? length - size : i * step));
}

/**
 * The plan for fields of `fieldWidth` x `fieldHeight` image pixels (each clamped to the image) over
 * an image; throws a RangeError when it would have more than MAX_FIELDS fields.
 */
export function planFields(
  imageWidth: number,
  imageHeight: number,
  fieldWidth: number,
  fieldHeight: number,
): ScreeningPlan {
  const width = Math.min(Math.round(fieldWidth), imageWidth);
  const height = Math.min(Math.round(fieldHeight), imageHeight);
  const xs = axisStarts(imageWidth, width);
  const ys = axisStarts(imageHeight, height);
  if (xs.length * ys.length > MAX_FIELDS) {
    throw new RangeError(
      `${xs.length * ys.length} fields are more than ${MAX_FIELDS}: choose a lower magnification`,
    );
  }
  const fields: Rect[] = [];
  for (const y of ys) {
    for (const x of xs) fields.push({ minX: x, minY: y, maxX: x + width, maxY: y + height });
  }
  return { fieldWidth: width, fieldHeight: height, xSteps: xs.length, ySteps: ys.length, fields };
}

/**
 * The field size that fills a viewer of `viewerWidth` x `viewerHeight` screen pixels when one screen
 * pixel shows `imagePixelsPerScreenPixel` image pixels.
 */
export function fieldSizeFor(
  viewerWidth: number,
  viewerHeight: number,
  imagePixelsPerScreenPixel: number,
): { width: number; height: number } {
  return {
    width: Math.max(1, Math.round(viewerWidth * imagePixelsPerScreenPixel)),
    height: Math.max(1, Math.round(viewerHeight * imagePixelsPerScreenPixel)),
  };
}

/** The next field in EXACT's order (the last stays the last). */
export function nextField(index: number, count: number): number {
  return Math.max(0, Math.min(count - 1, index + 1));
}

/** The previous field in EXACT's order (the first stays the first). */
export function previousField(index: number, count: number): number {
  return Math.max(0, Math.min(count - 1, index - 1));
}

/**
 * The field a point of the image belongs to: of the fields containing it (neighbours overlap), the one
 * whose centre is nearest; -1 when no field contains it.
 */
export function fieldAt(fields: readonly Rect[], x: number, y: number): number {
  let best = -1;
  let bestDistance = Infinity;
  fields.forEach((f, i) => {
    if (x < f.minX || x > f.maxX || y < f.minY || y > f.maxY) return;
    const distance = Math.hypot((f.minX + f.maxX) / 2 - x, (f.minY + f.maxY) / 2 - y);
    if (distance < bestDistance) [best, bestDistance] = [i, distance];
  });
  return best;
}

/** The plan as EXACT's `screening_tiles`, keyed by index, with the screened ones marked. */
export function toScreeningTiles(
  plan: ScreeningPlan,
  screened: ReadonlySet<number>,
): Record<string, ScreeningTile> {
  const tiles: Record<string, ScreeningTile> = {};
  plan.fields.forEach((f, i) => {
    tiles[String(i)] = {
      Screened: screened.has(i),
      x_min: f.minX,
      y_min: f.minY,
      x_max: f.maxX,
      y_max: f.maxY,
    };
  });
  return tiles;
}

/** A stored screening state as the workspace walks it: its fields, which are screened, where one is. */
export interface ScreeningProgress {
  readonly fields: readonly Rect[];
  readonly screened: ReadonlySet<number>;
  readonly current: number;
  readonly fieldWidth: number;
  readonly fieldHeight: number;
  /** The plan's columns and rows (EXACT's x_steps, y_steps). */
  readonly xSteps: number;
  readonly ySteps: number;
}

/**
 * Reads a stored `screening_tiles` (made here or by EXACT, whose fields may reach past the image)
 * into fields clamped to the image. Null when there is nothing to walk: no tiles, or keys that are
 * not the indexes 0..n-1.
 */
export function readProgress(
  stored: {
    screening_tiles: Record<string, unknown>;
    current_index: number;
    x_steps: number;
    y_steps: number;
    x_resolution: number;
    y_resolution: number;
  },
  imageWidth: number,
  imageHeight: number,
): ScreeningProgress | null {
  const count = Object.keys(stored.screening_tiles).length;
  if (count === 0) return null;
  const fields: Rect[] = [];
  const screened = new Set<number>();
  for (let i = 0; i < count; i++) {
    const tile = stored.screening_tiles[String(i)];
    if (!isTile(tile)) return null;
    fields.push({
      minX: clamp(tile.x_min, imageWidth),
      minY: clamp(tile.y_min, imageHeight),
      maxX: clamp(tile.x_max, imageWidth),
      maxY: clamp(tile.y_max, imageHeight),
    });
    if (tile.Screened) screened.add(i);
  }
  return {
    fields,
    screened,
    current: Math.max(0, Math.min(count - 1, stored.current_index)),
    fieldWidth: stored.x_resolution,
    fieldHeight: stored.y_resolution,
    xSteps: stored.x_steps,
    ySteps: stored.y_steps,
  };
}

/** A position in a plan as the server stores it: the plan's tiles with the screened ones marked. */
export function toStoredPlan(progress: ScreeningProgress) {
  const plan = {
    fieldWidth: progress.fieldWidth,
    fieldHeight: progress.fieldHeight,
    xSteps: progress.xSteps,
    ySteps: progress.ySteps,
    fields: progress.fields,
  };
  return {
    screening_tiles: toScreeningTiles(plan, progress.screened),
    x_steps: progress.xSteps,
    y_steps: progress.ySteps,
    x_resolution: progress.fieldWidth,
    y_resolution: progress.fieldHeight,
    current_index: progress.current,
  };
}

function isTile(value: unknown): value is ScreeningTile {
  if (typeof value !== 'object' || value === null) return false;
  const t = value as Record<string, unknown>;
  return (
    typeof t['Screened'] === 'boolean' &&
    ['x_min', 'y_min', 'x_max', 'y_max'].every((k) => typeof t[k] === 'number' && Number.isFinite(t[k]))
  );
}

function clamp(value: number, max: number): number {
  return Math.max(0, Math.min(max, value));
}
