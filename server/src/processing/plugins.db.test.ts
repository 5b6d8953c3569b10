import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../../test/support/http.js';
import { Factories, type TestUser } from '../../../test/support/factories.js';
import { useTestServer } from '../../../test/support/server.js';
import { createLogger } from '../logging/logger.js';
import { loadPluginFolder } from './plugin-loader.js';

// A plugin loaded from a folder (test/fixtures/plugins/cell-counter) adds a route, a job, a statistic
// and a panel; its routes and jobs read and write only as their caller, through the plugin API.
const fixtures = fileURLToPath(new URL('../../../test/fixtures/', import.meta.url));
const server = useTestServer({
  processing: true,
  env: { TESSERA_PLUGINS_DIR: `${fixtures}plugins`, TESSERA_PLUGIN_JOB_STALE_SECONDS: '30' },
});

let admin: TestUser;
let member: TestUser;
let outsider: TestUser;
let image: number;
let otherImage: number;
let set: number;
const api = (user?: TestUser) => new ApiClient(server.baseUrl, user);

beforeAll(async () => {
  const f = new Factories(server.db);
  [admin, member, outsider] = [await f.user(), await f.user(), await f.user()];
  const team = await f.team({ admins: [admin], members: [member] });
  set = await f.imageSet(team, admin);
  await f.annotationType(await f.product(team, admin, [set]), { name: 'cell', vector_type: 1 });
  image = await f.image(set, admin);
  const otherTeam = await f.team({ admins: [outsider] });
  otherImage = await f.image(await f.imageSet(otherTeam, outsider), outsider);
});

describe('a plugin from the plugins folder', () => {
  it('is listed with its job, statistic, overlay and panel', async () => {
    const res =
      await api(member).get<{ name: string; panel: string | null; jobs: { name: string }[] }[]>('/plugins/');
    expect(res.status).toBe(200);
    const plugin = res.body.find((p) => p.name === 'cell-counter');
    expect(plugin).toMatchObject({
      panel: '/api/v1/plugins/cell-counter/panel.js',
      jobs: [{ name: 'fixture-marker' }],
      statistics: [{ name: 'boxes' }],
      overlays: [{ name: 'marked boxes' }, { name: 'broken' }],
    });
  });

  it('serves its panel as an ES module to signed-in users only', async () => {
    const res = await fetch(`${server.baseUrl}/api/v1/plugins/cell-counter/panel.js`, {
      headers: {
        authorization: `Basic ${Buffer.from(`${member.username}:${member.password}`).toString('base64')}`,
      },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/javascript');
    expect(await res.text()).toContain('export function mount');
    expect((await fetch(`${server.baseUrl}/api/v1/plugins/cell-counter/panel.js`)).status).toBe(401);
    expect((await api(member).get('/plugins/annotation-statistics/panel.js')).status).toBe(404);
  });

  it('adds a route that answers as its policy says: the caller sees the image, or 404', async () => {
    const ok = await api(member).get(`/plugins/cell-counter/images/${image}/summary/`);
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ image, annotations: 0, viewer: member.username });
    expect((await api(outsider).get(`/plugins/cell-counter/images/${image}/summary/`)).status).toBe(404);
    expect((await api().get(`/plugins/cell-counter/images/${image}/summary/`)).status).toBe(401);
  });

  it('is refused what its API does not grant: another team’s image, the database handle', async () => {
    const peek = await api(member).get(`/plugins/cell-counter/images/${image}/peek/?other=${otherImage}`);
    expect(peek.status).toBe(404);
    const given = await api(member).get<{ host: string[]; context: string[] }>('/plugins/cell-counter/host/');
    expect(given.body.host).toEqual(['log', 'manifest']);
    expect(given.body.context).toEqual([
      'annotationTypes',
      'id',
      'listAnnotations',
      'query',
      'readPixels',
      'viewer',
    ]);
  });

  it('refuses plugin folders that break the rules, and says why', async () => {
    const { loaded, problems } = await loadPluginFolder(`${fixtures}plugins-refused`, createLogger('silent'));
    expect(loaded).toEqual([]);
    const reasons = new Map(problems.map((p) => [p.folder.split('/').pop(), p.reason]));
    expect(reasons.get('bad-manifest')).toMatch(/tessera-plugin\.json/);
    expect(reasons.get('escapes-folder')).toMatch(/outside the plugin folder/);
    expect(reasons.get('route-without-policy')).toMatch(/may not contribute/);
  });
});

