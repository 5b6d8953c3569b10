import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import { RepeatedFailure } from '../logging/repeated-failure.js';

const tilerMain = fileURLToPath(new URL('../../../tiler/dist/main.js', import.meta.url));

export interface TilerProcess {
  stop(): Promise<void>;
}

/**
 * Runs the tiler as a child process beside the server (`npm start`), restarting it if it dies, and
 * waits until it answers /healthz. In production the tiler runs on its own (TESSERA_TILER_URL).
 * Once `shutdown` is aborted nothing is restarted: the server is stopping, and stops the tiler last.
 */
export async function startTilerProcess(
  config: Config,
  secret: string,
  logger: Logger,
  shutdown: AbortSignal,
): Promise<TilerProcess> {
  if (!existsSync(tilerMain)) throw new Error(`The tiler is not built (${tilerMain}): run npm run build`);
  let child: ChildProcess | undefined;
  let restart: NodeJS.Timeout | undefined;
  let stopping = false;
  const exits = new RepeatedFailure();
  shutdown.addEventListener('abort', () => {
    clearTimeout(restart);
  });
  const launch = () => {
    const started = spawn(process.execPath, [tilerMain], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        TESSERA_TILER_HOST: '127.0.0.1',
        TESSERA_TILER_PORT: String(new URL(config.tilerUrl).port || 80),
        TESSERA_DATA_DIR: config.dataDir,
        TESSERA_TILER_SECRET: secret,
        TESSERA_LOG_LEVEL: config.logLevel,
        ...definedOnly({
          TESSERA_OPENSLIDE_LIBRARY: config.systemLibraries.openslideLibrary,
          TESSERA_FFMPEG_PATH: config.systemLibraries.ffmpegPath,
          TESSERA_LOG_FORMAT: config.logFormat,
          // The tiler's own setting (tile prefetching), passed through as set.
          TESSERA_TILER_PREFETCH: process.env.TESSERA_TILER_PREFETCH,
        }),
      },
      // The IPC channel is the tiler's lifeline: when this process dies, even by SIGKILL, the channel
      // closes and the tiler stops instead of living on, orphaned, on its port. Unref'd, so it never
      // keeps this process alive by itself.
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      // Its own process group: a signal to the server's group (Ctrl-C, a service manager's SIGTERM)
      // reaches the server only, which stops the tiler after the work that needs it has ended.
      detached: true,
    });
    started.channel?.unref();
    started.once('exit', (code, signal) => {
      if (stopping || shutdown.aborted) return;
      const times = exits.occurred();
      if (times !== null) logger.error({ code, signal, times }, 'tiler exited; restarting it every second');
      restart = setTimeout(launch, 1000);
    });
    child = started;
  };
  launch();
  await waitForHealth(`${config.tilerUrl}/healthz`, 30_000);
  logger.info({ url: config.tilerUrl }, 'tiler is up');
  return {
    stop: async () => {
      stopping = true;
      clearTimeout(restart);
      const current = child;
      if (!current || current.exitCode !== null) return;
      const exited = new Promise<void>((resolve) =>
        current.once('exit', () => {
          resolve();
        }),
      );
      current.kill('SIGTERM');
      await exited;
    },
  };
}

function definedOnly(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

async function waitForHealth(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline)
      throw new Error(`The tiler did not answer ${url} within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
