// The pieces of the tools' host that are plain functions of the data: a type as a draw tool, and
// which annotation a click hits.
import { VectorType, type AnnotationType } from '@tessera/shared';
import type { AnnotationIndex, IndexedAnnotation } from './annotation-index';
import { hits, type Point } from './geometry';
import type { DrawType, Interaction } from './interaction';
import { formatLength, polylineLength, type Resolution } from './measure';
import type { TypeStyle } from './overlay-renderer';

/** What the draw tool needs of an annotation type. */
export function drawTypeOf(t: AnnotationType): DrawType {
  return {
    id: t.id,
    vectorType: t.vector_type,
    nodeCount: t.node_count,
    width: t.default_width,
    height: t.default_height,
    color: t.color_code,
  };
}

/**
 * The annotation under `p` (within `tolerance` image pixels) on `frame`, or null. The smallest shape
 * wins, so a cell drawn inside a region stays clickable.
 */
export function hitTestAt(
  index: AnnotationIndex,
  styles: ReadonlyMap<number, TypeStyle>,
  p: Point,
  tolerance: number,
  frame: number | null,
  visible: (shape: IndexedAnnotation) => boolean = () => true,
): string | null {
  const near = index.search(
    { minX: p.x - tolerance, minY: p.y - tolerance, maxX: p.x + tolerance, maxY: p.y + tolerance },
    frame,
  );
  const area = (a: { minX: number; minY: number; maxX: number; maxY: number }) =>
    (a.maxX - a.minX) * (a.maxY - a.minY);
  const hit = near
    .filter(
      (a) =>
        visible(a) &&
        hits(styles.get(a.record.type)?.vectorType ?? VectorType.polygon, a.points, p, tolerance),
    )
    .sort((a, b) => area(a) - area(b));
  return hit[0]?.id ?? null;
}

/** Whether a type draws polygons of any number of points (what freehand and brush make). */
export function isFreePolygon(t: AnnotationType | undefined): boolean {
  return t?.vector_type === VectorType.polygon && t.node_count === 0;
}

/** The length shown beside a ruler, a line being drawn, or the selected line or multi-line. */
export function measurement(
  tools: Interaction,
  index: AnnotationIndex,
  styles: ReadonlyMap<number, TypeStyle>,
  resolution: Resolution,
): { points: Point[]; text: string } | null {
  let points = tools.measuredLine();
  if (points === null) {
    const id = tools.editingId();
    const type = id === null ? undefined : styles.get(index.get(id)?.record.type ?? -1);
    const isLine = type?.vectorType === VectorType.line || type?.vectorType === VectorType.multiLine;
    points = isLine ? tools.editingPoints() : null;
  }
  if (points === null || points.length < 2) return null;
  return { points, text: formatLength(polylineLength(points), resolution) };
}

/** The brush's outline under the pointer, in image pixels (`pixel`: image pixels per screen pixel). */
export function brushCursor(
  tools: Interaction,
  pixel: number | undefined,
): { at: Point; radius: number } | null {
  const at = tools.brushAt();
  return at === null || pixel === undefined ? null : { at, radius: tools.brushRadius * pixel };
}
