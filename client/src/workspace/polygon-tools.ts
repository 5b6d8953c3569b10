// What a finished freehand trace or brush stroke writes: a new polygon, or the edited polygon grown,
// cut or erased away. The geometry is brush.ts's; the writes go through the workspace (the editor's
// checks, selection, status line), so this file only decides which.
import { applyStroke, freehandPolygon, strokeOutline } from './brush';
import type { Point } from './geometry';

/** Vertices are kept where they stray more than this many screen pixels from a straight line. */
const TOLERANCE_SCREEN_PIXELS = 1.5;

/** What the polygon tools need of the workspace. */
export interface PolygonToolsHost {
  /** The polygon a stroke starting at `at` edits: the one under it, else the selected one; or null. */
  strokeTarget(at: Point): { id: string; type: number; points: Point[] } | null;
  /** Creates a polygon of the type and selects it; false (and says why) when refused. */
  create(typeId: number, points: Point[]): boolean;
  reshape(id: string, points: Point[]): void;
  remove(id: string): void;
  say(message: string | null): void;
}

/** A freehand outline: one polygon, simplified to what shows at the zoom it was drawn at. */
export function finishTrace(host: PolygonToolsHost, typeId: number, trace: Point[], pixel: number): void {
  const points = freehandPolygon(trace, TOLERANCE_SCREEN_PIXELS * pixel);
  if (points.length < 3) host.say('Not drawn: a freehand outline needs some area.');
  else host.create(typeId, points);
}

/**
 * A brush stroke: painting onto the polygon it starts on (or the selected one) grows it; painting
 * elsewhere makes a new polygon; erasing cuts the stroke out, removing the polygon when nothing is
 * left and keeping each piece when it falls apart.
 */
export function finishStroke(
  host: PolygonToolsHost,
  typeId: number,
  path: Point[],
  stroke: { radius: number; erase: boolean; pixel: number },
): void {
  const start = path[0];
  const outline = strokeOutline(path, stroke.radius);
  const tolerance = TOLERANCE_SCREEN_PIXELS * stroke.pixel;
  const target = start === undefined ? null : host.strokeTarget(start);
  const result = target === null ? null : applyStroke(target.points, outline, stroke.erase, tolerance);
  if (stroke.erase) {
    if (target === null || result === null) {
      host.say('Nothing to erase: select a polygon, or start erasing on one.');
      return;
    }
    if (result.outline === null) host.remove(target.id);
    else host.reshape(target.id, result.outline);
    for (const piece of result.extra) host.create(target.type, piece);
    host.say(result.holeDropped ? 'Polygons have no holes: erase from the edge inwards.' : null);
    return;
  }
  if (target !== null && result?.outline != null) {
    host.reshape(target.id, result.outline);
    host.say(null);
    return;
  }
  host.create(typeId, freehandPolygon(outline, tolerance));
}
