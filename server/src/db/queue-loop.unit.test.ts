import { describe, expect, it, vi } from 'vitest';
import { captureLog } from '../../../test/support/log-capture.js';
import { QueueLoop } from './queue-loop.js';

interface Job {
  readonly id: number;
}

/** A queue in memory: `claims` answers each claim in turn (a job, none, or an error), then none. */
function queue(claims: (Job | undefined | Error)[], pollMs = 60_000) {
  const worked: number[] = [];
  const log = captureLog();
  let stopping: AbortSignal | undefined;
  const loop = new QueueLoop<Job>(
    {
      what: 'test job',
      pollMs,
      claim: () => {
        const next = claims.shift();
        return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
      },
      work: (job, signal) => {
        worked.push(job.id);
        stopping = signal;
        return Promise.resolve();
      },
    },
    log.logger,
  );
  return { loop, worked, lines: log.lines, stopping: () => stopping };
}

describe('QueueLoop', () => {
  it('works jobs one after another without waiting, then waits for a kick while the queue is empty', async () => {
    const q = queue([{ id: 1 }, { id: 2 }, undefined, { id: 3 }]);
    q.loop.start();
    await vi.waitFor(() => {
      expect(q.worked).toEqual([1, 2]);
    });
    // The poll interval is a minute: only the kick brings job 3 in time.
    q.loop.kick();
    await vi.waitFor(() => {
      expect(q.worked).toEqual([1, 2, 3]);
    });
    await q.loop.stop();
    expect(q.stopping()?.aborted).toBe(true);
  });

  it('logs a failing loop once, and once more with the count when it works again', async () => {
    const q = queue([new Error('database down'), new Error('database down'), { id: 7 }], 1);
    q.loop.start();
    await vi.waitFor(() => {
      expect(q.worked).toEqual([7]);
    });
    await q.loop.stop();
    const messages = q.lines.map((l) => [l.msg, l.times ?? l.failures]);
    expect(messages).toEqual([
      ['test job loop failed', 1],
      ['test job loop works again', 2],
    ]);
  });

  it('runs prepare once before the first claim, and a second start while running changes nothing', async () => {
    const order: string[] = [];
    const loop = new QueueLoop<Job>(
      {
        what: 'test job',
        pollMs: 1,
        prepare: () => {
          order.push('prepare');
          return Promise.resolve();
        },
        claim: () => {
          order.push('claim');
          return Promise.resolve(undefined);
        },
        work: () => Promise.resolve(),
      },
      captureLog().logger,
    );
    loop.start();
    loop.start();
    await vi.waitFor(() => {
      expect(order.length).toBeGreaterThan(2);
    });
    await loop.stop();
    expect(order.filter((o) => o === 'prepare')).toHaveLength(1);
    expect(order[0]).toBe('prepare');
  });
});
