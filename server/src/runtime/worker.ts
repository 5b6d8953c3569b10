import type { Config } from '../config/config.js';
import { createServices } from '../composition/services.js';
import type { Logger } from '../logging/logger.js';
import { openDatabase } from './database.js';
import { resolveTilerSecret } from './tiler-secret.js';

/**
 * `tessera worker`: a process that only runs plugin jobs, for scale. It shares the queue with the
 * servers (FOR UPDATE SKIP LOCKED) and reads pixels from the tiler; its proposals are stored and the
 * server, which holds the live documents, writes them. SIGINT/SIGTERM put the job in hand back.
 */
export async function runWorker(
  config: Config,
  logger: Logger,
  announce: (line: string) => void,
): Promise<void> {
  const stop = new AbortController();
  const stopped = new Promise<void>((resolve) => {
    stop.signal.addEventListener('abort', () => {
      resolve();
    });
  });
  const onSignal = () => {
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const database = await openDatabase(config, logger);
  try {
    const services = createServices(database.db, config, await resolveTilerSecret(config), logger);
    const problems = await services.processing.load();
    const runner = services.processing.workerRunner();
    runner.start();
    announce(
      `Worker ${runner.name} runs plugin jobs of: ${services.processing.registry.jobPackages().join(', ')}` +
        (problems.length > 0 ? ` (${problems.length} plugin folder(s) not loaded)` : ''),
    );
    await stopped;
    await runner.stop();
    services.tiler.close();
  } finally {
    await database.close();
  }
}
