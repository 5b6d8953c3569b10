import { describe, expect, it } from 'vitest';
import { needsOpinionOf, reviewTally } from './review.js';

const CREATOR = 1;
const accept = (user: number) => ({ user, verified: true });
const reject = (user: number) => ({ user, verified: false });

describe('reviewTally', () => {
  it('is open without verdicts, verified by one other with N = 1', () => {
    expect(reviewTally(CREATOR, [], 1).status).toBe('open');
    expect(reviewTally(CREATOR, [accept(2)], 1)).toEqual({ status: 'verified', accepts: 1, rejects: 0 });
    expect(reviewTally(CREATOR, [reject(2)], 1).status).toBe('rejected');
  });

  it('needs N agreeing verdicts with N = 2 and 3', () => {
    expect(reviewTally(CREATOR, [accept(2)], 2).status).toBe('open');
    expect(reviewTally(CREATOR, [accept(2), accept(3)], 2).status).toBe('verified');
    expect(reviewTally(CREATOR, [accept(2), accept(3)], 3).status).toBe('open');
    expect(reviewTally(CREATOR, [reject(2), reject(3), reject(4)], 3).status).toBe('rejected');
  });

  it("never counts the creator's own verdict", () => {
    expect(reviewTally(CREATOR, [accept(CREATOR)], 1)).toEqual({ status: 'open', accepts: 0, rejects: 0 });
    expect(reviewTally(CREATOR, [reject(CREATOR), accept(2)], 1).status).toBe('verified');
  });

  it('is disputed as soon as others disagree', () => {
    expect(reviewTally(CREATOR, [accept(2), reject(3)], 1).status).toBe('disputed');
    expect(reviewTally(CREATOR, [accept(2), accept(3), reject(4)], 2).status).toBe('disputed');
  });
});

describe('needsOpinionOf', () => {
  it('leaves out own annotations and ones already judged by the user', () => {
    expect(needsOpinionOf(CREATOR, CREATOR, [], 1)).toBe(false);
    expect(needsOpinionOf(2, CREATOR, [reject(2)], 3)).toBe(false);
    expect(needsOpinionOf(2, CREATOR, [], 1)).toBe(true);
  });

  it('stops at N verdicts by others; the creator’s verdict does not fill the count', () => {
    expect(needsOpinionOf(3, CREATOR, [accept(2)], 1)).toBe(false);
    expect(needsOpinionOf(3, CREATOR, [accept(2)], 2)).toBe(true);
    expect(needsOpinionOf(3, CREATOR, [accept(CREATOR)], 1)).toBe(true);
    expect(needsOpinionOf(4, CREATOR, [accept(2), reject(3)], 3)).toBe(true);
  });
});
