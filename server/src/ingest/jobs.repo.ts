import type { Queryable } from '../db/database.js';

export interface JobRow {
  id: number;
  image_id: number;
  kind: 'inspect';
  attempts: number;
}

/** The states of an image job (migration 0002's CHECK). */
export type JobState = 'queued' | 'running' | 'done' | 'failed';
/** The states of a job that is not done: what the queue-depth metric counts. */
type PendingJobState = Exclude<JobState, 'done'>;

/** The image job queue in PostgreSQL: survives restarts, shared safely by several servers. */
export class JobsRepo {
  constructor(private readonly db: Queryable) {}

  async enqueue(imageId: number, kind: JobRow['kind']): Promise<void> {
    await this.db.query('INSERT INTO image_jobs (image_id, kind) VALUES ($1, $2)', [imageId, kind]);
    await this.db.query("SELECT pg_notify('tessera_image_jobs', '')");
  }

  /**
   * How many unfinished jobs are in each state, every such state named (0 when none), for the metrics.
   * Done jobs are left out: they pile up with every image, and counting them read the whole table at
   * each scrape; the partial index image_jobs_pending_idx answers this alone.
   */
  async countByState(): Promise<Record<PendingJobState, number>> {
    const rows = await this.db.query<{ state: PendingJobState; jobs: number }>(
      "SELECT state, count(*)::int AS jobs FROM image_jobs WHERE state <> 'done' GROUP BY state",
    );
    const counts: Record<PendingJobState, number> = { queued: 0, running: 0, failed: 0 };
    for (const row of rows) counts[row.state] = row.jobs;
    return counts;
  }

  /** Claims the oldest due job; SKIP LOCKED lets other servers claim others at the same time. */
  async claim(): Promise<JobRow | undefined> {
    const rows = await this.db.query<JobRow>(
      `UPDATE image_jobs SET state = 'running', locked_at = now(), attempts = attempts + 1
       WHERE id = (SELECT id FROM image_jobs WHERE state = 'queued' AND run_after <= now()
                   ORDER BY run_after, id FOR UPDATE SKIP LOCKED LIMIT 1)
       RETURNING id, image_id, kind, attempts`,
    );
    return rows[0];
  }

  async finish(id: number): Promise<void> {
    await this.db.query("UPDATE image_jobs SET state = 'done', finished_at = now() WHERE id = $1", [id]);
  }

  /** A job given up by a stopping server goes back to the queue as it was (the attempt not counted). */
  async release(id: number): Promise<void> {
    await this.db.query(
      `UPDATE image_jobs SET state = 'queued', locked_at = NULL, attempts = greatest(attempts - 1, 0)
       WHERE id = $1 AND state = 'running'`,
      [id],
    );
  }

  async fail(id: number, error: string): Promise<void> {
    await this.db.query(
      "UPDATE image_jobs SET state = 'failed', last_error = $2, finished_at = now() WHERE id = $1",
      [id, error],
    );
  }

  async retryLater(id: number, error: string, delaySeconds: number): Promise<void> {
    await this.db.query(
      `UPDATE image_jobs SET state = 'queued', last_error = $2, locked_at = NULL,
         run_after = now() + make_interval(secs => $3) WHERE id = $1`,
      [id, error, delaySeconds],
    );
  }

  /** Jobs a crashed server left running go back to the queue. */
  async requeueStale(olderThanSeconds: number): Promise<number> {
    const rows = await this.db.query<{ id: number }>(
      `UPDATE image_jobs SET state = 'queued', locked_at = NULL
       WHERE state = 'running' AND locked_at < now() - make_interval(secs => $1) RETURNING id`,
      [olderThanSeconds],
    );
    return rows.length;
  }
}
