import type { Logger } from '../logging/logger.js';
import { RepeatedFailure } from '../logging/repeated-failure.js';

/** What a queue loop works: how to take the next job, and how to work one. */
export interface QueueWork<Job extends { readonly id: number }> {
  /** What the log calls the loop ("image job", "plugin job"). */
  readonly what: string;
  readonly pollMs: number;
  /** Runs once when the loop starts, before the first claim; a failure is the caller's to log. */
  readonly prepare?: () => Promise<void>;
  /** Takes the next job off the queue, or answers undefined when there is none. */
  claim(): Promise<Job | undefined>;
  /** Works one job; `stopping` is aborted by `stop()`, when the job in hand goes back to the queue. */
  work(job: Job, stopping: AbortSignal): Promise<void>;
}

/**
 * The loop of a job queue in PostgreSQL: claims and works one job after another, waits `pollMs` (or
 * for a `kick`) when the queue is empty, and logs a failing loop once per RepeatedFailure step rather
 * than on every poll while the database is unreachable.
 */
export class QueueLoop<Job extends { readonly id: number }> {
  private running = false;
  private stopping = new AbortController();
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private readonly failures = new RepeatedFailure();

  constructor(
    private readonly work: QueueWork<Job>,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopping = new AbortController();
    this.loop = this.run();
  }

  /** Looks at the queue now instead of at the next poll (a job was just made). */
  kick(): void {
    this.wake?.();
  }

  /** Aborts the job in hand (its `work` puts it back in the queue), then stops. */
  async stop(): Promise<void> {
    this.running = false;
    this.stopping.abort();
    this.kick();
    await this.loop;
  }

  // A method, not a property read: the flag flips in stop() while the loop awaits, which flow
  // analysis cannot see.
  private isActive(): boolean {
    return this.running;
  }

  private async run(): Promise<void> {
    await this.work.prepare?.();
    const { what } = this.work;
    while (this.isActive()) {
      let job: Job | undefined;
      try {
        job = await this.work.claim();
        if (job) await this.work.work(job, this.stopping.signal);
        const failures = this.failures.resolved();
        if (failures > 0) this.logger.info({ failures }, `${what} loop works again`);
      } catch (error) {
        const times = this.failures.occurred();
        if (times !== null) this.logger.error({ err: error, job: job?.id, times }, `${what} loop failed`);
      }
      if (!job && this.isActive()) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.work.pollMs);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = undefined;
      }
    }
  }
}
