// The tiler's request log under the server's request id, and the cache figures of its /healthz.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestTiler, type TestTiler } from '../testing/server.js';
import { lacking } from '../../../test/support/prerequisites.js';
import { captureLog } from '../../../test/support/log-capture.js';

const SLIDE = 'openslide-python-small.svs';

/** Every log line the tiler wrote, parsed. */
const { logger, lines } = captureLog();

let t: TestTiler;
beforeAll(async () => {
  t = await startTestTiler([SLIDE], {}, { logger });
});
afterAll(async () => {
  await t.close();
});

const health = async () =>
  (await (await fetch(`${t.url}/healthz`)).json()) as { cache: { hits: number; misses: number } };

describe('request log', () => {
  it('logs a request under the X-Request-Id it came with, without its token', async () => {
    const token = t.token(`set/${SLIDE}`, ['tiles']);
    const res = await fetch(`${t.url}/v1/t/${token}/dzi`, { headers: { 'x-request-id': 'trace-tile-7' } });
    expect(res.status).toBe(lacking('openslide') ? 422 : 200);
    await expect
      .poll(() => lines.find((line) => line.requestId === 'trace-tile-7'))
      .toMatchObject({ msg: 'request', method: 'GET', path: '/v1/t/<token>/dzi', status: res.status });
    expect(JSON.stringify(lines)).not.toContain(token);
  });

  it('gives a request without a usable id one of its own', async () => {
    await fetch(`${t.url}/healthz`, { headers: { 'x-request-id': 'not an id!' } });
    await expect
      .poll(() => lines.filter((line) => line.path === '/healthz').map((line) => line.requestId))
      .toContainEqual(expect.stringMatching(/^[0-9a-f-]{36}$/));
    expect(JSON.stringify(lines)).not.toContain('not an id!');
  });
});

describe.skipIf(lacking('openslide'))('/healthz cache figures', () => {
  it('counts a tile rendered as a miss and the same tile again as a hit', async () => {
    const base = `${t.url}/v1/t/${t.token(`set/${SLIDE}`, ['tiles'])}`;
    const before = await health();
    expect((await fetch(`${base}/tiles/0/0_0.jpeg`)).status).toBe(200);
    const after = await health();
    expect(after.cache.misses).toBe(before.cache.misses + 1);
    expect((await fetch(`${base}/tiles/0/0_0.jpeg`)).status).toBe(200);
    expect((await health()).cache.hits).toBe(after.cache.hits + 1);
  });
});

describe('quiet lines', () => {
  it('logs successful tile reads at debug level, failures at info', async () => {
    const token = t.token(`set/${SLIDE}`, ['tiles']);
    await fetch(`${t.url}/v1/t/${token}/nothing-here`, { headers: { 'x-request-id': 'trace-miss-1' } });
    await fetch(`${t.url}/healthz`, { headers: { 'x-request-id': 'trace-health-1' } });
    await expect
      .poll(() => lines.find((line) => line.requestId === 'trace-miss-1'))
      .toMatchObject({ level: 30 });
    await expect
      .poll(() => lines.find((line) => line.requestId === 'trace-health-1'))
      .toMatchObject({ level: 20, status: 200 });
  });
});
