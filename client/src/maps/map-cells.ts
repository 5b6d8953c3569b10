// Pure rules of the map view: which cell a point falls in, how the arrow keys move the selection, and
// which types a digit relabels to.
import type { AnnotationMapCell, AnnotationType } from '@tessera/shared';

/** The cell under an image point of the mosaic, if any annotation is there. */
export function cellAt(
  cells: readonly AnnotationMapCell[],
  columns: number,
  cellSize: number,
  x: number,
  y: number,
): AnnotationMapCell | undefined {
  if (x < 0 || y < 0) return undefined;
  const col = Math.floor(x / cellSize);
  const row = Math.floor(y / cellSize);
  if (col >= columns) return undefined;
  return cells.find((c) => c.col === col && c.row === row);
}

/** The nearest occupied cell in the direction of an arrow key (the selection stays at the edge). */
export function moveSelection(
  cells: readonly AnnotationMapCell[],
  from: AnnotationMapCell,
  direction: 'left' | 'right' | 'up' | 'down',
): AnnotationMapCell {
  const [dx, dy] = { left: [-1, 0], right: [1, 0], up: [0, -1], down: [0, 1] }[direction];
  let best: AnnotationMapCell | undefined;
  let bestScore = Infinity;
  for (const cell of cells) {
    const along = (cell.col - from.col) * (dx ?? 0) + (cell.row - from.row) * (dy ?? 0);
    if (along <= 0) continue;
    const across = Math.abs((cell.col - from.col) * (dy ?? 0)) + Math.abs((cell.row - from.row) * (dx ?? 0));
    // Straight ahead first; among cells off the line, the nearer ones.
    const score = along + across * 100;
    if (score < bestScore) {
      best = cell;
      bestScore = score;
    }
  }
  return best ?? from;
}

/**
 * The types digits 1-9 relabel to: the set's active types with the map type's geometry (a box never
 * becomes a line), in EXACT's order.
 */
export function relabelTargets(types: readonly AnnotationType[], mapType: number): AnnotationType[] {
  const vectorType = types.find((t) => t.id === mapType)?.vector_type;
  return types.filter((t) => t.vector_type === vectorType).slice(0, 9);
}
