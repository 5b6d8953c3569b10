import { createHash } from 'node:crypto';

/** A seeded pseudo-random source: the same seed gives the same sequence on every machine. */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** A float in [min, max). */
  between(min: number, max: number): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  /** An item picked by weight. */
  weighted<T>(items: readonly (readonly [T, number])[]): T;
}

/**
 * mulberry32: 32 bits of state, passes the usual statistical batteries well enough for pictures, and
 * is exact in JavaScript's integer arithmetic (Math.imul), so every platform draws the same numbers.
 * Math.random cannot be seeded, which would make generated data sets differ between setups.
 */
export function mulberry32(seed: number): Random {
  let state = seed | 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    between: (min, max) => min + next() * (max - min),
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    weighted<T>(items: readonly (readonly [T, number])[]): T {
      const total = items.reduce((sum, [, w]) => sum + w, 0);
      let pick = next() * total;
      for (const [item, weight] of items) {
        pick -= weight;
        if (pick < 0) return item;
      }
      const last = items[items.length - 1];
      if (last === undefined) throw new Error('weighted() needs at least one item');
      return last[0];
    },
  };
}

/** A 32-bit seed for one part of a data set, so parts draw independent sequences from one seed. */
export function subSeed(seed: number, part: string): number {
  return createHash('sha256').update(`${seed}:${part}`).digest().readInt32LE(0);
}

// The namespace of every data set annotation id (a fixed, random UUID).
const NAMESPACE = Buffer.from('5f0c2d8e3b7a4e61a9d4c1e07b2f6a93', 'hex');

/**
 * A name-based UUID (version 5, RFC 9562): the same data set, seed and key always give the same id,
 * so two setups with one seed produce identical annotation sets that a test can compare.
 */
export function seededUuid(dataset: string, seed: number, key: string): string {
  const hash = createHash('sha1').update(NAMESPACE).update(`${dataset}/${seed}/${key}`).digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
