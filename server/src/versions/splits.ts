/*
 * Train/validation/test splits of a version's images (pure): by hand, by ratio with a seeded shuffle,
 * or stratified by label counts (each part gets about its ratio of every annotation type's labels).
 */

export const PARTS = ['train', 'validation', 'test'] as const;
export type Part = (typeof PARTS)[number];
export type Ratios = Readonly<Record<Part, number>>;

/** A small seeded generator (mulberry32): the same seed always splits the same way. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** Splits by ratio: a seeded shuffle cut at the cumulative ratios (rounded to whole images). */
export function splitByRatio(images: readonly number[], ratios: Ratios, seed: number): Map<number, Part> {
  const order = shuffled(
    [...images].sort((a, b) => a - b),
    seededRandom(seed),
  );
  const total = ratios.train + ratios.validation + ratios.test;
  const trainEnd = Math.round((order.length * ratios.train) / total);
  const validationEnd = trainEnd + Math.round((order.length * ratios.validation) / total);
  return new Map(
    order.map((image, i) => [image, i < trainEnd ? 'train' : i < validationEnd ? 'validation' : 'test']),
  );
}

/**
 * Splits so each part gets about its ratio of every label: images (seeded order, the most labelled
 * first) go one by one to the part that lacks the largest fraction of its share of their labels.
 */
export function splitStratified(
  labels: ReadonlyMap<number, ReadonlyMap<number, number>>,
  ratios: Ratios,
  seed: number,
): Map<number, Part> {
  const total = ratios.train + ratios.validation + ratios.test;
  const totals = new Map<number, number>();
  for (const counts of labels.values()) {
    for (const [type, n] of counts) totals.set(type, (totals.get(type) ?? 0) + n);
  }
  const assigned = new Map(PARTS.map((p) => [p, new Map<number, number>()]));
  const imageCounts = new Map(PARTS.map((p) => [p, 0]));
  const size = (image: number) => [...(labels.get(image)?.values() ?? [])].reduce((a, b) => a + b, 0);
  const order = shuffled(
    [...labels.keys()].sort((a, b) => a - b),
    seededRandom(seed),
  ).sort((a, b) => size(b) - size(a));
  const result = new Map<number, Part>();
  for (const image of order) {
    const counts = labels.get(image) ?? new Map<number, number>();
    let best: Part = 'train';
    let bestNeed = -Infinity;
    for (const part of PARTS) {
      const share = ratios[part] / total;
      if (share === 0) continue;
      // How much of its share of this image's labels the part still lacks, as a fraction of that share
      // (fractions, so a small part is not starved by a big one); images without labels count as one.
      let need = 0;
      if (counts.size === 0) need = 1 - (imageCounts.get(part) ?? 0) / (share * labels.size);
      for (const [type, n] of counts) {
        need += n * (1 - (assigned.get(part)?.get(type) ?? 0) / (share * (totals.get(type) ?? 1)));
      }
      if (need > bestNeed) [best, bestNeed] = [part, need];
    }
    result.set(image, best);
    imageCounts.set(best, (imageCounts.get(best) ?? 0) + 1);
    const target = assigned.get(best) as Map<number, number>;
    for (const [type, n] of counts) target.set(type, (target.get(type) ?? 0) + n);
  }
  return result;
}
