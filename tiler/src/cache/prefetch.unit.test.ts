import { describe, expect, it } from 'vitest';
import { Prefetcher } from './prefetch.js';

/** A task that records its key when it starts and finishes when released. */
function gated(log: string[]) {
  const releases = new Map<string, () => void>();
  const task = (key: string) => () =>
    new Promise<void>((resolve) => {
      log.push(key);
      releases.set(key, resolve);
    });
  return { task, release: (key: string) => releases.get(key)?.() };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('Prefetcher', () => {
  it('keeps at most maxQueued tasks, dropping the oldest, and runs the newest first', async () => {
    const log: string[] = [];
    let busy = true;
    const prefetch = new Prefetcher({ maxQueued: 3, busy: () => busy });
    const { task, release } = gated(log);
    for (const key of ['a', 'b', 'c', 'd', 'e']) prefetch.add(key, task(key));
    expect([prefetch.queued, prefetch.counts.dropped, log]).toEqual([3, 2, []]);
    busy = false;
    prefetch.resume();
    expect(log).toEqual(['e']);
    // One at a time: d waits for e.
    prefetch.add('c', task('c')); // re-queued: now the newest
    expect(log).toEqual(['e']);
    release('e');
    await settle();
    await settle();
    expect(log).toEqual(['e', 'c']);
    release('c');
    await settle();
    await settle();
    expect(log).toEqual(['e', 'c', 'd']);
    release('d');
    await settle();
    await settle();
    expect([prefetch.queued, prefetch.counts.started]).toEqual([0, 3]);
  });

  it('starts nothing while the owner is busy', async () => {
    const log: string[] = [];
    let busy = true;
    const prefetch = new Prefetcher({ maxQueued: 8, busy: () => busy });
    const { task } = gated(log);
    prefetch.add('a', task('a'));
    await settle();
    expect(log).toEqual([]);
    busy = false;
    prefetch.resume();
    expect(log).toEqual(['a']);
  });

  it('reports a failed task and goes on with the next', async () => {
    const failures: string[] = [];
    const prefetch = new Prefetcher({
      maxQueued: 8,
      busy: () => false,
      onError: (err, key) => failures.push(`${key}: ${(err as Error).message}`),
    });
    let ran = false;
    prefetch.add('later', () => {
      ran = true;
      return Promise.resolve();
    });
    // 'later' started at once (idle); queue a failing one and one after it.
    prefetch.add('broken', () => Promise.reject(new Error('boom')));
    for (let i = 0; i < 4; i++) await settle();
    expect([ran, failures]).toEqual([true, ['broken: boom']]);
  });

  it('on close drops what waits, refuses new tasks and waits for the running one', async () => {
    const log: string[] = [];
    const prefetch = new Prefetcher({ maxQueued: 8, busy: () => false });
    const { task, release } = gated(log);
    prefetch.add('running', task('running'));
    prefetch.add('waiting', task('waiting'));
    let closed = false;
    const closing = prefetch.close().then(() => (closed = true));
    expect(prefetch.queued).toBe(0);
    expect(prefetch.add('late', task('late'))).toBe(false);
    await settle();
    expect(closed).toBe(false);
    release('running');
    await closing;
    await settle();
    expect(log).toEqual(['running']);
  });

  it('queues nothing when off', () => {
    const prefetch = new Prefetcher({ maxQueued: 0, busy: () => false });
    expect(prefetch.add('a', () => Promise.resolve())).toBe(false);
    expect(() => new Prefetcher({ maxQueued: -1, busy: () => false })).toThrow(RangeError);
  });
});
