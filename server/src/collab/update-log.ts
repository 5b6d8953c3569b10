import type { NewUpdate } from './documents.repo.js';

/** Writes a batch of updates in one statement and returns their ids in order. */
export type AppendBatch = (updates: readonly NewUpdate[]) => Promise<number[]>;

/** Told after each batch settles (committed or failed), with the documents whose appends failed. */
export type SettledListener = (failedDocuments: ReadonlySet<string>) => void;

/** Told after each committed batch, with each update's wait from its append to the commit (seconds). */
export type CommittedListener = (waitsSeconds: readonly number[]) => void;

interface Waiting {
  readonly seq: number;
  /** performance.now() at the append. */
  readonly arrived: number;
  readonly update: NewUpdate;
  readonly resolve: (id: number) => void;
  readonly reject: (error: unknown) => void;
}

/** The most updates, and about the most bytes, one INSERT carries; more wait for the next batch. */
const MAX_BATCH = 500;
const MAX_BATCH_BYTES = 16 * 1024 * 1024;

/**
 * Group commit for the update log: appends made while a batch is being written (or within the same
 * tick) are collected and written together in one multi-row INSERT. One batch is in flight at a
 * time, so log ids grow in commit order: compaction relies on that (see document-store.ts).
 *
 * Every append also gets a sequence number at once (`lastSeq`); `settledSeq` is the highest one whose
 * batch has settled, all lower ones included. The commit gate (commit-gate.ts) holds outgoing
 * messages on these numbers, so an acknowledgement waits for its commit without waiting in line.
 */
export class UpdateLog {
  private queue: Waiting[] = [];
  private draining: Promise<void> | null = null;
  private batches = 0;
  private appended = 0;
  private settled = 0;
  private readonly listeners: SettledListener[] = [];
  private readonly committedListeners: CommittedListener[] = [];

  constructor(private readonly write: AppendBatch) {}

  /** Appends one update; resolves with its log id once the batch holding it has committed. */
  append(update: NewUpdate): Promise<number> {
    const seq = ++this.appended;
    return new Promise<number>((resolve, reject) => {
      this.queue.push({ seq, arrived: performance.now(), update, resolve, reject });
      this.draining ??= this.drainSoon();
    });
  }

  /** The sequence number of the latest append. */
  get lastSeq(): number {
    return this.appended;
  }

  /** Every append up to this sequence number has been committed or has failed. */
  get settledSeq(): number {
    return this.settled;
  }

  /**
   * Calls `listener` synchronously after each batch settles, before the appends' own promises
   * continue: a listener sees a failure before anything waiting on `settledSeq` is let go.
   */
  onSettled(listener: SettledListener): void {
    this.listeners.push(listener);
  }

  /** Calls `listener` after each committed batch with its updates' waits (for the metrics). */
  onCommitted(listener: CommittedListener): void {
    this.committedListeners.push(listener);
  }

  /** Updates appended but not yet committed (or failed). */
  get pending(): number {
    return this.appended - this.settled;
  }

  /** How many INSERT statements have been written (for measurements and tests). */
  get batchCount(): number {
    return this.batches;
  }

  /** Resolves when every append made so far has been written (or failed). */
  async flush(): Promise<void> {
    while (this.draining !== null) await this.draining;
  }

  private async drainSoon(): Promise<void> {
    // Let the appends of this tick join the first batch.
    await new Promise<void>((resolve) => setImmediate(resolve));
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, batchLength(this.queue));
        this.batches++;
        const failed = new Set<string>();
        try {
          const ids = await this.write(batch.map((w) => w.update));
          if (ids.length !== batch.length) throw new Error('update log: id count does not match batch');
          const committed = performance.now();
          const waits = batch.map((w) => (committed - w.arrived) / 1000);
          for (const listener of this.committedListeners) listener(waits);
          batch.forEach((w, i) => {
            w.resolve(ids[i] ?? 0);
          });
        } catch (error) {
          for (const w of batch) {
            failed.add(w.update.document);
            w.reject(error);
          }
        }
        this.settled = batch.at(-1)?.seq ?? this.settled;
        for (const listener of this.listeners) listener(failed);
      }
    } finally {
      this.draining = null;
    }
  }
}

/** How many queued updates the next batch takes: at least one, within both limits. */
function batchLength(queue: readonly Waiting[]): number {
  let bytes = 0;
  let count = 0;
  for (const waiting of queue) {
    bytes += waiting.update.update.byteLength;
    if (count >= MAX_BATCH || (count > 0 && bytes > MAX_BATCH_BYTES)) break;
    count++;
  }
  return count;
}
