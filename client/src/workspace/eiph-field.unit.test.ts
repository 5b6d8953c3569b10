import { describe, expect, it } from 'vitest';
import { fieldScore, gradedTypes } from './eiph-field';

const grades = gradedTypes([
  { id: 1, name: 'Grade 0' },
  { id: 2, name: 'Grade 1' },
  { id: 3, name: 'Grade 2' },
  { id: 4, name: 'Grade 3' },
  { id: 5, name: 'Grade 4' },
  { id: 9, name: 'Debris' },
]);
const cell = (type: number, x: number, y: number) => ({
  record: { type },
  minX: x - 5,
  maxX: x + 5,
  minY: y - 5,
  maxY: y + 5,
});

describe('the EIPH score of the field in view', () => {
  it('counts the graded cells whose centre is in view', () => {
    const shapes = [
      cell(2, 10, 10),
      cell(2, 20, 10),
      cell(5, 30, 10),
      cell(1, 40, 10),
      cell(9, 50, 10), // not a grade
      cell(5, 500, 10), // out of view
      cell(5, 98, 10), // box reaches into view, centre outside
    ];
    const score = fieldScore(shapes, grades, { minX: 0, minY: 0, maxX: 90, maxY: 90 });
    // 2 of grade 1, 1 of grade 4, 1 of grade 0: 1 x 50 + 4 x 25 = 150.
    expect(score).toMatchObject({ score: 150, counted: 4, counts: [1, 2, 0, 0, 1] });
    expect(fieldScore([], grades, { minX: 0, minY: 0, maxX: 1, maxY: 1 }).score).toBeNull();
    expect([...grades.entries()]).toEqual([
      [1, 0],
      [2, 1],
      [3, 2],
      [4, 3],
      [5, 4],
    ]);
  });
});
