import { describe, expect, it } from 'vitest';
import {
  byPlace,
  clusterReaders,
  fleissAgreement,
  pairAgreement,
  type ImageReadings,
  type RatedShape,
} from './agreement.js';
import { cohenKappa, fleissKappa } from './kappa.js';

const rule = { iouThreshold: 0.5, pointDistance: 10 };
/** A 10x10 box at (x, 0) of class `label`. */
const cell = (x: number, label: number): RatedShape => ({
  frame: null,
  xMin: x,
  yMin: 0,
  xMax: x + 10,
  yMax: 10,
  label,
});
const image = (byReader: Record<number, RatedShape[]>): ImageReadings =>
  new Map(Object.entries(byReader).map(([reader, shapes]) => [Number(reader), shapes]));

describe('agreement of two readers', () => {
  it('rates unmatched annotations "none" and counts F1 over both readers', () => {
    // Image 1: three cells both marked (classes 1/1, 1/2, 2/2), one only reader 7 marked.
    // Image 2: one cell only reader 8 marked.
    const images = [
      image({
        7: [cell(0, 1), cell(100, 1), cell(200, 2), cell(300, 1)],
        8: [cell(1, 1), cell(101, 2), cell(199, 2)],
      }),
      image({ 8: [cell(50, 2)] }),
    ];
    const result = pairAgreement(images, 7, 8, rule);
    expect(result).toMatchObject({ matched: 3, onlyA: 1, onlyB: 1 });
    expect(result.f1).toBeCloseTo(6 / 8, 12);
    const expected = cohenKappa([
      [1, 1],
      [1, 2],
      [2, 2],
      [1, 'none'],
      ['none', 2],
    ]);
    expect(result.kappa).toBeCloseTo(expected ?? Number.NaN, 12);
    // po 2/5; a: 1 3/5, 2 1/5, none 1/5; b: 1 1/5, 2 3/5, none 1/5; pe (3 + 3 + 1) / 25.
    expect(result.kappa).toBeCloseTo((2 / 5 - 7 / 25) / (1 - 7 / 25), 12);
    // Over the three matched pairs only: po 2/3; a 1: 2/3, 2: 1/3; b 1: 1/3, 2: 2/3; pe 4/9.
    expect(result.kappaMatched).toBeCloseTo((2 / 3 - 4 / 9) / (1 - 4 / 9), 12);
  });

  it('is perfect for identical readings and has no figures without annotations', () => {
    const same = [image({ 1: [cell(0, 1), cell(50, 2)], 2: [cell(0, 1), cell(50, 2)] })];
    expect(pairAgreement(same, 1, 2, rule)).toEqual({
      matched: 2,
      onlyA: 0,
      onlyB: 0,
      f1: 1,
      kappa: 1,
      kappaMatched: 1,
    });
    expect(pairAgreement([image({})], 1, 2, rule)).toEqual({
      matched: 0,
      onlyA: 0,
      onlyB: 0,
      f1: null,
      kappa: null,
      kappaMatched: null,
    });
  });
});

describe('agreement on image-level labels', () => {
  /** An image-level label of class `label`. */
  const grade = (label: number): RatedShape => ({
    frame: null,
    xMin: 0,
    yMin: 0,
    xMax: 0,
    yMax: 0,
    label,
    imageLevel: true,
  });

  it('pairs labels of an image with each other, the same class first, never with shapes', () => {
    // Image 1: reader 1 says 7 and 8, reader 2 says 8 and 9: 8/8 first, then 7/9.
    // Image 2: reader 1 says 7, reader 2 boxes a cell at the origin and says nothing.
    const images = [
      image({ 1: [grade(7), grade(8)], 2: [grade(8), grade(9)] }),
      image({ 1: [grade(7)], 2: [cell(0, 7)] }),
    ];
    const result = pairAgreement(images, 1, 2, rule);
    expect(result).toMatchObject({ matched: 2, onlyA: 1, onlyB: 1 });
    const expected = cohenKappa([
      [8, 8],
      [7, 9],
      [7, 'none'],
      ['none', 7],
    ]);
    expect(result.kappa).toBeCloseTo(expected ?? Number.NaN, 12);
  });

  it("counts them in Fleiss' kappa as clusters of their own", () => {
    const images = [image({ 1: [grade(7)], 2: [grade(7)], 3: [grade(8)] })];
    const result = fleissAgreement(images, [1, 2, 3], rule);
    expect(result.items).toBe(1);
    // One item rated 7, 7, 8: P 1/3; shares 2/3 and 1/3: Pe 5/9.
    expect(result.kappa).toBeCloseTo((1 / 3 - 5 / 9) / (1 - 5 / 9), 12);
  });
});

describe('agreement of three or more readers', () => {
  it('clusters one annotation per reader, starting new clusters for the unmatched', () => {
    const lists = [
      [cell(0, 1), cell(100, 1)],
      [cell(101, 2), cell(1, 1)],
      [cell(2, 1), cell(400, 3)],
    ];
    expect(clusterReaders(lists, byPlace(rule))).toEqual([
      [0, 1, 0],
      [1, 0, null],
      [null, null, 1],
    ]);
  });

  it("is Fleiss' kappa over the clusters with absent readers rating none", () => {
    const images = [
      image({
        1: [cell(0, 1), cell(100, 1)],
        2: [cell(1, 1), cell(101, 2)],
        3: [cell(2, 1), cell(400, 3)],
      }),
      image({ 1: [cell(0, 2)], 2: [cell(0, 2)], 3: [cell(0, 2)] }),
    ];
    const result = fleissAgreement(images, [1, 2, 3], rule);
    expect(result.items).toBe(4);
    const expected = fleissKappa([
      [1, 1, 1],
      [1, 2, 'none'],
      ['none', 'none', 3],
      [2, 2, 2],
    ]);
    expect(result.kappa).toBeCloseTo(expected ?? Number.NaN, 12);
    // P_i: 1, 0, 1/3, 1 -> P 7/12; shares 1 4/12, 2 4/12, none 3/12, 3 1/12 -> Pe 42/144.
    expect(result.kappa).toBeCloseTo((7 / 12 - 42 / 144) / (1 - 42 / 144), 12);
  });
});
