// An external worker written for EXACT (Python, requests, nothing but HTTP) polls Tessera's processing
// API, claims a job, reports progress and posts proposals; an open live document receives them at once.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { listAnnotations } from '@tessera/shared';
import { describe, expect, it, vi } from 'vitest';
import { openLiveDocument } from './support/collab-client.js';
import { Factories } from './support/factories.js';
import { ApiClient } from './support/http.js';
import { lacking } from './support/prerequisites.js';
import { useTestServer } from './support/server.js';

const workerScript = fileURLToPath(new URL('./api-client/exact_worker.py', import.meta.url));

describe.skipIf(lacking('python3-requests'))('an EXACT-style worker over the processing API', () => {
  const server = useTestServer({ processing: true });

  it('polls, claims a job, reports progress and posts result annotations that arrive live', async () => {
    const f = new Factories(server.db);
    const [worker, admin, member] = [await f.user({ superuser: true }), await f.user(), await f.user()];
    const team = await f.team({ admins: [admin], members: [member] });
    const set = await f.imageSet(team, admin);
    const type = await f.annotationType(await f.product(team, admin, [set]), {
      name: 'mitosis',
      vector_type: 1,
    });
    const image = await f.image(set, admin);
    const memberToken = (
      await server.services.auth.createToken(
        { id: member.id, username: member.username, isSuperuser: false, isStaff: false, via: 'session' },
        { name: 'live', expires_in_days: null },
      )
    ).token;
    const live = await openLiveDocument(server.baseUrl, `image.${image}`, memberToken);

    const child = spawn('python3', [
      workerScript,
      server.baseUrl,
      worker.username,
      worker.password,
      String(type),
    ]);
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    const plugin = await vi.waitFor(
      () => {
        const match = /plugin (\d+)/.exec(output);
        if (!match) throw new Error(`no plugin yet: ${output}`);
        return Number(match[1]);
      },
      { timeout: 20_000 },
    );

    const adminApi = new ApiClient(server.baseUrl, admin);
    expect((await adminApi.post('/processing/pluginenablements/', { plugin, image_set: set })).status).toBe(
      201,
    );
    const created = await new ApiClient(server.baseUrl, member).post<{ id: number; state: string }>(
      '/processing/api/plugin_job/create/',
      { plugin, image },
    );
    expect(created.status).toBe(201);
    expect(created.body.state).toBe('queued');

    const code = await exited;
    expect(output).not.toContain('FAILED');
    expect(code).toBe(0);
    for (const step of [
      'register plugin',
      'claim job',
      'report progress',
      'post results',
      'post bitmap',
      'finish job',
    ])
      expect(output).toContain(`ok ${step}`);

    const job = await adminApi.get<Record<string, unknown>>(`/processing/pluginjobs/${created.body.id}/`);
    expect(job.body).toMatchObject({ state: 'done', processing_complete: 100, attached_worker: null });
    await vi.waitFor(
      () => {
        const proposals = listAnnotations(live.doc).filter((a) => a.created.generated);
        expect(proposals.map((a) => a.created.score).sort()).toEqual([0.35, 0.62, 0.91]);
      },
      { timeout: 10_000 },
    );
    live.close();
  }, 90_000);
});
