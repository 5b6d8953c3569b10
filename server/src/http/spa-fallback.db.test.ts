import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/support/database.js';
import { loadConfig } from '../config/config.js';
import { createLogger } from '../logging/logger.js';
import { listen, type RunningServer } from '../runtime/http-server.js';
import { createApp } from '../composition/app.js';

// A small stand-in for client/dist, so this test does not depend on a client build.
const clientDir = mkdtempSync(path.join(os.tmpdir(), 'tessera-client-'));
const INDEX = '<!doctype html><title>Tessera</title><div id="root"></div>';
const database = useTestDatabase();
let running: RunningServer | undefined;
let base = '';

beforeAll(async () => {
  writeFileSync(path.join(clientDir, 'index.html'), INDEX);
  mkdirSync(path.join(clientDir, 'assets'));
  writeFileSync(path.join(clientDir, 'assets', 'app-1234.js'), 'console.log(1);');
  const dataDir = path.join(clientDir, 'data');
  const config = loadConfig({ TESSERA_LOG_LEVEL: 'silent', TESSERA_DATA_DIR: dataDir });
  const logger = createLogger('silent');
  const { app } = createApp({ config, db: database.db, logger, tilerSecret: 'x'.repeat(32), clientDir });
  running = await listen(app, '127.0.0.1', 0, logger);
  base = `http://127.0.0.1:${running.port}`;
});

afterAll(async () => {
  await running?.close(1000);
  rmSync(clientDir, { recursive: true, force: true });
});

const page = (url: string, accept = 'text/html,application/xhtml+xml,*/*;q=0.8') =>
  fetch(`${base}${url}`, { headers: { accept } });

describe('the browser app’s addresses', () => {
  it('answers index.html for page loads of client routes, uncached', async () => {
    for (const url of ['/sets/3', '/sets/3/settings', '/images/7', '/account', '/login?next=%2Fsets%2F3']) {
      const response = await page(url);
      expect(response.status, url).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(await response.text()).toBe(INDEX);
    }
  });

  it('serves / uncached too, and real files cached, and a missing asset is a 404, not the page', async () => {
    const root = await page('/');
    expect(root.status).toBe(200);
    expect(root.headers.get('cache-control')).toBe('no-cache');
    expect(await root.text()).toBe(INDEX);
    const asset = await page('/assets/app-1234.js', '*/*');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('max-age=3600');
    expect(await asset.text()).toBe('console.log(1);');
    expect((await page('/assets/missing-5678.js', '*/*')).status).toBe(404);
    // Only requests that ask for HTML get the page: fetch() and scripts send */*.
    expect((await page('/sets/3', 'application/json')).status).toBe(404);
  });

  it('leaves the server’s own paths alone: API, pixels, health', async () => {
    const api = await page('/api/v1/no-such-thing/');
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toMatch(/json/);
    const apiRoot = await page('/api');
    expect(apiRoot.status).toBe(404);
    // Pixel URLs need a signed-in caller: they answer 401 rather than a page.
    expect((await page('/images/image/7/1/1/tile/')).status).toBe(401);
    expect((await page('/images/image/x/')).status).toBe(404);
    expect((await page('/collab')).status).toBe(404);
    expect((await page('/healthz')).status).toBe(200);
  });

  it('does not answer unsafe methods with the page', async () => {
    const response = await fetch(`${base}/sets/3`, { method: 'POST', headers: { accept: 'text/html' } });
    expect(response.status).toBe(404);
  });
});
