import { fileURLToPath } from 'node:url';
import type { Config } from '../config/config.js';
import { attachCollaboration } from '../collab/collab.server.js';
import { createApp } from '../composition/app.js';
import type { Logger } from '../logging/logger.js';
import { startDemo } from '../datasets/demo.js';
import { ensureFirstAdmin } from './bootstrap.js';
import { openDatabase } from './database.js';
import { startHousekeeping } from './housekeeping.js';
import { startSnapshotter } from '../versions/snapshotter.js';
import { listen } from './http-server.js';
import { resolveTilerSecret } from './tiler-secret.js';
import { missingLibrariesLine } from './system-libraries.js';
import { startTilerProcess } from './tiler-process.js';

const clientDir = fileURLToPath(new URL('../../../client/dist/', import.meta.url));

export interface StartOptions {
  /** Create the first superuser when the database has no user (the `start` command does). */
  readonly bootstrap: boolean;
  /** Where the one-time messages for a person go (credentials, URL). */
  readonly announce: (message: string) => void;
}

/** How long a shutdown may take before the process gives up on it (compacting large documents included). */
const SHUTDOWN_LIMIT_MS = 60_000;

/** Runs Tessera until SIGINT/SIGTERM: database, migrations, tiler, first admin, image jobs, HTTP, live documents. */
export async function runServer(config: Config, logger: Logger, options: StartOptions): Promise<void> {
  // Signals are handled from the first moment, not once the URL is printed: whoever reads the URL may
  // signal at once, and a signal before the handler is installed kills the process (default action).
  // A signal during start-up lets the start finish, then shuts down. The handlers stay until the
  // process ends, so a second signal during shutdown is not fatal either. `shutdown` is the one
  // signal background work listens to (the tiler's restarts, the demo set-up): it ends at once.
  const shutdown = new AbortController();
  const stopRequested = new Promise<void>((resolve) => {
    shutdown.signal.addEventListener('abort', () => {
      resolve();
    });
  });
  const stop = (signal: NodeJS.Signals) => {
    if (shutdown.signal.aborted) {
      logger.warn({ signal }, 'already shutting down');
      return;
    }
    logger.info({ signal }, 'shutting down');
    shutdown.abort();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const tilerSecret = await resolveTilerSecret(config);
  const database = await openDatabase(config, logger);
  const tiler = config.tilerExternal
    ? undefined
    : await startTilerProcess(config, tilerSecret, logger, shutdown.signal);
  const { app, services } = createApp({
    config,
    tilerSecret,
    db: database.db,
    logger,
    clientDir,
    isShuttingDown: () => shutdown.signal.aborted,
    version: '0.1.0',
  });
  // One line for the person at the terminal when OpenSlide or ffmpeg is missing; the rest works.
  const missingLine = missingLibrariesLine(await services.tiler.missingLibraries());
  if (missingLine !== null) options.announce(missingLine);
  let firstAdmin: { id: number; username: string } | undefined;
  if (options.bootstrap) {
    const { created } = await ensureFirstAdmin(database.db, config);
    firstAdmin = created;
    if (created?.generated) {
      options.announce(
        `Created the first superuser. Sign in as "${created.username}" with password: ${created.password}\n` +
          '(shown once; set TESSERA_ADMIN_USERNAME and TESSERA_ADMIN_PASSWORD to choose them)',
      );
    } else if (created) {
      options.announce(`Created the first superuser "${created.username}" from TESSERA_ADMIN_USERNAME.`);
    }
  }
  services.imageJobs.start();
  const pluginProblems = await services.processing.load();
  for (const problem of pluginProblems)
    options.announce(`Plugin not loaded: ${problem.folder}: ${problem.reason}`);
  services.processing.start();
  const resumedMaps = await services.maps.resumeInterrupted();
  if (resumedMaps.length > 0)
    logger.warn({ maps: resumedMaps }, 'generating annotation maps left processing again');
  const stopHousekeeping = startHousekeeping(database.db, logger);
  const stopSnapshots = startSnapshotter(database.db, services.versions, logger, config.snapshots);
  const running = await listen(app, config.host, config.port, logger);
  const collab = attachCollaboration(running.server, {
    db: database.db,
    auth: services.auth,
    logger,
    redisUrl: config.redisUrl,
    snapshotCache: services.documentSnapshots.cache,
  });
  services.liveDocuments.attach(collab);
  const shown = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  options.announce(`Tessera is running at http://${shown}:${running.port}/ (API docs: /api/v1/docs/)`);
  // The demo fills in after the URL is printed: the first page is usable while images process.
  const demo =
    firstAdmin && config.demoData
      ? startDemo(services, firstAdmin, logger, options.announce, shutdown.signal)
      : Promise.resolve();

  await stopRequested;
  const watchdog = new ShutdownWatchdog(logger);
  await watchdog.step('housekeeping', stopHousekeeping());
  await watchdog.step('snapshots', stopSnapshots());
  await watchdog.step('demo data', demo);
  // Open WebSockets would keep the listener from closing: documents are compacted and unloaded first.
  await watchdog.step('live documents', collab.close());
  await watchdog.step('http', running.close());
  await watchdog.step('image jobs', services.imageJobs.stop());
  await watchdog.step('plugin jobs', services.processing.stop());
  await watchdog.step('annotation maps', services.maps.settled());
  // The relay's kept-alive sockets to the tiler; after the jobs, the last of its callers.
  services.tiler.close();
  await watchdog.step('tiler', tiler?.stop());
  await watchdog.step('database', database.close());
  logger.info('stopped');
  watchdog.done();
}

/**
 * Bounds a shutdown. Each step is named, so a step that never ends is reported by name (with the
 * resources keeping the process alive) and the process exits with 1 after SHUTDOWN_LIMIT_MS. Once
 * every step is done, nothing is left to lose: anything still keeping the event loop alive then (a
 * library's forgotten handle) is reported and the process exits with 0 after a short grace.
 */
class ShutdownWatchdog {
  private current = 'start';
  private readonly limit: NodeJS.Timeout;

  constructor(private readonly logger: Logger) {
    this.limit = setTimeout(() => {
      this.logger.error(
        { step: this.current, resources: process.getActiveResourcesInfo() },
        'shutdown did not finish; exiting',
      );
      process.exit(1);
    }, SHUTDOWN_LIMIT_MS);
    this.limit.unref();
  }

  async step(name: string, work: Promise<void> | undefined): Promise<void> {
    this.current = name;
    await work;
  }

  done(): void {
    clearTimeout(this.limit);
    setTimeout(() => {
      this.logger.warn(
        { resources: process.getActiveResourcesInfo() },
        'still running after a complete shutdown; exiting',
      );
      process.exit(0);
    }, 2_000).unref();
  }
}
