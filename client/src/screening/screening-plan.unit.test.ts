import { describe, expect, it } from 'vitest';
import {
  MAX_FIELDS,
  axisStarts,
  fieldAt,
  fieldSizeFor,
  nextField,
  planFields,
  previousField,
  readProgress,
  toScreeningTiles,
  toStoredPlan,
} from './screening-plan';

describe('axisStarts', () => {
  it('steps by 85% of the field, so neighbours share 15%', () => {
    // 1000-pixel fields step 850: 0, 850, 1700, 2550; the last ends at the edge (4000 - 1000).
    expect(axisStarts(4000, 1000)).toEqual([0, 850, 1700, 2550, 3000]);
  });

  it('moves the last field back inside the image rather than past its edge', () => {
    const starts = axisStarts(2000, 1000);
    expect(starts).toEqual([0, 850, 1000]);
    expect(Math.max(...starts) + 1000).toBe(2000);
  });

  it('needs no extra field when the steps end exactly at the edge', () => {
    expect(axisStarts(1850, 1000)).toEqual([0, 850]);
  });

  it('gives one field covering the axis when the field is as long or longer', () => {
    expect(axisStarts(500, 500)).toEqual([0]);
    expect(axisStarts(500, 5000)).toEqual([0]);
  });

  it('steps at least one pixel for tiny fields', () => {
    expect(axisStarts(3, 1)).toEqual([0, 1, 2]);
  });

  it('refuses empty axes and fields', () => {
    expect(() => axisStarts(0, 10)).toThrow(RangeError);
    expect(() => axisStarts(10, 0)).toThrow(RangeError);
  });
});

describe('planFields', () => {
  it('lays fields row by row (EXACT order, not serpentine), every field inside the image', () => {
    const plan = planFields(3000, 2000, 1000, 1000);
    expect(plan).toMatchObject({ fieldWidth: 1000, fieldHeight: 1000, xSteps: 4, ySteps: 3 });
    expect(plan.fields).toHaveLength(12);
    // Row 0 left to right, then row 1 starts at the left again.
    expect(plan.fields.slice(0, 5).map((f) => [f.minX, f.minY])).toEqual([
      [0, 0],
      [850, 0],
      [1700, 0],
      [2000, 0],
      [0, 850],
    ]);
    for (const f of plan.fields) {
      expect(f.minX).toBeGreaterThanOrEqual(0);
      expect(f.minY).toBeGreaterThanOrEqual(0);
      expect(f.maxX).toBeLessThanOrEqual(3000);
      expect(f.maxY).toBeLessThanOrEqual(2000);
      expect(f.maxX - f.minX).toBe(1000);
    }
  });

  it('covers every pixel of the image', () => {
    const plan = planFields(997, 613, 200, 150);
    for (const [x, y] of [
      [0, 0],
      [996, 612],
      [500, 300],
      [996, 0],
      [0, 612],
    ] as const) {
      expect(plan.fields.some((f) => f.minX <= x && x < f.maxX && f.minY <= y && y < f.maxY)).toBe(true);
    }
  });

  it('makes one field of the whole image when the image is smaller than a field', () => {
    const plan = planFields(40, 30, 1400, 900);
    expect(plan).toMatchObject({ fieldWidth: 40, fieldHeight: 30, xSteps: 1, ySteps: 1 });
    expect(plan.fields).toEqual([{ minX: 0, minY: 0, maxX: 40, maxY: 30 }]);
  });

  it('plans a gigapixel slide at scanning magnification and refuses plans beyond the cap', () => {
    // 100,000 x 80,000 pixels, 1400 x 900 fields: 84 x 105 fields.
    const plan = planFields(100_000, 80_000, 1400, 900);
    expect(plan.xSteps * plan.ySteps).toBe(plan.fields.length);
    expect(plan.fields.length).toBeLessThanOrEqual(MAX_FIELDS);
    expect(plan.fields.at(-1)).toEqual({ minX: 98_600, minY: 79_100, maxX: 100_000, maxY: 80_000 });
    expect(() => planFields(200_000, 200_000, 300, 200)).toThrow(/lower magnification/);
  });
});

