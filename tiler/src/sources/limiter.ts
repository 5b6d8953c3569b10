// koffi queues at most 256 asynchronous calls per process (max_async_calls) and throws beyond that,
// while only a few worker threads run them anyway: callers past the limit wait here instead.

/** Runs async tasks with at most `max` in flight; the rest wait in arrival order. */
export class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1)
      throw new RangeError(`limit must be a positive integer, got ${max}`);
  }

  /** Tasks currently running. */
  get running(): number {
    return this.active;
  }

  /** Tasks waiting for a free slot. */
  get queued(): number {
    return this.waiting.length;
  }

  /** Runs `task` once a slot is free and settles with its result. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.active++;
    }
    try {
      return await task();
    } finally {
      // Hand the slot straight to the next waiter so `active` never dips below what is really running.
      const next = this.waiting.shift();
      if (next === undefined) this.active--;
      else next();
    }
  }
}
