/*
 * Chance-corrected agreement of raters on categories (pure). Categories are any strings or numbers;
 * a kappa is null when it is undefined: no items, or chance agreement 1 (every rating one category).
 */

export type Category = string | number;

/**
 * Cohen's kappa of two raters: (po - pe) / (1 - pe), po the share of items both put in the same
 * category, pe the agreement expected from each rater's own category shares.
 */
export function cohenKappa(pairs: readonly (readonly [Category, Category])[]): number | null {
  const n = pairs.length;
  if (n === 0) return null;
  const shareA = new Map<Category, number>();
  const shareB = new Map<Category, number>();
  let agreed = 0;
  for (const [a, b] of pairs) {
    if (a === b) agreed++;
    shareA.set(a, (shareA.get(a) ?? 0) + 1 / n);
    shareB.set(b, (shareB.get(b) ?? 0) + 1 / n);
  }
  let expected = 0;
  for (const [category, share] of shareA) expected += share * (shareB.get(category) ?? 0);
  return chanceCorrected(agreed / n, expected);
}

/**
 * Fleiss' kappa of a fixed number of raters per item: `ratings[i]` holds the category each rater gave
 * item i (every item the same number of ratings, at least two).
 */
export function fleissKappa(ratings: readonly (readonly Category[])[]): number | null {
  const items = ratings.length;
  const raters = ratings[0]?.length ?? 0;
  if (items === 0 || raters < 2) return null;
  const totals = new Map<Category, number>();
  let observed = 0;
  for (const item of ratings) {
    if (item.length !== raters) throw new Error('Fleiss’ kappa needs the same number of ratings per item.');
    const counts = new Map<Category, number>();
    for (const category of item) counts.set(category, (counts.get(category) ?? 0) + 1);
    let pairsAgreeing = 0;
    for (const [category, c] of counts) {
      pairsAgreeing += c * (c - 1);
      totals.set(category, (totals.get(category) ?? 0) + c);
    }
    observed += pairsAgreeing / (raters * (raters - 1));
  }
  let expected = 0;
  for (const total of totals.values()) expected += (total / (items * raters)) ** 2;
  return chanceCorrected(observed / items, expected);
}

function chanceCorrected(observed: number, expected: number): number | null {
  // Floating sums of shares can land a hair off 1 when every rating is one category.
  if (1 - expected < 1e-12) return null;
  return (observed - expected) / (1 - expected);
}
