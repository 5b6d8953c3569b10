import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../test/support/clock.js';
import { RECENT_CREDENTIAL_TTL_MS, RecentCredentials } from './recent-credentials.js';

/** A check that counts how often it ran and answers what `answer` says at that moment. */
function countingCheck<T>(answer: () => Promise<T>) {
  const check = () => {
    check.runs += 1;
    return answer();
  };
  check.runs = 0;
  return check;
}

describe('RecentCredentials', () => {
  it('answers a verified credential from memory until the bound, then checks it again', async () => {
    const clock = new ManualClock();
    const recent = new RecentCredentials<string>({ clock });
    const check = countingCheck(() => Promise.resolve('alice'));
    await expect(recent.get('Basic YWxpY2U6cHc=', check)).resolves.toBe('alice');
    clock.advance(RECENT_CREDENTIAL_TTL_MS - 1);
    await expect(recent.get('Basic YWxpY2U6cHc=', check)).resolves.toBe('alice');
    expect(check.runs).toBe(1);
    clock.advance(2);
    await recent.get('Basic YWxpY2U6cHc=', check);
    expect(check.runs).toBe(2);
  });

  it('shares one check among concurrent requests with the same credential', async () => {
    const recent = new RecentCredentials<string>({ clock: new ManualClock() });
    const check = countingCheck(() => Promise.resolve('bob'));
    await Promise.all(Array.from({ length: 5 }, () => recent.get('Token pat_a.b', check)));
    expect(check.runs).toBe(1);
  });

  it('never remembers a refusal or an answer it is told not to keep', async () => {
    const recent = new RecentCredentials<string | null>({ clock: new ManualClock() });
    const refused = countingCheck(() => Promise.reject(new Error('Invalid token.')));
    await expect(recent.get('Token pat_x.y', refused)).rejects.toThrow('Invalid token.');
    await expect(recent.get('Token pat_x.y', refused)).rejects.toThrow('Invalid token.');
    expect(refused.runs).toBe(2);

    let session: string | null = null;
    const resume = countingCheck(() => Promise.resolve(session));
    const keep = (found: string | null) => found !== null;
    await expect(recent.get('cookie-token', resume, keep)).resolves.toBeNull();
    session = 'carol';
    await expect(recent.get('cookie-token', resume, keep)).resolves.toBe('carol');
    await expect(recent.get('cookie-token', resume, keep)).resolves.toBe('carol');
    expect(resume.runs).toBe(2);
  });

  it('keeps each credential apart', async () => {
    const recent = new RecentCredentials<string>({ clock: new ManualClock() });
    await recent.get('Basic one', () => Promise.resolve('one'));
    await expect(recent.get('Basic two', () => Promise.resolve('two'))).resolves.toBe('two');
  });
});
