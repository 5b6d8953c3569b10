// Coalesces concurrent work for the same key: while a tile is being rendered, later requests for it wait
// for that render instead of starting their own.

/** Runs at most one task per key at a time; callers arriving meanwhile share its promise. */
export class SingleFlight<T> {
  private readonly running = new Map<string, Promise<T>>();

  /** Tasks in flight. */
  get size(): number {
    return this.running.size;
  }

  /** Runs `task` unless one for `key` is already running, in which case its result is shared. */
  run(key: string, task: () => Promise<T>): Promise<T> {
    const existing = this.running.get(key);
    if (existing !== undefined) return existing;
    const promise = task().finally(() => {
      this.running.delete(key);
    });
    this.running.set(key, promise);
    return promise;
  }
}
