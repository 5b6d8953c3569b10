import { describe, expect, it } from 'vitest';
import { cohenKappa, fleissKappa, type Category } from './kappa.js';

/** Rating pairs from a 2x2 table: [yes/yes, yes/no, no/yes, no/no]. */
function table(cells: [number, number, number, number]): [Category, Category][] {
  const [yy, yn, ny, nn] = cells;
  return [
    ...Array.from({ length: yy }, (): [Category, Category] => ['yes', 'yes']),
    ...Array.from({ length: yn }, (): [Category, Category] => ['yes', 'no']),
    ...Array.from({ length: ny }, (): [Category, Category] => ['no', 'yes']),
    ...Array.from({ length: nn }, (): [Category, Category] => ['no', 'no']),
  ];
}

/** One item's ratings from its row of category counts. */
function row(counts: number[]): number[] {
  return counts.flatMap((c, category) => Array.from({ length: c }, () => category));
}

describe("Cohen's kappa", () => {
  it('is 0.4 for the textbook grant proposals (po 0.7, pe 0.5)', () => {
    expect(cohenKappa(table([20, 5, 10, 15]))).toBeCloseTo(0.4, 10);
  });

  it('tells apart tables of equal raw agreement by their marginals (0.1304 and 0.2593)', () => {
    expect(cohenKappa(table([45, 15, 25, 15]))).toBeCloseTo(0.1304, 4);
    expect(cohenKappa(table([25, 35, 5, 35]))).toBeCloseTo(0.2593, 4);
  });

  it('is 1 for perfect agreement, negative below chance, null when undefined', () => {
    expect(cohenKappa(table([10, 0, 0, 5]))).toBe(1);
    expect(cohenKappa(table([0, 5, 5, 0]))).toBe(-1);
    expect(cohenKappa([])).toBeNull();
    expect(cohenKappa(table([7, 0, 0, 0]))).toBeNull();
  });

  it('takes three categories, numbers or text alike', () => {
    // Diagonal 5, 4, 3 of 16 items; marginals a (6, 5, 5), b (6, 5, 5): po 12/16, pe 86/256.
    const pairs: [Category, Category][] = [
      ...Array.from({ length: 5 }, (): [Category, Category] => [1, 1]),
      ...Array.from({ length: 4 }, (): [Category, Category] => [2, 2]),
      ...Array.from({ length: 3 }, (): [Category, Category] => ['none', 'none']),
      [1, 2],
      [2, 'none'],
      ['none', 1],
      ['none', 2],
    ];
    const po = 12 / 16;
    const pe = (6 * 6 + 5 * 5 + 5 * 5) / 256;
    expect(cohenKappa(pairs)).toBeCloseTo((po - pe) / (1 - pe), 12);
  });
});

describe("Fleiss' kappa", () => {
  it("is 0.210 for Fleiss' worked example (10 subjects, 14 raters, 5 categories)", () => {
    const ratings = [
      [0, 0, 0, 0, 14],
      [0, 2, 6, 4, 2],
      [0, 0, 3, 5, 6],
      [0, 3, 9, 2, 0],
      [2, 2, 8, 1, 1],
      [7, 7, 0, 0, 0],
      [3, 2, 6, 3, 0],
      [2, 5, 3, 2, 2],
      [6, 5, 2, 1, 0],
      [0, 2, 2, 3, 7],
    ].map(row);
    // P-bar 0.378, Pe-bar 0.2128: (0.378 - 0.2128) / (1 - 0.2128).
    expect(fleissKappa(ratings)).toBeCloseTo(0.20993, 5);
  });

  it('is 1 when all raters agree and 0 at chance agreement', () => {
    expect(fleissKappa([row([2, 0]), row([0, 2]), row([2, 0])])).toBe(1);
    // Two raters, 4 items: 2 agree, 2 disagree; shares 0.5/0.5: P 0.5, Pe 0.5 -> 0.
    expect(fleissKappa([row([2, 0]), row([0, 2]), row([1, 1]), row([1, 1])])).toBeCloseTo(0, 12);
  });

  it('is null without items or with one category only, and refuses ragged ratings', () => {
    expect(fleissKappa([])).toBeNull();
    expect(fleissKappa([row([3]), row([3])])).toBeNull();
    expect(() => fleissKappa([row([2, 1]), row([1, 1])])).toThrow(/same number of ratings/);
  });
});
