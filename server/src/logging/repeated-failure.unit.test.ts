import { describe, expect, it } from 'vitest';
import { RepeatedFailure } from './repeated-failure.js';

describe('RepeatedFailure', () => {
  it('asks for a log line at the 1st, 10th and 100th occurrence only, with the count', () => {
    const failure = new RepeatedFailure();
    const logged = Array.from({ length: 150 }, () => failure.occurred()).filter((n) => n !== null);
    expect(logged).toEqual([1, 10, 100]);
  });

  it('reports the total when resolved and counts afresh after', () => {
    const failure = new RepeatedFailure();
    for (let i = 0; i < 3; i++) failure.occurred();
    expect(failure.resolved()).toBe(3);
    expect(failure.resolved()).toBe(0);
    expect(failure.occurred()).toBe(1);
  });
});
