import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import {
  createTilerServer,
  parseTilerConfig,
  type TilerServer,
  type TilerServerOptions,
} from '@tessera/tiler';
import { loadConfig, type Config } from '../../server/src/config/config.js';
import {
  attachCollaboration,
  type CollabDeps,
  type Collaboration,
} from '../../server/src/collab/collab.server.js';
import { createApp } from '../../server/src/composition/app.js';
import type { Services } from '../../server/src/composition/services.js';
import { createLogger } from '../../server/src/logging/logger.js';
import { listen, type RunningServer } from '../../server/src/runtime/http-server.js';
import { useTestDatabase, type TestDatabase } from './database.js';

/** The secret test servers and test tilers share. */
export const TEST_TILER_SECRET = 'test-tiler-secret-0123456789abcdef';

export interface TestServer extends TestDatabase {
  readonly baseUrl: string;
  readonly config: Config;
  readonly services: Services;
  /** The live-document endpoint at ws://.../collab. */
  readonly collab: Collaboration;
}

export interface TestServerOptions {
  /** Extra environment for the server's configuration. */
  readonly env?: Record<string, string>;
  /** Also run a real tiler (in this process, on a free port) and the image job runner. */
  readonly tiler?: boolean;
  /** The tiler's logger (default: silent), for tests that read what the tiler logged. */
  readonly tilerLogger?: TilerServerOptions['logger'];
  /** Serve the built browser client (client/dist, made by `npm run build`) at `/`. */
  readonly client?: boolean;
  /** Load the plugins (TESSERA_PLUGINS_DIR in `env`) and run the in-process plugin job runners. */
  readonly processing?: boolean;
  /** Intervals and cache lifetimes of the live documents, shortened so no test waits them out. */
  readonly collab?: Pick<CollabDeps, 'accessSweepMs' | 'allowedTypesTtlMs'>;
}

/** The browser client as `npm run build` leaves it. */
export const BUILT_CLIENT_DIR = fileURLToPath(new URL('../../client/dist/', import.meta.url));

/** A real Tessera HTTP server on a free port with this file's own database and data directory. */
export function useTestServer(options: TestServerOptions = {}): TestServer {
  const database = useTestDatabase();
  let running: RunningServer | undefined;
  let tiler: TilerServer | undefined;
  let config: Config | undefined;
  let services: Services | undefined;
  let collab: Collaboration | undefined;
  // Each server stores uploads in its own temporary data directory, removed afterwards.
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tessera-test-data-'));
  beforeAll(async () => {
    const env: Record<string, string> = {
      TESSERA_LOG_LEVEL: 'silent',
      TESSERA_MAX_PAGE_SIZE: '1000',
      TESSERA_DATA_DIR: dataDir,
      TESSERA_JOB_POLL_MS: '100',
      ...options.env,
    };
    if (options.tiler) {
      const parsed = parseTilerConfig({
        TESSERA_TILER_PORT: '0',
        TESSERA_DATA_DIR: dataDir,
        TESSERA_TILER_SECRET: TEST_TILER_SECRET,
        TESSERA_LOG_LEVEL: 'silent',
      });
      if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
      tiler = createTilerServer(
        parsed.config,
        options.tilerLogger === undefined ? {} : { logger: options.tilerLogger },
      );
      const address = await tiler.listen();
      env.TESSERA_TILER_URL = `http://127.0.0.1:${address.port}`;
    }
    config = loadConfig(env);
    const logger = createLogger('silent');
    const created = createApp({
      config,
      db: database.db,
      logger,
      tilerSecret: TEST_TILER_SECRET,
      ...(options.client ? { clientDir: BUILT_CLIENT_DIR } : {}),
    });
    services = created.services;
    if (options.tiler) services.imageJobs.start();
    running = await listen(created.app, '127.0.0.1', 0, logger);
    collab = attachCollaboration(running.server, {
      db: database.db,
      auth: services.auth,
      logger,
      snapshotCache: services.documentSnapshots.cache,
      ...options.collab,
    });
    services.liveDocuments.attach(collab);
    if (options.processing) {
      const problems = await services.processing.load();
      if (problems.length > 0) throw new Error(problems.map((p) => `${p.folder}: ${p.reason}`).join('\n'));
      services.processing.start();
    }
  });
  afterAll(async () => {
    await services?.processing.stop();
    await collab?.close();
    await running?.close(1000);
    await services?.imageJobs.stop();
    await tiler?.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`useTestServer(): the ${what} exists only inside tests`);
    return value;
  };
  return {
    get db() {
      return database.db;
    },
    get url() {
      return database.url;
    },
    get baseUrl() {
      return `http://127.0.0.1:${ready(running, 'server').port}`;
    },
    get config() {
      return ready(config, 'configuration');
    },
    get services() {
      return ready(services, 'services');
    },
    get collab() {
      return ready(collab, 'collaboration endpoint');
    },
  };
}
