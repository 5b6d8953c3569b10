import { describe, expect, it } from 'vitest';
import { decodeBoxes, decodeSegmentation } from './decode.js';
import { inputTensor } from './input-tensor.js';
import { modelSpecSchema } from './model-spec.js';
import { nonMaximumSuppression } from './nms.js';

describe('model outputs', () => {
  it('reads box rows with a score and an optional class, dropping low scores and empty boxes', () => {
    const rows = [0, 0, 10, 10, 0.9, 10, 10, 20, 20, 0.2, 5, 5, 5, 9, 0.9];
    expect(decodeBoxes({ data: rows, dims: [1, 3, 5] }, 0.5)).toEqual([
      { x1: 0, y1: 0, x2: 10, y2: 10, score: 0.9 },
    ]);
    expect(decodeBoxes({ data: [0, 0, 4, 4, 0.7, 2], dims: [1, 6] }, 0.5)).toEqual([
      { x1: 0, y1: 0, x2: 4, y2: 4, score: 0.7, label: 2 },
    ]);
    expect(() => decodeBoxes({ data: [1, 2, 3, 4], dims: [1, 4] }, 0.5)).toThrow(/\[N, 5\] or \[N, 6\]/);
  });

  it('outlines the regions of each class of a per-pixel output', () => {
    // 2 classes on 4 x 3 pixels: class 1 wins on a 2 x 2 block.
    const background = [5, 5, 0, 0, 5, 5, 0, 0, 5, 5, 5, 5];
    const foreground = background.map((v) => 5 - v);
    const [region, ...rest] = decodeSegmentation(
      { data: [...background, ...foreground], dims: [1, 2, 3, 4] },
      1,
      0.5,
    );
    expect(rest).toHaveLength(0);
    expect(region).toMatchObject({ label: 1, x1: 2, y1: 0, x2: 4, y2: 2, polygon: [4, 0, 4, 2, 2, 2, 2, 0] });
    expect(region?.score).toBeCloseTo(1 / (1 + Math.exp(-5)), 5);
    expect(() => decodeSegmentation({ data: [], dims: [2, 3] }, 1, 0.5)).toThrow(/\[1, classes/);
  });

  it('keeps the best of overlapping boxes of one class', () => {
    const boxes = [
      { x1: 0, y1: 0, x2: 10, y2: 10, score: 0.6 },
      { x1: 1, y1: 1, x2: 11, y2: 11, score: 0.9 },
      { x1: 1, y1: 1, x2: 11, y2: 11, score: 0.8, label: 2 },
      { x1: 300, y1: 0, x2: 310, y2: 10, score: 0.5 },
    ];
    expect(nonMaximumSuppression(boxes, 0.5).map((b) => b.score)).toEqual([0.9, 0.8, 0.5]);
  });

  it('normalises pixels into a padded NCHW tensor', () => {
    const spec = modelSpecSchema.parse({
      inputWidth: 8,
      inputHeight: 8,
      normalisation: { scale: 1, mean: [10, 20, 30], std: [2, 4, 5] },
      decoding: { kind: 'boxes' },
    });
    const tensor = inputTensor(new Uint8Array([20, 40, 80]), 1, 1, spec);
    expect(tensor.length).toBe(192);
    expect([tensor[0], tensor[64], tensor[128], tensor[1]]).toEqual([5, 5, 10, 0]);
    expect(modelSpecSchema.safeParse({ ...spec, normalisation: { std: [1, 0, 1] } }).success).toBe(false);
  });
});
