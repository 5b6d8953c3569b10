// The EIPH score of the field in view (shared's Doucet and Viel core): graded macrophages are the
// annotations of the types named by grade 0-4 whose centre lies in the view.
import { eiphScore, gradeOfTypeName, type EiphScore, type GradedCell } from '@tessera/shared';
import type { Rect } from './geometry';

/** The image's types that stand for a grade, by type id. */
export function gradedTypes(types: readonly { id: number; name: string }[]): Map<number, number> {
  const grades = new Map<number, number>();
  for (const type of types) {
    const grade = gradeOfTypeName(type.name);
    if (grade !== null) grades.set(type.id, grade);
  }
  return grades;
}

/** The score of the graded shapes (by their boxes) whose centre lies in `view`. */
export function fieldScore(
  shapes: Iterable<Rect & { readonly record: { readonly type: number } }>,
  grades: ReadonlyMap<number, number>,
  view: Rect,
): EiphScore {
  const cells: GradedCell[] = [];
  for (const shape of shapes) {
    const grade = grades.get(shape.record.type);
    if (grade === undefined) continue;
    const x = (shape.minX + shape.maxX) / 2;
    const y = (shape.minY + shape.maxY) / 2;
    if (x >= view.minX && x < view.maxX && y >= view.minY && y < view.maxY) cells.push({ grade, x, y });
  }
  return eiphScore(cells, { x: (view.minX + view.maxX) / 2, y: (view.minY + view.maxY) / 2 });
}
