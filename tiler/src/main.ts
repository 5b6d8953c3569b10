// The tiler process: `node tiler/dist/main.js`. Reads its configuration once, serves until SIGTERM or
// SIGINT, then stops accepting connections, lets requests finish and closes every open slide.
import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';
import { loadTilerConfig, type TilerConfig } from './config.js';
import { createTilerServer } from './http/server.js';
import { missingLibraries, missingLibraryReason } from './services/system-libraries.js';

/** Grace period for requests in flight at shutdown before connections are cut. */
const SHUTDOWN_GRACE_MS = 10_000;

async function main(): Promise<void> {
  const loaded = loadTilerConfig();
  if (!loaded.ok) {
    process.stderr.write(
      `tiler: invalid configuration\n${loaded.problems.map((p) => `  - ${p}\n`).join('')}`,
    );
    process.exit(1);
  }
  const { config } = loaded;
  const logger = createTilerLogger(config);
  const tiler = createTilerServer(config, { logger });
  const address = await tiler.listen();
  logger.info(
    { host: address.address, port: address.port, storageRoot: config.storageRoot },
    'tiler listening',
  );
  // Run on its own, the tiler names what it lacks; under `tessera start` (an IPC channel) the server
  // prints that line itself, from /healthz.
  const missing = await missingLibraries();
  if (missing.length > 0 && !process.connected) {
    logger.warn({ missing }, missing.map(missingLibraryReason).join('; '));
  }

  let stopping = false;
  const stop = (reason: NodeJS.Signals | 'parent gone'): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'tiler stopping');
    const force = setTimeout(() => {
      tiler.server.closeAllConnections();
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    tiler.close().then(
      () => {
        logger.info('tiler stopped');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'tiler stopped with an error');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // Started by `tessera start` with an IPC channel: it closes when the server process is gone.
  if (process.connected) {
    process.channel?.unref();
    process.on('disconnect', () => {
      stop('parent gone');
    });
  }
}

// A terminal (stdout is a TTY) gets readable lines unless TESSERA_LOG_FORMAT says otherwise; else JSON.
function createTilerLogger(config: TilerConfig): Logger {
  const options = { level: config.logLevel, base: { process: 'tiler' } };
  if ((config.logFormat ?? (process.stdout.isTTY ? 'pretty' : 'json')) === 'json') return pino(options);
  return pino(options, pretty({ sync: true, translateTime: 'SYS:HH:MM:ss' }));
}

main().catch((err: unknown) => {
  process.stderr.write(
    `tiler: failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
