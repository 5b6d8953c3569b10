// Low-priority work a viewer will probably ask for next (the tiles around the ones it asked for). Bounded:
// at most `maxQueued` tasks wait, the newest first (a viewer that moved on no longer needs the old ones,
// so those are dropped); one task runs at a time and only while the owner says it is not busy with
// requests, so prefetching never competes with a tile someone is waiting for. Closing drops what waits
// and waits for the one running.

/** Options of a prefetch queue. */
export interface PrefetchOptions {
  /** Tasks kept waiting at most; 0 turns prefetching off. */
  readonly maxQueued: number;
  /** Whether foreground work is in progress (then nothing starts; call `resume()` when it ends). */
  readonly busy: () => boolean;
  /** A task that failed (prefetching is best effort: the error is reported and the queue goes on). */
  readonly onError?: (err: unknown, key: string) => void;
}

/** A bounded, newest-first queue of background tasks that runs one at a time when the owner is idle. */
export class Prefetcher {
  /** Waiting tasks by key, oldest first (a Map keeps insertion order). */
  private readonly waiting = new Map<string, () => Promise<void>>();
  private running: Promise<void> | null = null;
  private closed = false;
  private started = 0;
  private dropped = 0;

  constructor(private readonly options: PrefetchOptions) {
    if (!Number.isInteger(options.maxQueued) || options.maxQueued < 0) {
      throw new RangeError(`bad prefetch queue length ${options.maxQueued}`);
    }
  }

  /** Tasks waiting to run. */
  get queued(): number {
    return this.waiting.size;
  }

  /** Tasks running (0 or 1), started since creation, and dropped from a full queue unrun. */
  get counts(): { readonly running: number; readonly started: number; readonly dropped: number } {
    return { running: this.running === null ? 0 : 1, started: this.started, dropped: this.dropped };
  }

  /**
   * Queues `task` under `key` (a key already waiting moves to the front); the oldest waiting task is
   * dropped when the queue is full. Answers false when nothing was queued (off or closed).
   */
  add(key: string, task: () => Promise<void>): boolean {
    if (this.closed || this.options.maxQueued === 0) return false;
    this.waiting.delete(key);
    this.waiting.set(key, task);
    for (const oldest of this.waiting.keys()) {
      if (this.waiting.size <= this.options.maxQueued) break;
      this.waiting.delete(oldest);
      this.dropped++;
    }
    this.resume();
    return true;
  }

  /** Starts the newest waiting task unless one is running, the owner is busy or the queue is closed. */
  resume(): void {
    if (this.running !== null || this.closed || this.options.busy()) return;
    const newest = [...this.waiting.keys()].at(-1);
    if (newest === undefined) return;
    const task = this.waiting.get(newest);
    this.waiting.delete(newest);
    if (task === undefined) return;
    this.started++;
    this.running = task()
      .catch((err: unknown) => this.options.onError?.(err, newest))
      .finally(() => {
        this.running = null;
        // Yield to requests that arrived meanwhile before the next task.
        setImmediate(() => {
          this.resume();
        });
      });
  }

  /** Drops every waiting task, refuses new ones and settles once the running task has. */
  async close(): Promise<void> {
    this.closed = true;
    this.waiting.clear();
    await this.running;
  }
}
