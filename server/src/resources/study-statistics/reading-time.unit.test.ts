import { describe, expect, it } from 'vitest';
import { CLOSED, OPENED, readingTimes, type ImageActionEntry } from './reading-time.js';

const MINUTE = 60_000;
const CAP = 60 * MINUTE;
let nextId = 1;
const entry = (userId: number, imageId: number, action: number, minute: number): ImageActionEntry => ({
  id: nextId++,
  userId,
  imageId,
  action,
  at: minute * MINUTE,
});

describe('time spent per image from the action log', () => {
  it('sums open-close pairs per reader and image', () => {
    const totals = readingTimes(
      [
        entry(1, 10, OPENED, 0),
        entry(1, 10, CLOSED, 5),
        entry(1, 11, OPENED, 5),
        entry(2, 10, OPENED, 1),
        entry(1, 10, OPENED, 20),
        entry(1, 11, CLOSED, 8),
        entry(1, 10, CLOSED, 22),
        entry(2, 10, CLOSED, 4),
      ],
      CAP,
    );
    expect(totals).toEqual([
      { userId: 1, imageId: 10, milliseconds: 7 * MINUTE, visits: 2, unclosedVisits: 0, cappedVisits: 0 },
      { userId: 1, imageId: 11, milliseconds: 3 * MINUTE, visits: 1, unclosedVisits: 0, cappedVisits: 0 },
      { userId: 2, imageId: 10, milliseconds: 3 * MINUTE, visits: 1, unclosedVisits: 0, cappedVisits: 0 },
    ]);
  });

  it('counts no time for openings without their closing, and ignores closings without an opening', () => {
    const totals = readingTimes(
      [
        entry(1, 10, CLOSED, 0), // a closing before any opening
        entry(1, 10, OPENED, 1), // followed by another opening: unclosed
        entry(1, 10, OPENED, 30),
        entry(1, 10, CLOSED, 32),
        entry(1, 10, CLOSED, 33), // a second tab's closing
        entry(1, 10, OPENED, 40), // never closed
      ],
      CAP,
    );
    expect(totals).toEqual([
      { userId: 1, imageId: 10, milliseconds: 2 * MINUTE, visits: 1, unclosedVisits: 2, cappedVisits: 0 },
    ]);
  });

  it('caps a visit at the session cap and orders entries of the same moment by id', () => {
    const totals = readingTimes(
      [
        entry(1, 10, OPENED, 0),
        entry(1, 10, CLOSED, 300),
        entry(1, 10, OPENED, 300),
        entry(1, 10, CLOSED, 301),
      ],
      CAP,
    );
    expect(totals).toEqual([
      { userId: 1, imageId: 10, milliseconds: CAP + MINUTE, visits: 2, unclosedVisits: 0, cappedVisits: 1 },
    ]);
  });
});
