import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createTilerServer, parseTilerConfig } from '@tessera/tiler';
import { Factories } from '../../../test/support/factories.js';
import { ApiClient } from '../../../test/support/http.js';
import { TEST_TILER_SECRET, useTestServer } from '../../../test/support/server.js';
import { slide, uploadImages } from '../../../test/support/upload.js';
import { createLogger } from '../logging/logger.js';
import { ImageJobRunner } from './job-runner.js';
import { TilerClient } from './tiler.client.js';
import { lacking } from '../../../test/support/prerequisites.js';

// No runner works in this server: the jobs wait in PostgreSQL, as they would across a restart.
const server = useTestServer();

/** A slide uploaded by a new team's admin into a new set: its image job waits in the queue. */
async function queuedUpload(name: string, slideName: string) {
  const make = new Factories(server.db);
  const admin = await make.user();
  const team = await make.team({ admins: [admin] });
  const set = await make.imageSet(team, admin);
  const res = await uploadImages(server.baseUrl, admin, set, [{ name, bytes: await slide(slideName) }]);
  const uploaded = res.body.results[0];
  if (uploaded === undefined) throw new Error(`the upload of ${name} answered no image`);
  return { admin, id: uploaded.id };
}

describe.skipIf(lacking('openslide'))('the image job queue', () => {
  it('keeps jobs across a restart, requeues one a dead server left running, and finishes it', async () => {
    const { admin, id } = await queuedUpload('a.svs', 'openslide-python-small.svs');
    // The server that claimed the job died twenty minutes ago.
    await server.db.query(
      "UPDATE image_jobs SET state = 'running', attempts = 1, locked_at = now() - interval '20 minutes' WHERE image_id = $1",
      [id],
    );

    const parsed = parseTilerConfig({
      TESSERA_TILER_PORT: '0',
      TESSERA_DATA_DIR: server.config.dataDir,
      TESSERA_TILER_SECRET: TEST_TILER_SECRET,
      TESSERA_LOG_LEVEL: 'silent',
    });
    if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
    const tiler = createTilerServer(parsed.config);
    const address = await tiler.listen();
    const runner = new ImageJobRunner(
      server.db,
      new TilerClient(`http://127.0.0.1:${address.port}`, TEST_TILER_SECRET),
      createLogger('silent'),
      50,
    );
    try {
      runner.start();
      const api = new ApiClient(server.baseUrl, admin);
      const state = async () => (await api.get<{ state: string }>(`/images/images/${id}/`)).body.state;
      await expect.poll(state, { timeout: 10_000, interval: 100 }).toBe('ready');
      const jobs = await server.db.query<{ state: string; attempts: number }>(
        'SELECT state, attempts FROM image_jobs WHERE image_id = $1',
        [id],
      );
      expect(jobs).toEqual([{ state: 'done', attempts: 2 }]);
    } finally {
      await runner.stop();
      await tiler.close();
    }
  });

  it('retries while the tiler is unreachable, then marks the image failed with the reason', async () => {
    const { admin, id } = await queuedUpload('b.svs', 'CMU-1-Small-Region.svs');
    // Four attempts already failed; the fifth, against a port where nothing listens, is the last.
    await server.db.query('UPDATE image_jobs SET attempts = 4 WHERE image_id = $1', [id]);
    const runner = new ImageJobRunner(
      server.db,
      new TilerClient('http://127.0.0.1:9', TEST_TILER_SECRET),
      createLogger('silent'),
      50,
    );
    try {
      runner.start();
      const api = new ApiClient(server.baseUrl, admin);
      const read = async () =>
        (await api.get<{ state: string; failure_reason: string | null }>(`/images/images/${id}/`)).body;
      await expect.poll(async () => (await read()).state, { timeout: 10_000, interval: 100 }).toBe('failed');
      const image = await read();
      expect(image.failure_reason).toMatch(/could not process the file/);
    } finally {
      await runner.stop();
    }
  });

  it('gives the job in hand back to the queue, uncounted, when the runner stops', async () => {
    const { id } = await queuedUpload('c.svs', 'openslide-python-small.svs');
    // A tiler that takes the request and never answers (a conversion that outlasts the shutdown).
    const held = new Set<http.ServerResponse>();
    const slowTiler = http.createServer((_req, response) => held.add(response));
    await new Promise<void>((resolve) => slowTiler.listen(0, '127.0.0.1', resolve));
    const { port } = slowTiler.address() as AddressInfo;
    const runner = new ImageJobRunner(
      server.db,
      new TilerClient(`http://127.0.0.1:${port}`, TEST_TILER_SECRET),
      createLogger('silent'),
      50,
    );
    try {
      runner.start();
      await expect.poll(() => held.size, { timeout: 10_000 }).toBe(1);
      await runner.stop();
      const [job] = await server.db.query<{ state: string; attempts: number }>(
        'SELECT state, attempts FROM image_jobs WHERE image_id = $1',
        [id],
      );
      expect(job).toEqual({ state: 'queued', attempts: 0 });
    } finally {
      await runner.stop();
      slowTiler.closeAllConnections();
      slowTiler.close();
    }
  });
});
