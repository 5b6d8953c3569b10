// Reduces crop features to 2D with UMAP (umap-js), seeded so the same map comes out the same way.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { UMAP } from 'umap-js';
// The splits' seeded generator (mulberry32): UMAP's only source of randomness here.
import { seededRandom } from '../versions/splits.js';

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

/** UMAP's settings for `count` points (fewer neighbours than points, as it needs). */
function umapOptions(count: number) {
  return { nComponents: 2, nNeighbors: Math.min(15, count - 1), minDist: 0.1 };
}

/** Below this many points UMAP has no neighbourhoods to learn from: they keep their first two features. */
const MIN_UMAP_POINTS = 5;

/**
 * 2D positions for feature vectors: UMAP over the standardised features with a seeded generator, on
 * this thread (tests, small maps). `embed2dInWorker` gives the same positions off the event loop.
 */
export function embed2d(features: readonly (readonly number[])[], seed: number): [number, number][] {
  const data = standardise(features);
  if (data.length < MIN_UMAP_POINTS) return data.map((row) => [row[0] ?? 0, row[1] ?? 0]);
  const umap = new UMAP({ ...umapOptions(data.length), random: seededRandom(seed) });
  return umap.fit(data).map((point) => [point[0] ?? 0, point[1] ?? 0]);
}

/**
 * The worker's whole program: the same UMAP call with the same generator (its source is taken from
 * `seededRandom` itself, so both threads draw the same numbers). Plain CommonJS, no build step.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { UMAP } = require(workerData.umap);
const seededRandom = ${seededRandom.toString()};
const umap = new UMAP({ ...workerData.options, random: seededRandom(workerData.seed) });
parentPort.postMessage(umap.fit(workerData.data));
`;

/**
 * `embed2d` on a worker thread: UMAP of a few thousand crops takes tens of seconds of CPU, which must
 * not stall the server's requests and live documents meanwhile.
 */
export async function embed2dInWorker(
  features: readonly (readonly number[])[],
  seed: number,
): Promise<[number, number][]> {
  const data = standardise(features);
  if (data.length < MIN_UMAP_POINTS) return data.map((row) => [row[0] ?? 0, row[1] ?? 0]);
  const umap = createRequire(import.meta.url).resolve('umap-js');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { umap, data, seed, options: umapOptions(data.length) },
  });
  try {
    const points = await new Promise<number[][]>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => {
        reject(new Error(`the embedding worker exited (${code})`));
      });
    });
    return points.map((point) => [point[0] ?? 0, point[1] ?? 0]);
  } finally {
    await worker.terminate();
  }
}
