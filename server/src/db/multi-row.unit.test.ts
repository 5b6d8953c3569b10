import { describe, expect, it } from 'vitest';
import { BATCH_BYTES, BATCH_ROWS, byteBatches, valuesList } from './multi-row.js';

describe('multi-row statements', () => {
  it('numbers the parameters row by row with their types', () => {
    expect(valuesList(2, ['int', 'bytea'])).toBe('($1::int, $2::bytea), ($3::int, $4::bytea)');
  });

  it('cuts batches by rows and by bytes, keeping order and every item', () => {
    const many = Array.from({ length: BATCH_ROWS * 2 + 1 }, (_, i) => i);
    const byRows = [...byteBatches(many, () => 1)];
    expect(byRows.map((b) => b.length)).toEqual([BATCH_ROWS, BATCH_ROWS, 1]);
    expect(byRows.flat()).toEqual(many);

    const sizes = [BATCH_BYTES / 2, BATCH_BYTES / 2, 1, BATCH_BYTES * 3, 5];
    const byBytes = [...byteBatches(sizes, (s) => s)];
    expect(byBytes).toEqual([[BATCH_BYTES / 2, BATCH_BYTES / 2], [1], [BATCH_BYTES * 3], [5]]);
  });

  it('makes no batch of nothing', () => {
    expect([...byteBatches([], () => 1)]).toEqual([]);
  });
});
