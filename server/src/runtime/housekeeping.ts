import { AuthRepo } from '../auth/auth.repo.js';
import type { Database } from '../db/database.js';
import type { Logger } from '../logging/logger.js';

const HOUR = 3600_000;

/**
 * Periodic clean-up: expired sessions and old sign-in failure counts. Returns a stop function that
 * resolves once a sweep in progress has ended, so the database is never closed under it.
 */
export function startHousekeeping(db: Database, logger: Logger, intervalMs = HOUR): () => Promise<void> {
  const sweep = async () => {
    const repo = new AuthRepo(db);
    const sessions = await repo.deleteExpiredSessions();
    const throttles = await repo.deleteStaleThrottles(24 * 3600);
    if (sessions + throttles > 0) logger.info({ sessions, throttles }, 'housekeeping removed expired rows');
  };
  let inProgress: Promise<void> = Promise.resolve();
  const run = () => {
    inProgress = sweep().catch((error: unknown) => {
      logger.error({ err: error }, 'housekeeping failed');
    });
  };
  run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    return inProgress;
  };
}
