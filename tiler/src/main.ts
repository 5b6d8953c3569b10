// The tiler process: `node tiler/dist/main.js`. Reads its configuration once, serves until SIGTERM or
// SIGINT, then stops accepting connections, lets requests finish and closes every open slide.
import { pino } from 'pino';
import { loadTilerConfig } from './config.js';
import { createTilerServer } from './http/server.js';

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
  const logger = pino({ level: config.logLevel, base: { process: 'tiler' } });
  const tiler = createTilerServer(config, { logger });
  const address = await tiler.listen();
  logger.info(
    { host: address.address, port: address.port, storageRoot: config.storageRoot },
    'tiler listening',
  );

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

main().catch((err: unknown) => {
  process.stderr.write(
    `tiler: failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
