import { describe, expect, it } from 'vitest';
import { eiphScore, gradeOfTypeName, type GradedCell } from './eiph-score.js';

/** `n` cells of `grade` on a row at height y. */
const row = (grade: number, n: number, y = 0): GradedCell[] =>
  Array.from({ length: n }, (_, i) => ({ grade, x: i, y }));

describe('EIPH total hemosiderin score (Doucet and Viel 2002)', () => {
  it('is the sum of grade x percentage on a constructed field', () => {
    // 60 + 90 + 75 + 45 + 30 = 300 cells: 20% grade 0, 30% grade 1, 25% grade 2, 15% grade 3, 10% grade 4.
    const field = [...row(0, 60), ...row(1, 90), ...row(2, 75), ...row(3, 45), ...row(4, 30)];
    const score = eiphScore(field, { x: 0, y: 0 });
    // By hand: 0 x 20 + 1 x 30 + 2 x 25 + 3 x 15 + 4 x 10 = 30 + 50 + 45 + 40 = 165.
    expect(score.score).toBe(165);
    expect(score.counts).toEqual([60, 90, 75, 45, 30]);
    expect(score.counted).toBe(300);
  });

  it('counts all cells of a field with fewer than 300, and spans 0 to 400', () => {
    expect(eiphScore([...row(1, 3), ...row(2, 1)], { x: 0, y: 0 }).score).toBe(125);
    expect(eiphScore(row(0, 10), { x: 0, y: 0 }).score).toBe(0);
    expect(eiphScore(row(4, 10), { x: 0, y: 0 }).score).toBe(400);
    expect(eiphScore([], { x: 0, y: 0 })).toMatchObject({ score: null, counted: 0 });
  });

  it('takes the 300 cells nearest the centre of a fuller field', () => {
    // 300 grade-4 cells at the centre's row, 100 grade-0 cells far away.
    const field = [...row(0, 100, 10_000), ...row(4, 300, 0)];
    const score = eiphScore(field, { x: 150, y: 0 });
    expect(score).toMatchObject({ score: 400, counted: 300, inField: 400 });
  });

  it('reads the grade from a type name and ignores other types', () => {
    expect(['Grade 0', 'EIPH grade 3', '4', 'Hemosiderophage 2'].map(gradeOfTypeName)).toEqual([0, 3, 4, 2]);
    expect(['Macrophage', 'Grade 5', 'Grade 1-2', 'Type 2.5', 'Grade 12'].map(gradeOfTypeName)).toEqual([
      null,
      null,
      null,
      null,
      null,
    ]);
  });
});
