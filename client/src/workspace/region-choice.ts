// Which region documents of an image with regions the browser holds for a view (docs/SPEC-collab.md,
// G4): those whose extent meets the view and a margin around it, when the index says few enough
// annotations lie there to draw them as shapes (W7); further out, the index's density stands in.
// Regions far from the view are closed, unless they hold work not yet sent. Pure: the caller opens
// and closes.
import {
  REGION_GRID,
  parseRegionKey,
  regionsMeeting,
  type Rect as RegionRect,
  type RegionSummary,
} from '@tessera/shared';
import { DETAIL_LIMIT } from './overlay-renderer';
import type { Rect } from './geometry';

/** At most this many annotations are held in open region documents for one view (memory, load time). */
export const LOAD_LIMIT = 40_000;

export interface RegionChoiceInput {
  /** The index document's summaries by region key. */
  readonly index: ReadonlyMap<string, RegionSummary>;
  readonly size: number;
  /** The image rectangle in view. */
  readonly view: Rect;
  /** The regions open now. */
  readonly open: ReadonlySet<string>;
  /** Open regions with changes the server has not acknowledged: never closed. */
  readonly unsent: ReadonlySet<string>;
  /** Overrides for tests (defaults DETAIL_LIMIT and LOAD_LIMIT). */
  readonly detailLimit?: number;
  readonly loadLimit?: number;
}

export interface RegionChoice {
  /** Regions to open now. */
  readonly open: string[];
  /** Regions to close now. */
  readonly close: string[];
  /** Whether the view holds too many annotations to draw as shapes (the density is drawn). */
  readonly dense: boolean;
}

/** The view grown by `factor` views on each side. */
export function grow(view: Rect, factor: number): Rect {
  const w = (view.maxX - view.minX) * factor;
  const h = (view.maxY - view.minY) * factor;
  return { minX: view.minX - w, minY: view.minY - h, maxX: view.maxX + w, maxY: view.maxY + h };
}

function asRegionRect(r: Rect): RegionRect {
  return { x: r.minX, y: r.minY, width: r.maxX - r.minX, height: r.maxY - r.minY };
}

/** About how many of a region's annotations have their centre in `rect`, by its grid. */
export function countIn(key: string, summary: RegionSummary, size: number, rect: Rect): number {
  const region = parseRegionKey(key);
  if (region === null) return 0;
  const cell = size / REGION_GRID;
  const x0 = region.x * size;
  const y0 = region.y * size;
  let total = 0;
  for (let row = 0; row < REGION_GRID; row++) {
    const top = y0 + row * cell;
    if (top > rect.maxY || top + cell < rect.minY) continue;
    for (let column = 0; column < REGION_GRID; column++) {
      const left = x0 + column * cell;
      if (left > rect.maxX || left + cell < rect.minX) continue;
      total += summary.grid[row * REGION_GRID + column] ?? 0;
    }
  }
  return total;
}

/** The regions meeting `rect` (by extent; an open region the index does not know yet, by its square). */
function meeting(input: RegionChoiceInput, rect: Rect): Set<string> {
  const found = new Set(regionsMeeting(input.index, asRegionRect(rect)));
  for (const key of input.open) {
    if (input.index.get(key)?.extent != null) continue;
    const region = parseRegionKey(key);
    if (region === null) continue;
    const square = {
      minX: region.x * input.size,
      minY: region.y * input.size,
      maxX: (region.x + 1) * input.size,
      maxY: (region.y + 1) * input.size,
    };
    if (
      square.minX <= rect.maxX &&
      square.maxX >= rect.minX &&
      square.minY <= rect.maxY &&
      square.maxY >= rect.minY
    )
      found.add(key);
  }
  return found;
}

function total(input: RegionChoiceInput, keys: Iterable<string>): number {
  let sum = 0;
  for (const key of keys) sum += input.index.get(key)?.count ?? 0;
  return sum;
}

/**
 * G4 for one view: open the regions meeting the view plus half a view around it when the view shows
 * at most the detail limit and they hold at most the load limit (else only those meeting the view,
 * else nothing new); close the open ones outside three views' width, or all not wanted when more than
 * the load limit is held, except those with unsent work.
 */
export function chooseRegions(input: RegionChoiceInput): RegionChoice {
  const detailLimit = input.detailLimit ?? DETAIL_LIMIT;
  const loadLimit = input.loadLimit ?? LOAD_LIMIT;
  const inView = meeting(input, input.view);
  let shown = 0;
  for (const key of inView) {
    const summary = input.index.get(key);
    if (summary !== undefined) shown += countIn(key, summary, input.size, input.view);
  }
  const dense = shown > detailLimit;
  let wanted = new Set<string>();
  if (!dense) {
    const near = meeting(input, grow(input.view, 0.5));
    if (total(input, near) <= loadLimit) wanted = near;
    else if (total(input, inView) <= loadLimit) wanted = inView;
  }
  const keep = meeting(input, grow(input.view, 1));
  const open = [...wanted].filter((key) => !input.open.has(key) && (input.index.get(key)?.count ?? 0) > 0);
  // Held beyond the load limit (zoomed out over many opened regions): keep only what the view needs.
  const crowded = total(input, [...input.open, ...open]) > loadLimit;
  const close = [...input.open].filter(
    (key) => !wanted.has(key) && !input.unsent.has(key) && (crowded || !keep.has(key)),
  );
  return { open: open.sort(), close: close.sort(), dense };
}
