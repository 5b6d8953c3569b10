import path from 'node:path';
import type { Database } from '../db/database.js';
import { QueueLoop } from '../db/queue-loop.js';
import type { Logger } from '../logging/logger.js';
import { ImagesRepo } from '../resources/images/images.repo.js';
import { JobsRepo, type JobRow } from './jobs.repo.js';
import type { TilerClient } from './tiler.client.js';

const MAX_ATTEMPTS = 5;
// A job running longer than this was left by a server that died; it goes back to the queue.
const STALE_AFTER_SECONDS = 15 * 60;

/**
 * Works the image job queue: each upload is inspected (and, for ordinary images, converted to a
 * pyramid) by the tiler outside the request. Jobs live in PostgreSQL, so a restart resumes them.
 */
export class ImageJobRunner {
  private readonly loop: QueueLoop<JobRow>;

  constructor(
    private readonly db: Database,
    private readonly tiler: TilerClient,
    private readonly logger: Logger,
    pollMs: number,
  ) {
    this.loop = new QueueLoop<JobRow>(
      {
        what: 'image job',
        pollMs,
        prepare: () => this.requeueStale(),
        claim: () => new JobsRepo(this.db).claim(),
        work: (job, stopping) => this.runJob(job, stopping),
      },
      logger,
    );
  }

  start(): void {
    this.loop.start();
  }

  /** Looks at the queue now instead of at the next poll (called right after an upload). */
  kick(): void {
    this.loop.kick();
  }

  /** Cancels the job in hand (it goes back to the queue for the next start), then stops. */
  stop(): Promise<void> {
    return this.loop.stop();
  }

  private async requeueStale(): Promise<void> {
    const requeued = await new JobsRepo(this.db).requeueStale(STALE_AFTER_SECONDS).catch((error: unknown) => {
      this.logger.error({ err: error }, 'could not requeue stale image jobs');
      return 0;
    });
    if (requeued > 0) this.logger.warn({ requeued }, 'requeued image jobs left running by a stopped server');
  }

  // Aborted by stop(): the tiler request in hand is cancelled and its job goes back to the queue.
  private async runJob(job: JobRow, stopping: AbortSignal): Promise<void> {
    const jobs = new JobsRepo(this.db);
    const images = new ImagesRepo(this.db);
    const image = await images.byId(job.image_id);
    if (!image?.storage_path) {
      await jobs.finish(job.id);
      return;
    }
    const log = this.logger.child({ job: job.id, image: image.id });
    const out = path.posix.join(path.posix.dirname(image.storage_path), 'pyramid.tiff');
    try {
      const outcome = await this.tiler.inspect(image.id, image.storage_path, out, stopping);
      if (outcome.ok) {
        const r = outcome.result;
        await this.db.transaction((tx) =>
          new ImagesRepo(tx).markReady(image.id, {
            width: r.width,
            height: r.height,
            frames: r.frames,
            channels: 3,
            mpp: r.mppX ?? 0,
            objectivePower: r.objectivePower ?? 0,
            vendor: r.vendor,
            levels: r.levels,
            associatedImages: [...r.associatedImages],
            vendorProperties: { ...r.properties },
            pyramidPath: r.converted ? out : null,
            frameDescriptions: r.frameDescriptions,
          }),
        );
        log.info(
          { vendor: r.vendor, width: r.width, height: r.height, attempts: job.attempts },
          'image ready',
        );
      } else {
        await images.markFailed(image.id, outcome.reason);
        log.warn({ reason: outcome.reason }, 'image failed');
      }
      await jobs.finish(job.id);
    } catch (error) {
      if (stopping.aborted) {
        await jobs.release(job.id);
        log.info('image job put back in the queue: the server is stopping');
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      // One warning at the first failure and one error at the last, with the count; retries between
      // them only at debug level, so a failing job does not repeat its story in the log.
      if (job.attempts >= MAX_ATTEMPTS) {
        await images.markFailed(image.id, `The tiler could not process the file (${message}).`);
        await jobs.fail(job.id, message);
        log.error({ reason: message, attempts: job.attempts }, 'image job failed for good');
      } else {
        await jobs.retryLater(job.id, message, 2 ** job.attempts);
        const line = { reason: message, attempts: job.attempts, maxAttempts: MAX_ATTEMPTS };
        if (job.attempts === 1) log.warn(line, 'image job failed; retrying with backoff');
        else log.debug(line, 'image job failed again; retrying');
      }
    }
  }
}
