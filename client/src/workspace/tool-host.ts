// The pieces of the tools' host that are plain functions of the data: a type as a draw tool, and
// which annotation a click hits.
import { VectorType, type AnnotationType } from '@tessera/shared';
import type { AnnotationIndex, IndexedAnnotation } from './annotation-index';
import { hits, type Point } from './geometry';
import type { DrawType } from './interaction';
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
