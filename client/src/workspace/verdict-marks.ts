// Review badges on the canvas: beside the top-right corner of each reviewed shape, a disc in the colour of
// what the verdicts add up to, with a tick (accepted), a cross (rejected) or "!" (disputed); an open
// annotation shows a grey disc with the viewer's own verdict, if they gave one.
import type { ReviewStatus } from '@tessera/shared';
import type { IndexedAnnotation } from './annotation-index';
import type { ReviewState } from './review-state';

export interface VerdictMark {
  readonly status: ReviewStatus;
  /** The viewer's own verdict: true accepted, false rejected, undefined none. */
  readonly mine: boolean | undefined;
}

/** Above this many shapes in view, badges are left out (they would be unreadable and cost a frame). */
export const MARK_LIMIT = 1500;
/** Badge radius in CSS pixels. */
const RADIUS = 7;
const COLOURS: Record<ReviewStatus, string> = {
  verified: '#2e7d32',
  rejected: '#c62828',
  disputed: '#ef6c00',
  open: '#757575',
};

/** The badge of an annotation, or null when nobody has judged it yet. */
export function verdictMark(review: ReviewState, a: IndexedAnnotation): VerdictMark | null {
  const tally = review.tally(a);
  const mine = review.mine(a.id);
  if (tally.status === 'open' && tally.accepts + tally.rejects === 0 && mine === undefined) return null;
  return { status: tally.status, mine };
}

/** Which glyph a badge shows. */
export function glyphOf(mark: VerdictMark): 'tick' | 'cross' | 'bang' | null {
  if (mark.status === 'verified') return 'tick';
  if (mark.status === 'rejected') return 'cross';
  if (mark.status === 'disputed') return 'bang';
  return mark.mine === undefined ? null : mark.mine ? 'tick' : 'cross';
}

/** Draws the badges of `shapes` (image coordinates; `pixel` is one CSS pixel in image units). */
export function drawVerdictMarks(
  ctx: CanvasRenderingContext2D,
  shapes: readonly IndexedAnnotation[],
  markOf: (a: IndexedAnnotation) => VerdictMark | null,
  pixel: number,
): void {
  if (shapes.length > MARK_LIMIT) return;
  const r = RADIUS * pixel;
  ctx.lineWidth = 2 * pixel;
  for (const shape of shapes) {
    const mark = markOf(shape);
    if (mark === null) continue;
    // Just outside the corner, clear of the selected shape's handle there.
    const x = shape.maxX + r;
    const y = shape.minY - r;
    ctx.beginPath();
    ctx.arc(x, y, r, 0, 2 * Math.PI);
    ctx.fillStyle = COLOURS[mark.status];
    ctx.fill();
    ctx.strokeStyle = '#ffffff';
    ctx.beginPath();
    const glyph = glyphOf(mark);
    if (glyph === 'tick') {
      ctx.moveTo(x - 0.5 * r, y);
      ctx.lineTo(x - 0.1 * r, y + 0.4 * r);
      ctx.lineTo(x + 0.5 * r, y - 0.4 * r);
    } else if (glyph === 'cross') {
      ctx.moveTo(x - 0.4 * r, y - 0.4 * r);
      ctx.lineTo(x + 0.4 * r, y + 0.4 * r);
      ctx.moveTo(x + 0.4 * r, y - 0.4 * r);
      ctx.lineTo(x - 0.4 * r, y + 0.4 * r);
    } else if (glyph === 'bang') {
      ctx.moveTo(x, y - 0.55 * r);
      ctx.lineTo(x, y + 0.1 * r);
      ctx.moveTo(x, y + 0.35 * r);
      ctx.lineTo(x, y + 0.5 * r);
    }
    ctx.stroke();
  }
}
