import { describe, expect, it } from 'vitest';
import { Lru } from './lru.js';
import { SingleFlight } from './single-flight.js';

describe('Lru', () => {
  it('evicts the least recently used entries to stay within its weight', () => {
    const evicted: string[] = [];
    const lru = new Lru<Buffer>({
      maxWeight: 10,
      weigh: (b) => b.length,
      onEvict: (key) => evicted.push(key),
    });
    lru.set('a', Buffer.alloc(4));
    lru.set('b', Buffer.alloc(4));
    expect(lru.get('a')?.length).toBe(4); // a is now the most recent
    lru.set('c', Buffer.alloc(4));
    expect(evicted).toEqual(['b']);
    expect(lru.weight).toBe(8);
    expect(lru.get('b')).toBeUndefined();
    lru.set('big', Buffer.alloc(11));
    expect(lru.get('big')).toBeUndefined();
    expect(lru.size).toBe(2);
  });

  it('replaces a key without counting it twice', () => {
    const lru = new Lru<string>({ maxWeight: 2 });
    lru.set('a', '1');
    lru.set('a', '2');
    expect([lru.size, lru.weight, lru.get('a')]).toEqual([1, 1, '2']);
    expect(lru.delete('a')).toBe(true);
    expect(lru.weight).toBe(0);
  });
});

describe('SingleFlight', () => {
  it('runs one task per key while it is in flight, then forgets it', async () => {
    const flight = new SingleFlight<number>();
    let runs = 0;
    let release: (n: number) => void = () => undefined;
    const task = () =>
      new Promise<number>((resolve) => {
        runs++;
        release = resolve;
      });
    const all = Promise.all([flight.run('k', task), flight.run('k', task), flight.run('k', task)]);
    expect([runs, flight.size]).toEqual([1, 1]);
    release(7);
    expect(await all).toEqual([7, 7, 7]);
    expect(flight.size).toBe(0);
    void flight.run('k', task);
    expect(runs).toBe(2);
    release(0);
  });

  it('shares a failure and lets the next call retry', async () => {
    const flight = new SingleFlight<number>();
    const failing = () => Promise.reject(new Error('boom'));
    await expect(Promise.all([flight.run('k', failing), flight.run('k', failing)])).rejects.toThrow('boom');
    await expect(flight.run('k', () => Promise.resolve(1))).resolves.toBe(1);
  });
});
