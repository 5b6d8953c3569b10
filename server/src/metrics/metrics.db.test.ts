import { describe, expect, it } from 'vitest';
import { openLiveDocument } from '../../../test/support/collab-client.js';
import { Factories, type TestUser } from '../../../test/support/factories.js';
import { useTestServer } from '../../../test/support/server.js';
import { JobsRepo } from '../ingest/jobs.repo.js';
import { ApiClient } from '../../../test/support/http.js';

const TOKEN = 'metrics-token-for-tests-0123456789abcdef';
const server = useTestServer({ env: { TESSERA_METRICS_TOKEN: TOKEN } });
const make = () => new Factories(server.db);

const basic = (u: TestUser) => `Basic ${Buffer.from(`${u.username}:${u.password}`).toString('base64')}`;

/** GET /metrics with the given Authorization header (none when undefined). */
async function scrape(authorization?: string): Promise<{ status: number; type: string; text: string }> {
  const response = await fetch(`${server.baseUrl}/metrics`, {
    headers: authorization === undefined ? {} : { authorization },
  });
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    text: await response.text(),
  };
}

/** The value of one sample (`name{labels}`) in a Prometheus text, or undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match?.[1] !== name) continue;
    const present = new Map([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => present.get(key) === value)) return Number(match[3]);
  }
  return undefined;
}

const FAMILIES = [
  'tessera_http_request_duration_seconds',
  'tessera_collab_connections',
  'tessera_collab_documents',
  'tessera_collab_pending_updates',
  'tessera_collab_update_commit_seconds',
  'tessera_collab_projection_errors_total',
  'tessera_image_jobs',
  'tessera_pixel_access_cache_lookups_total',
  'tessera_tile_cache_lookups_total',
  'tessera_tiler_up',
  'process_cpu_seconds_total',
  'nodejs_eventloop_lag_seconds',
];

describe('GET /metrics', () => {
  it('refuses anonymous callers (401), other users (403) and a wrong bearer token (401)', async () => {
    const member = await make().user();
    expect((await scrape()).status).toBe(401);
    expect((await scrape(basic(member))).status).toBe(403);
    expect((await scrape(`Bearer ${TOKEN}x`)).status).toBe(401);
    expect((await scrape(`Bearer ${TOKEN.slice(0, -1)}`)).status).toBe(401);
  });

  it('answers a superuser and the bearer token with Prometheus text naming every family', async () => {
    const superuser = await make().user({ superuser: true });
    for (const authorization of [basic(superuser), `Bearer ${TOKEN}`]) {
      const answer = await scrape(authorization);
      expect(answer.status).toBe(200);
      expect(answer.type).toMatch(/^text\/plain; version=0\.0\.4/);
      for (const family of FAMILIES) expect(answer.text).toContain(`# TYPE ${family} `);
    }
  });

  it('counts a request under its route template, never its URL', async () => {
    const { member, image } = await make().teamImage();
    const route = { method: 'GET', route: '/api/v1/images/images/:id/', status_class: '2xx' };
    const count = async () =>
      sample((await scrape(`Bearer ${TOKEN}`)).text, 'tessera_http_request_duration_seconds_count', route) ??
      0;
    const before = await count();
    expect((await new ApiClient(server.baseUrl, member).get(`/images/images/${image}/`)).status).toBe(200);
    expect(await count()).toBe(before + 1);
    expect((await scrape(`Bearer ${TOKEN}`)).text).not.toContain(`/api/v1/images/images/${image}/`);
  });

  it('shows an opened live document and its connection, and an update waiting for its commit', async () => {
    const admin = await make().user();
    const member = await make().user();
    const team = await make().team({ admins: [admin], members: [member] });
    const set = await make().imageSet(team, admin);
    const box = await make().annotationType(await make().product(team, admin, [set]), { vector_type: 1 });
    const image = await make().image(set, admin);
    const api = new ApiClient(server.baseUrl, member);
    const token = await api.post<{ token: string }>('/users/tokens/', { name: 'live' });
    const figure = async (name: string) => sample((await scrape(`Bearer ${TOKEN}`)).text, name) ?? 0;
    const documents = await figure('tessera_collab_documents');
    const commits = await figure('tessera_collab_update_commit_seconds_count');
    const live = await openLiveDocument(server.baseUrl, `image.${image}`, token.body.token);
    try {
      await expect.poll(() => figure('tessera_collab_documents')).toBe(documents + 1);
      expect(await figure('tessera_collab_connections')).toBeGreaterThanOrEqual(1);
      // A REST annotation is written through the live document, into the update log.
      const created = await api.post('/annotations/annotations/', {
        annotation_type: box,
        image,
        vector: { x1: 1, y1: 2, x2: 3, y2: 4 },
      });
      expect(created.status).toBe(201);
      expect(await figure('tessera_collab_update_commit_seconds_count')).toBeGreaterThan(commits);
    } finally {
      live.close();
    }
  });

  it('shows a queued image job in the queue depth', async () => {
    const { image } = await make().teamImage();
    const queued = async () =>
      sample((await scrape(`Bearer ${TOKEN}`)).text, 'tessera_image_jobs', { state: 'queued' }) ?? -1;
    const before = await queued();
    expect(before).toBeGreaterThanOrEqual(0);
    await new JobsRepo(server.db).enqueue(image, 'inspect');
    expect(await queued()).toBe(before + 1);
  });

  it('leaves finished image jobs out of the queue depth', async () => {
    const { image } = await make().teamImage();
    const jobs = async (state: string) =>
      sample((await scrape(`Bearer ${TOKEN}`)).text, 'tessera_image_jobs', { state });
    const before = await jobs('queued');
    await new JobsRepo(server.db).enqueue(image, 'inspect');
    await server.db.query("UPDATE image_jobs SET state = 'done' WHERE image_id = $1", [image]);
    expect(await jobs('queued')).toBe(before);
    expect(await jobs('failed')).toBe(0);
    expect(await jobs('done')).toBeUndefined();
  });
});
