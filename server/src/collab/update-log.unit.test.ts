import { describe, expect, it } from 'vitest';
import type { NewUpdate } from './documents.repo.js';
import { UpdateLog } from './update-log.js';

const update = (document: string): NewUpdate => ({ document, update: new Uint8Array([1]), userId: 1 });

/** A fake batch writer: records batches, hands out increasing ids, resolves when told. */
function fakeWriter() {
  const batches: NewUpdate[][] = [];
  const release: (() => void)[] = [];
  let next = 1;
  let failNext = false;
  const write = (updates: readonly NewUpdate[]) => {
    batches.push([...updates]);
    const fail = failNext;
    failNext = false;
    return new Promise<number[]>((resolve, reject) => {
      release.push(() => {
        if (fail) reject(new Error('disk full'));
        else resolve(updates.map(() => next++));
      });
    });
  };
  return { write, batches, release, failOnce: () => (failNext = true) };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('UpdateLog (group commit)', () => {
  it('[P2] writes the appends of one tick in one batch, later ones in the next, ids in order', async () => {
    const w = fakeWriter();
    const log = new UpdateLog(w.write);
    const first = [log.append(update('a')), log.append(update('b')), log.append(update('a'))];
    await tick();
    expect(w.batches).toHaveLength(1);
    const second = [log.append(update('c')), log.append(update('d'))];
    await tick();
    expect(w.batches).toHaveLength(1); // one batch in flight at a time
    w.release.shift()?.();
    expect(await Promise.all(first)).toEqual([1, 2, 3]);
    await tick();
    expect(w.batches).toHaveLength(2);
    expect(w.batches[1]?.map((u) => u.document)).toEqual(['c', 'd']);
    w.release.shift()?.();
    expect(await Promise.all(second)).toEqual([4, 5]);
    expect(log.batchCount).toBe(2);
  });

  it('a failed batch rejects its appends only; the next batch is written', async () => {
    const w = fakeWriter();
    const log = new UpdateLog(w.write);
    w.failOnce();
    const failed = log.append(update('a'));
    await tick();
    const later = log.append(update('b'));
    w.release.shift()?.();
    await expect(failed).rejects.toThrow('disk full');
    await tick();
    w.release.shift()?.();
    expect(await later).toBe(1);
    await log.flush();
  });

  it('[P1] numbers appends at once and settles them batch by batch, failures named first', async () => {
    const w = fakeWriter();
    const log = new UpdateLog(w.write);
    const seen: { settled: number; failed: string[] }[] = [];
    log.onSettled((failed) => seen.push({ settled: log.settledSeq, failed: [...failed] }));
    w.failOnce();
    const first = log.append(update('a'));
    expect(log.lastSeq).toBe(1);
    await tick();
    const second = log.append(update('b'));
    expect([log.lastSeq, log.settledSeq]).toEqual([2, 0]);
    let rejectedBeforeListener = false;
    first.catch(() => (rejectedBeforeListener = seen.length === 0));
    w.release.shift()?.();
    await expect(first).rejects.toThrow('disk full');
    expect(rejectedBeforeListener).toBe(false); // the listener ran before the append's own handlers
    await tick();
    w.release.shift()?.();
    await second;
    expect(seen).toEqual([
      { settled: 1, failed: ['a'] },
      { settled: 2, failed: [] },
    ]);
  });

  it('counts pending appends and reports the waits of committed batches only', async () => {
    const w = fakeWriter();
    const log = new UpdateLog(w.write);
    const reported: number[][] = [];
    log.onCommitted((waits) => reported.push([...waits]));
    const first = [log.append(update('a')), log.append(update('b'))];
    expect(log.pending).toBe(2);
    await tick();
    w.release.shift()?.();
    await Promise.all(first);
    expect(log.pending).toBe(0);
    expect(reported).toHaveLength(1);
    expect(reported[0]).toHaveLength(2);
    for (const wait of reported[0] ?? []) expect(wait).toBeGreaterThanOrEqual(0);
    w.failOnce();
    const failed = log.append(update('c'));
    await tick();
    w.release.shift()?.();
    await expect(failed).rejects.toThrow('disk full');
    expect(log.pending).toBe(0);
    expect(reported).toHaveLength(1);
  });
});
