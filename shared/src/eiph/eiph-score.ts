/*
 * The total hemosiderin score of equine exercise-induced pulmonary haemorrhage (EIPH) after Doucet
 * and Viel (2002): alveolar macrophages are graded 0-4 by their hemosiderin content, and the score is
 * the sum over grades of grade x percentage of the counted macrophages (0-400), from 300 cells.
 */

/** How many macrophages the score is taken from (Doucet and Viel count 300). */
export const EIPH_SAMPLE_SIZE = 300;

/** A graded macrophage in image coordinates. */
export interface GradedCell {
  readonly grade: number;
  readonly x: number;
  readonly y: number;
}

/** The score of a field and what it was computed from. */
export interface EiphScore {
  /** Sum over grades of grade x percentage of the counted cells, 0-400; null when none was counted. */
  readonly score: number | null;
  /** Counted cells per grade 0..4. */
  readonly counts: readonly [number, number, number, number, number];
  readonly counted: number;
  /** Graded cells in the field; more than `counted` when the field held more than the sample. */
  readonly inField: number;
}

/**
 * The grade an annotation type stands for, from its name ("Grade 3", "EIPH 2", "0"): the one digit
 * 0-4 standing alone in it, or null for types that are no grade.
 */
export function gradeOfTypeName(name: string): number | null {
  const digits = name.match(/(?<![\d.])[0-9](?![\d.])/g);
  if (digits?.length !== 1) return null;
  const grade = Number(digits[0]);
  return grade <= 4 ? grade : null;
}

/**
 * The total hemosiderin score of the cells in a field: of more than `sampleSize`, the ones nearest
 * the field's centre are counted (as an observer counts outward from where they look).
 */
export function eiphScore(
  cells: readonly GradedCell[],
  centre: { x: number; y: number },
  sampleSize = EIPH_SAMPLE_SIZE,
): EiphScore {
  const graded = cells.filter((c) => Number.isInteger(c.grade) && c.grade >= 0 && c.grade <= 4);
  const sample =
    graded.length <= sampleSize
      ? graded
      : graded
          .map((c) => ({ c, d: (c.x - centre.x) ** 2 + (c.y - centre.y) ** 2 }))
          .sort((a, b) => a.d - b.d)
          .slice(0, sampleSize)
          .map(({ c }) => c);
  const counts: [number, number, number, number, number] = [0, 0, 0, 0, 0];
  for (const c of sample) counts[c.grade as 0 | 1 | 2 | 3 | 4] += 1;
  const counted = sample.length;
  const weighted = counts.reduce((sum, n, grade) => sum + grade * n, 0);
  return {
    score: counted === 0 ? null : (100 * weighted) / counted,
    counts,
    counted,
    inField: graded.length,
  };
}
