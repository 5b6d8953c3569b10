import { describe, expect, it, vi } from 'vitest';
import { formatBytes, formatDuration, formatTime, mapLimit, parseId, plural, safeNext } from './format';

describe('display helpers', () => {
  it('parses ids from URLs and refuses everything else', () => {
    expect(parseId('42')).toBe(42);
    for (const bad of [undefined, '', '0', '-1', '12abc', '1.5', '007', '99999999999']) {
      expect(parseId(bad)).toBeNull();
    }
  });

  it('counts things with the plural and thousands separators', () => {
    expect(plural(1, 'annotation')).toBe('1 annotation');
    expect(plural(0, 'annotation')).toBe('0 annotations');
    expect(plural(12345, 'image')).toBe('12,345 images');
  });

  it('sizes files for people: bytes below a kilobyte, else one decimal', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1_938_955)).toBe('1.9 MB');
    expect(formatBytes(20_000_000_000)).toBe('20.0 GB');
  });

  it('shows server times to the minute in UTC, and a dash for none', () => {
    expect(formatTime('2026-11-27T08:34:12.123456')).toBe('2026-11-27 08:34 UTC');
    expect(formatTime(null)).toBe('—');
  });

  it('shows durations in seconds, minutes or hours', () => {
    expect(formatDuration(44.6)).toBe('45 s');
    expect(formatDuration(245)).toBe('4 min 05 s');
    expect(formatDuration(3900)).toBe('1 h 05 min');
  });

  it('runs at most `limit` tasks at once and keeps the order of results', async () => {
    let running = 0;
    let peak = 0;
    // Each task waits until the test lets it finish; the test finishes them in an order other than
    // the input's (the highest waiting first), so the result order must come from mapLimit.
    const waiting: { n: number; finish: () => void }[] = [];
    const mapped = mapLimit([5, 1, 4, 2, 3, 0], 2, async (n) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise<void>((finish) => waiting.push({ n, finish }));
      running -= 1;
      return n * 10;
    });
    for (let finished = 0; finished < 6; finished++) {
      await vi.waitFor(() => {
        expect(waiting.length).toBeGreaterThan(0);
      });
      waiting.sort((x, y) => x.n - y.n);
      waiting.pop()?.finish();
    }
    expect(await mapped).toEqual([50, 10, 40, 20, 30, 0]);
    expect(peak).toBe(2);
    expect(await mapLimit([], 3, () => Promise.resolve(1))).toEqual([]);
  });

  it('sends sign-in only to same-site paths after signing in', () => {
    expect(safeNext('/sets/3')).toBe('/sets/3');
    expect(safeNext(null)).toBe('/');
    expect(safeNext('https://evil.example/')).toBe('/');
    expect(safeNext('//evil.example/')).toBe('/');
    expect(safeNext('/\\evil.example/')).toBe('/');
  });
});