describe('fieldSizeFor', () => {
  it('is the viewer in image pixels at the chosen zoom', () => {
    expect(fieldSizeFor(1400, 900, 2)).toEqual({ width: 2800, height: 1800 });
    expect(fieldSizeFor(1000, 700, 0.25)).toEqual({ width: 250, height: 175 });
    expect(fieldSizeFor(0, 0, 1)).toEqual({ width: 1, height: 1 });
  });
});

describe('stepping', () => {
  it('goes forward and back in index order and stops at the ends', () => {
    expect(nextField(0, 12)).toBe(1);
    expect(nextField(3, 12)).toBe(4); // the end of row 0 continues at the start of row 1
    expect(nextField(11, 12)).toBe(11);
    expect(previousField(4, 12)).toBe(3);
    expect(previousField(0, 12)).toBe(0);
  });
});

describe('fieldAt', () => {
  it('finds the field a point lies in, the nearer centre where fields overlap', () => {
    const plan = planFields(3000, 2000, 1000, 1000);
    expect(fieldAt(plan.fields, 10, 10)).toBe(0);
    // x = 900 lies in fields 0 (0-1000) and 1 (850-1850); field 0's centre (500) is nearer.
    expect(fieldAt(plan.fields, 900, 10)).toBe(0);
    expect(fieldAt(plan.fields, 1000, 10)).toBe(1);
    expect(fieldAt(plan.fields, 2999, 1999)).toBe(plan.fields.length - 1);
    expect(fieldAt(plan.fields, 3500, 10)).toBe(-1);
  });
});

describe('the stored form', () => {
  it('round-trips through EXACT’s screening_tiles with the screened fields', () => {
    const plan = planFields(3000, 2000, 1000, 1000);
    const tiles = toScreeningTiles(plan, new Set([0, 1]));
    expect(tiles['1']).toEqual({ Screened: true, x_min: 850, y_min: 0, x_max: 1850, y_max: 1000 });
    const progress = readProgress(
      {
        screening_tiles: tiles,
        current_index: 1,
        x_steps: plan.xSteps,
        y_steps: plan.ySteps,
        x_resolution: 1000,
        y_resolution: 1000,
      },
      3000,
      2000,
    );
    expect(progress?.fields).toEqual(plan.fields);
    expect([...(progress?.screened ?? [])]).toEqual([0, 1]);
    expect(progress?.current).toBe(1);
  });

  it('writes a position back as the whole plan with its screened fields (what a map stores)', () => {
    const plan = planFields(3000, 2000, 1000, 1000);
    const progress = {
      fields: plan.fields,
      screened: new Set([0, 1, 2]),
      current: 2,
      fieldWidth: plan.fieldWidth,
      fieldHeight: plan.fieldHeight,
      xSteps: plan.xSteps,
      ySteps: plan.ySteps,
    };
    const stored = toStoredPlan(progress);
    expect(stored).toMatchObject({ x_steps: 4, y_steps: 3, x_resolution: 1000, current_index: 2 });
    expect(Object.keys(stored.screening_tiles)).toHaveLength(plan.fields.length);
    expect(stored.screening_tiles['3']?.Screened).toBe(false);
    expect(readProgress(stored, 3000, 2000)).toEqual(progress);
  });

  it('reads EXACT’s own plans, whose edge tiles reach past the image, clamped to it', () => {
    const progress = readProgress(
      {
        screening_tiles: {
          0: { Screened: true, x_min: 0, y_min: 0, x_max: 600, y_max: 600 },
          1: { Screened: false, x_min: 600, y_min: 0, x_max: 1200, y_max: 600 },
        },
        current_index: 7,
        x_steps: 2,
        y_steps: 1,
        x_resolution: 600,
        y_resolution: 600,
      },
      1000,
      500,
    );
    expect(progress?.fields[1]).toEqual({ minX: 600, minY: 0, maxX: 1000, maxY: 500 });
    expect(progress?.current).toBe(1);
  });

  it('has nothing to walk in an empty or malformed plan', () => {
    const base = { current_index: 0, x_steps: 0, y_steps: 0, x_resolution: 0, y_resolution: 0 };
    expect(readProgress({ ...base, screening_tiles: {} }, 10, 10)).toBeNull();
    expect(readProgress({ ...base, screening_tiles: { 1: { Screened: false } } }, 10, 10)).toBeNull();
  });
});
