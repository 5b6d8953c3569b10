import type { Database } from '../db/database.js';
import type { Logger } from '../logging/logger.js';
import { SnapshotsRepo } from './snapshots.repo.js';
import type { VersionsService } from './versions.service.js';

export interface SnapshotOptions {
  /** How often changed image sets are snapshotted (0: never). */
  readonly intervalMs: number;
  /** Retention: the newest this many automatic versions of each image set are kept. */
  readonly keep: number;
}

/**
 * Periodic automatic versions: every interval, each image set whose annotations (or verifications,
 * or images) changed since its latest version gets an automatic version of its own, so a mistaken
 * bulk delete never loses state. Older automatic versions beyond the retention are pruned; manual
 * versions never are. Answers a stop function.
 */
export function startSnapshotter(
  db: Database,
  versions: VersionsService,
  logger: Logger,
  options: SnapshotOptions,
): () => Promise<void> {
  if (options.intervalMs <= 0) return () => Promise.resolve();
  let running: Promise<void> | undefined;
  const run = () => {
    running ??= snapshotChanged(db, versions, logger, options.keep)
      .then(() => undefined)
      .catch((error: unknown) => {
        logger.error({ err: error }, 'periodic versions failed');
      })
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(run, options.intervalMs);
  timer.unref();
  // Stopping waits for a round in progress: shutdown closes the database right after.
  return async () => {
    clearInterval(timer);
    await running;
  };
}

/** One round: a version of every changed image set, then pruning. Answers the versions made. */
export async function snapshotChanged(
  db: Database,
  versions: VersionsService,
  logger: Logger,
  keep: number,
): Promise<number[]> {
  const repo = new SnapshotsRepo(db);
  const made: number[] = [];
  for (const set of await repo.changedImageSets()) {
    const name = `automatic ${new Date().toISOString().slice(0, 16)}Z`;
    const id = await versions.create(
      'system',
      { name, description: '', imagesets: [set] },
      { automatic: true },
    );
    made.push(id);
    const pruned = await repo.prune(set, keep);
    logger.info({ imageSet: set, version: id, pruned }, 'automatic version made');
  }
  return made;
}
