/*
 * Time a reader spent on an image, from EXACT's image action log (pure).
 *
 * Per reader and image, entries in time order (ties by id): an opening followed by a closing is one
 * visit lasting from one to the other, counted up to `capMs` (a tab left open over lunch counts the
 * cap, and the visit is reported as capped). An opening followed by another opening, or by nothing, is
 * an unclosed visit (a crashed browser, a second tab): it counts no time, since nobody knows when the
 * reader stopped, and is reported so the figure's completeness shows. A closing without an opening
 * before it (the second tab's) counts nothing.
 */

import { groupBy } from './group-by.js';

export const OPENED = 1;
export const CLOSED = 2;

export interface ImageActionEntry {
  readonly id: number;
  readonly userId: number;
  readonly imageId: number;
  readonly action: number;
  /** Milliseconds since the epoch. */
  readonly at: number;
}

export interface VisitTotals {
  readonly userId: number;
  readonly imageId: number;
  readonly milliseconds: number;
  readonly visits: number;
  readonly unclosedVisits: number;
  readonly cappedVisits: number;
}

/** Totals per reader and image (one entry for each pair with any entry in the log). */
export function readingTimes(entries: readonly ImageActionEntry[], capMs: number): VisitTotals[] {
  const groups = groupBy(entries, (entry) => `${entry.userId}:${entry.imageId}`);
  return [...groups.values()].map((group) => visitsOf(group, capMs));
}

function visitsOf(group: ImageActionEntry[], capMs: number): VisitTotals {
  const sorted = [...group].sort((a, b) => a.at - b.at || a.id - b.id);
  let milliseconds = 0;
  let visits = 0;
  let unclosedVisits = 0;
  let cappedVisits = 0;
  let openedAt: number | null = null;
  for (const entry of sorted) {
    if (entry.action === OPENED) {
      if (openedAt !== null) unclosedVisits++;
      openedAt = entry.at;
    } else if (entry.action === CLOSED && openedAt !== null) {
      const length = entry.at - openedAt;
      if (length > capMs) cappedVisits++;
      milliseconds += Math.min(length, capMs);
      visits++;
      openedAt = null;
    }
  }
  if (openedAt !== null) unclosedVisits++;
  const first = sorted[0];
  return {
    userId: first?.userId ?? 0,
    imageId: first?.imageId ?? 0,
    milliseconds,
    visits,
    unclosedVisits,
    cappedVisits,
  };
}
