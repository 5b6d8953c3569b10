// The visual diff of one image between two sides (a dataset version and another, or the live
// document): which shapes a viewer of the second side sees added, removed, or moved/relabelled, and
// how each kind is drawn over the image. Only what shows counts: a deleted annotation is absent.
import { sameJson, type Annotation } from '@tessera/shared';
import { isClosed, isTwoCorner, pointsOf, rectOf, type Point } from './geometry';
import type { TypeStyle, ViewTransform } from './overlay-renderer';

export type ShapeChange = 'added' | 'removed' | 'changed';

/** One differing shape; a changed one carries where it was before. */
export interface DiffShape {
  readonly id: string;
  readonly change: ShapeChange;
  readonly type: number;
  readonly points: readonly Point[];
  readonly before?: { readonly type: number; readonly points: readonly Point[] };
}

/** How each kind is drawn (and named in the legend): colour-blind-safe hues, dashes for the past. */
export const DIFF_STYLES: Readonly<Record<ShapeChange, { color: string; dash: number[]; label: string }>> = {
  added: { color: '#1b9e77', dash: [], label: 'added' },
  removed: { color: '#d95f02', dash: [6, 4], label: 'removed' },
  changed: { color: '#7570b3', dash: [], label: 'moved or changed' },
};

/** The shapes that differ from `before` to `after` (visible annotations of each side). */
export function diffShapes(before: readonly Annotation[], after: readonly Annotation[]): DiffShape[] {
  const old = new Map(before.map((a) => [a.id, a]));
  const shapes: DiffShape[] = [];
  for (const a of after) {
    const was = old.get(a.id);
    old.delete(a.id);
    if (was === undefined) {
      shapes.push({ id: a.id, change: 'added', type: a.type, points: pointsOf(a.vector) });
    } else if (was.type !== a.type || !sameJson(was.vector, a.vector)) {
      shapes.push({
        id: a.id,
        change: 'changed',
        type: a.type,
        points: pointsOf(a.vector),
        before: { type: was.type, points: pointsOf(was.vector) },
      });
    }
  }
  for (const was of old.values()) {
    shapes.push({ id: was.id, change: 'removed', type: was.type, points: pointsOf(was.vector) });
  }
  return shapes;
}

/** How many shapes of each kind. */
export function countShapes(shapes: readonly DiffShape[]): Record<ShapeChange, number> {
  const counts = { added: 0, removed: 0, changed: 0 };
  for (const s of shapes) counts[s.change]++;
  return counts;
}

/** Draws the differing shapes over the annotations, in screen pixels so lines keep their width. */
export function drawDiff(
  ctx: CanvasRenderingContext2D,
  view: ViewTransform,
  dpr: number,
  shapes: readonly DiffShape[],
  styles: ReadonlyMap<number, TypeStyle>,
): void {
  ctx.save();
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.lineWidth = 3;
  const screen = (p: Point): Point => ({
    x: p.x * view.scale + view.offsetX,
    y: p.y * view.scale + view.offsetY,
  });
  for (const shape of shapes) {
    const style = DIFF_STYLES[shape.change];
    ctx.strokeStyle = style.color;
    if (shape.before !== undefined) {
      // The old place, dashed and faint, then a line to the new one: a move reads at a glance.
      ctx.globalAlpha = 0.6;
      ctx.setLineDash([6, 4]);
      outline(ctx, shape.before.points.map(screen), styles.get(shape.before.type)?.vectorType);
      ctx.globalAlpha = 1;
    }
    ctx.setLineDash(style.dash);
    outline(ctx, shape.points.map(screen), styles.get(shape.type)?.vectorType);
  }
  ctx.restore();
}

function outline(
  ctx: CanvasRenderingContext2D,
  points: readonly Point[],
  vectorType: number | undefined,
): void {
  const first = points[0];
  if (first === undefined) return;
  ctx.beginPath();
  if (points.length === 1) {
    ctx.arc(first.x, first.y, 8, 0, Math.PI * 2);
  } else if (vectorType !== undefined && isTwoCorner(vectorType)) {
    const r = rectOf(points);
    ctx.rect(r.minX, r.minY, r.maxX - r.minX, r.maxY - r.minY);
  } else {
    ctx.moveTo(first.x, first.y);
    for (const p of points.slice(1)) ctx.lineTo(p.x, p.y);
    if (vectorType === undefined || isClosed(vectorType)) ctx.closePath();
  }
  ctx.stroke();
}
