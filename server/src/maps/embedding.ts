// Reduces crop features to 2D with UMAP (umap-js), seeded so the same map comes out the same way.
import { UMAP } from 'umap-js';

/** A seeded pseudo-random generator in [0, 1) (mulberry32): UMAP's only source of randomness here. */
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

/** Each feature scaled to mean 0 and deviation 1, so no single feature (say brightness) dominates. */
export function standardise(rows: readonly (readonly number[])[]): number[][] {
  const width = rows[0]?.length ?? 0;
  const means = new Array<number>(width).fill(0);
  const deviations = new Array<number>(width).fill(0);
  for (let j = 0; j < width; j++) {
    const column = rows.map((row) => row[j] ?? 0);
    const mean = column.reduce((a, b) => a + b, 0) / Math.max(1, column.length);
    means[j] = mean;
    deviations[j] = Math.sqrt(column.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, column.length));
  }
  return rows.map((row) =>
    row.map((value, j) => {
      const deviation = deviations[j] ?? 0;
      return deviation > 0 ? (value - (means[j] ?? 0)) / deviation : 0;
    }),
  );
}

/**
 * 2D positions for feature vectors: UMAP over the standardised features with a seeded generator. Below
 * a handful of points UMAP has no neighbourhoods to learn from; those keep their first two features.
 */
export function embed2d(features: readonly (readonly number[])[], seed: number): [number, number][] {
  const data = standardise(features);
  if (data.length < 5) return data.map((row) => [row[0] ?? 0, row[1] ?? 0]);
  const umap = new UMAP({
    nComponents: 2,
    nNeighbors: Math.min(15, data.length - 1),
    minDist: 0.1,
    random: seededRandom(seed),
  });
  return umap.fit(data).map((point) => [point[0] ?? 0, point[1] ?? 0]);
}
