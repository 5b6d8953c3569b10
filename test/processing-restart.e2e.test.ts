// Plugin jobs survive the processes that run them: `tessera worker` processes share the queue; one
// stopped by a signal puts its job back at once, one killed outright leaves it to be taken back once
// its heartbeats stop, and the next worker runs it to the end. The server, which runs no job itself
// here, writes the proposals the workers stored, and only the last run's stay in the live document.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Factories, type TestUser } from './support/factories.js';
import { ApiClient } from './support/http.js';
import { runCli, type TesseraProcess } from './support/process.js';
import { TEST_TILER_SECRET, useTestServer } from './support/server.js';

const pluginsDir = fileURLToPath(new URL('./fixtures/plugins/', import.meta.url));
const server = useTestServer({
  processing: true,
  env: {
    TESSERA_PLUGINS_DIR: pluginsDir,
    TESSERA_PLUGIN_WORKERS: '0',
    TESSERA_PLUGIN_JOB_STALE_SECONDS: '2',
  },
});
const workers: TesseraProcess[] = [];

let admin: TestUser;
let image: number;
let plugin: number;

beforeAll(async () => {
  const f = new Factories(server.db);
  admin = await f.user();
  const team = await f.team({ admins: [admin] });
  const set = await f.imageSet(team, admin);
  await f.annotationType(await f.product(team, admin, [set]), { name: 'cell', vector_type: 1 });
  image = await f.image(set, admin);
  const api = new ApiClient(server.baseUrl, admin);
  const listed = await api.get<{ results: { id: number }[] }>('/processing/plugins/?package=fixture-marker');
  plugin = listed.body.results[0]?.id ?? 0;
  expect((await api.post('/processing/pluginenablements/', { plugin, image_set: set })).status).toBe(201);
});

afterAll(() => {
  for (const w of workers) w.child.kill('SIGKILL');
});

/** A `tessera worker` on the test server's database and tiler; resolves once it names its plugins. */
async function startWorker(): Promise<{ p: TesseraProcess; name: string }> {
  const p = runCli(['worker'], {
    DATABASE_URL: server.url,
    TESSERA_DATA_DIR: server.config.dataDir,
    TESSERA_TILER_URL: server.config.tilerUrl,
    TESSERA_TILER_SECRET: TEST_TILER_SECRET,
    TESSERA_PLUGINS_DIR: pluginsDir,
    TESSERA_PLUGIN_JOB_STALE_SECONDS: '2',
    TESSERA_JOB_POLL_MS: '100',
    TESSERA_LOG_LEVEL: 'warn',
  });
  workers.push(p);
  const [, name = ''] = await p.waitFor(/Worker (\S+) runs plugin jobs of: .*fixture-marker/, 60_000);
  return { p, name };
}

interface JobRow {
  state: string;
  attached_worker: string | null;
  processing_complete: number;
  attempts: number;
}
const jobRow = async (id: number) =>
  (
    await server.db.query<JobRow>(
      'SELECT state, attached_worker, processing_complete, attempts FROM plugin_jobs WHERE id = $1',
      [id],
    )
  )[0];

describe('plugin jobs and the processes that run them', () => {
  it('a job in hand goes back to the queue when its worker stops or dies, and the next one finishes it', async () => {
    const api = new ApiClient(server.baseUrl, admin);
    const created = await api.post<{ id: number }>('/processing/pluginjobs/', {
      plugin,
      image,
      settings: { count: 8, delayMs: 300 },
    });
    expect(created.status).toBe(201);
    const job = created.body.id;

    // Stopped by a signal: the job goes back at once, the attempt not counted.
    const first = await startWorker();
    await vi.waitFor(
      async () => {
        expect(await jobRow(job)).toMatchObject({ state: 'running', attached_worker: first.name });
      },
      { timeout: 20_000 },
    );
    await vi.waitFor(
      async () => {
        expect((await jobRow(job))?.processing_complete).toBeGreaterThan(0);
      },
      {
        timeout: 20_000,
      },
    );
    first.p.child.kill('SIGTERM');
    expect(await first.p.exited()).toBe(0);
    expect(await jobRow(job)).toMatchObject({ state: 'queued', attached_worker: null, attempts: 0 });

    // Killed outright: the job stays held until its heartbeats are missed.
    const second = await startWorker();
    await vi.waitFor(
      async () => {
        expect((await jobRow(job))?.processing_complete).toBeGreaterThan(0);
      },
      {
        timeout: 20_000,
      },
    );
    expect((await jobRow(job))?.attached_worker).toBe(second.name);
    second.p.child.kill('SIGKILL');
    await second.p.exited();
    expect(await jobRow(job)).toMatchObject({ state: 'running', attached_worker: second.name, attempts: 1 });

    const third = await startWorker();
    await vi.waitFor(
      async () => {
        expect(await jobRow(job)).toMatchObject({ state: 'done', attempts: 2 });
      },
      {
        timeout: 30_000,
      },
    );

    // The server wrote the proposals the workers stored; only the finishing run's are left.
    await vi.waitFor(
      async () => {
        const listed = await api.get<{ results: { generated: boolean }[] }>(
          `/annotations/annotations/?image=${image}&deleted=false`,
        );
        expect(listed.body.results.filter((a) => a.generated)).toHaveLength(8);
      },
      { timeout: 10_000 },
    );
    const proposals = await api.get<{ count: number }>(`/processing/pluginresultannotations/?job=${job}`);
    expect(proposals.body.count).toBe(8);
    third.p.child.kill('SIGTERM');
    expect(await third.p.exited()).toBe(0);
  }, 120_000);
});
