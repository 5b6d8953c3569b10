import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { loadConfig, type Config } from '../../server/src/config/config.js';
import { createApp } from '../../server/src/http/app.js';
import { createLogger } from '../../server/src/logging/logger.js';
import { listen, type RunningServer } from '../../server/src/runtime/http-server.js';
import { useTestDatabase, type TestDatabase } from './database.js';

/** The secret test servers and test tilers share. */
export const TEST_TILER_SECRET = 'test-tiler-secret-0123456789abcdef';

export interface TestServer extends TestDatabase {
  readonly baseUrl: string;
  readonly config: Config;
}

/** A real Tessera HTTP server on a free port with this file's own database. */
export function useTestServer(env: Record<string, string> = {}): TestServer {
  const database = useTestDatabase();
  let running: RunningServer | undefined;
  // Each server stores uploads in its own temporary data directory, removed afterwards.
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tessera-test-data-'));
  const config = loadConfig({
    TESSERA_LOG_LEVEL: 'silent',
    TESSERA_MAX_PAGE_SIZE: '1000',
    TESSERA_DATA_DIR: dataDir,
    ...env,
  });
  beforeAll(async () => {
    const logger = createLogger('silent');
    const { app } = createApp({ config, db: database.db, logger, tilerSecret: TEST_TILER_SECRET });
    running = await listen(app, '127.0.0.1', 0, logger);
  });
  afterAll(async () => {
    await running?.close(1000);
    await rm(dataDir, { recursive: true, force: true });
  });
  return {
    get db() {
      return database.db;
    },
    get url() {
      return database.url;
    },
    get baseUrl() {
      if (!running) throw new Error('useTestServer(): the server runs only inside tests');
      return `http://127.0.0.1:${running.port}`;
    },
    config,
  };
}
