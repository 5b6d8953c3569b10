import { describe, expect, it } from 'vitest';
import { splitByRatio, splitStratified } from './splits.js';

const images = Array.from({ length: 100 }, (_, i) => i + 1);

describe('splits', () => {
  it('splits by ratio reproducibly from the seed, every image once', () => {
    const ratios = { train: 0.7, validation: 0.2, test: 0.1 };
    const a = splitByRatio(images, ratios, 42);
    expect(splitByRatio([...images].reverse(), ratios, 42)).toEqual(a);
    expect(a.size).toBe(100);
    const count = (part: string) => [...a.values()].filter((p) => p === part).length;
    expect([count('train'), count('validation'), count('test')]).toEqual([70, 20, 10]);
    expect(splitByRatio(images, ratios, 43)).not.toEqual(a);
  });

  it('stratifies so each part gets about its ratio of every label', () => {
    // Type 1 is common, type 2 rare and only on the first 10 images.
    const labels = new Map(
      images.map((i) => [i, new Map([[1, 5], ...(i <= 10 ? ([[2, 3]] as [number, number][]) : [])])]),
    );
    const split = splitStratified(labels, { train: 0.8, validation: 0.1, test: 0.1 }, 7);
    const share = (part: string, type: number) =>
      [...split].filter(([, p]) => p === part).reduce((sum, [i]) => sum + (labels.get(i)?.get(type) ?? 0), 0);
    expect(share('train', 2)).toBe(24);
    expect(share('validation', 2)).toBe(3);
    expect(share('test', 2)).toBe(3);
    expect(Math.abs(share('train', 1) - 400)).toBeLessThanOrEqual(10);
    expect(splitStratified(labels, { train: 0.8, validation: 0.1, test: 0.1 }, 7)).toEqual(split);
  });
});