describe('its job, through the processing API', () => {
  let plugin: number;

  beforeAll(async () => {
    const plugins = await api(member).get<{ results: { id: number; package: string }[] }>(
      '/processing/plugins/?package=fixture-marker',
    );
    plugin = plugins.body.results[0]?.id ?? 0;
  });

  const waitFor = async (job: number, done: (body: Record<string, unknown>) => boolean) => {
    for (let i = 0; i < 200; i++) {
      const res = await api(admin).get<Record<string, unknown>>(`/processing/pluginjobs/${job}/`);
      if (done(res.body)) return res.body;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const last = await api(admin).get(`/processing/pluginjobs/${job}/`);
    throw new Error(`job ${job} never reached the state: ${JSON.stringify(last.body)}`);
  };

  it('runs only where the plugin is enabled (a set admin enables it)', async () => {
    const refused = await api(member).post('/processing/pluginjobs/', { plugin, image });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toMatch(/not enabled/);
    expect(
      (await api(member).post('/processing/pluginenablements/', { plugin, image_set: set })).status,
    ).toBe(403);
    const enabled = await api(admin).post('/processing/pluginenablements/', { plugin, image_set: set });
    expect(enabled.status).toBe(201);
  });

  it('refuses bad settings, and callers who may not annotate the image', async () => {
    const bad = await api(member).post('/processing/pluginjobs/', { plugin, image, settings: { count: -1 } });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body as object)).toEqual(['settings']);
    expect((await api(outsider).post('/processing/pluginjobs/', { plugin, image })).status).toBe(400);
    expect((await api().post('/processing/pluginjobs/', { plugin, image })).status).toBe(401);
  });

  it('writes its proposals through the annotation write path: generated, with their score', async () => {
    const created = await api(member).post<{ id: number }>('/processing/pluginjobs/', {
      plugin,
      image,
      settings: { count: 3 },
    });
    expect(created.status).toBe(201);
    const job = await waitFor(created.body.id, (j) => j.state === 'done');
    expect(job.processing_complete).toBe(100);
    expect(job.summary).toMatch(
      /^marked 3; context: annotationTypes,image,job,listAnnotations,progress,readPixels,signal,writeProposals$/,
    );
    const annotations = await api(member).get<{
      results: { generated: boolean; score: number; user: number }[];
    }>(`/annotations/annotations/?image=${image}`);
    expect(annotations.body.results).toHaveLength(3);
    expect(annotations.body.results.every((a) => a.generated && Math.abs(a.score - 0.9) < 1e-6)).toBe(true);
    expect(annotations.body.results.every((a) => a.user === member.id)).toBe(true);
    const proposals = await api(member).get<{ count: number }>(
      `/processing/pluginresultannotations/?job=${created.body.id}`,
    );
    expect(proposals.body.count).toBe(3);
    expect((await api(outsider).get(`/processing/pluginjobs/${created.body.id}/`)).status).toBe(404);
  });

  it('fails with the reason in error_message, and a refused write fails the job', async () => {
    const failing = await api(member).post<{ id: number }>('/processing/pluginjobs/', {
      plugin,
      image,
      settings: { fail: 'no cells found' },
    });
    const failed = await waitFor(failing.body.id, (j) => j.state === 'failed');
    expect(failed.error_message).toBe('no cells found');
    const foreign = await api(member).post<{ id: number }>('/processing/pluginjobs/', {
      plugin,
      image,
      settings: { type: 999_999 },
    });
    const refused = await waitFor(foreign.body.id, (j) => j.state === 'failed');
    expect(refused.error_message).toMatch(/type 999999 is not one of this image's types/);
  });

  it('is cancelled by its creator (not by another member), shows progress and an ETA, and runs again on retry', async () => {
    const other = await new Factories(server.db).user();
    await server.db.query(
      'INSERT INTO team_memberships (team_id, user_id, is_admin) SELECT team_id, $1, false FROM image_sets WHERE id = $2',
      [other.id, set],
    );
    const created = await api(member).post<{ id: number }>('/processing/pluginjobs/', {
      plugin,
      image,
      settings: { count: 20, delayMs: 150 },
    });
    const id = created.body.id;
    const running = await waitFor(id, (j) => j.state === 'running' && Number(j.processing_complete) > 0);
    expect(running.eta_time).not.toBeNull();
    expect(running.attached_worker).not.toBeNull();
    expect((await api(other).post(`/processing/pluginjobs/${id}/cancel/`)).status).toBe(403);
    const cancelled = await api(member).post<{ state: string }>(`/processing/pluginjobs/${id}/cancel/`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.state).toBe('cancelled');
    expect((await api(member).post(`/processing/pluginjobs/${id}/cancel/`)).status).toBe(409);
    const retried = await api(admin).post<{ state: string }>(`/processing/pluginjobs/${id}/retry/`);
    expect(retried.body.state).toBe('queued');
    const done = await waitFor(id, (j) => j.state === 'done');
    expect(done.processing_complete).toBe(100);
    expect((await api(admin).post(`/processing/pluginjobs/${id}/retry/`)).status).toBe(409);
  });

  it('computes its statistic, with the built-in counts, over the image or a region', async () => {
    const all = await api(member).get<{ plugin: string; name: string; values: Record<string, number> }[]>(
      `/processing/statistics/images/${image}/`,
    );
    expect(all.status).toBe(200);
    const counts = all.body.find((s) => s.name === 'annotation-counts');
    expect(counts?.values.generated).toBeGreaterThanOrEqual(3);
    const region = await api(member).get<{ name: string; values: Record<string, number> }[]>(
      `/processing/statistics/images/${image}/?x=0&y=0&width=60&height=60`,
    );
    expect(region.body.find((s) => s.name === 'boxes')?.values.generated).toBeGreaterThanOrEqual(1);
    expect((await api(member).get(`/processing/statistics/images/${image}/?x=0`)).status).toBe(400);
    expect((await api(outsider).get(`/processing/statistics/images/${image}/`)).status).toBe(404);
  });
});
