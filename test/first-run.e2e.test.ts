import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createAnnotation, readRecord, type Image, type ImageSet, type Page } from '@tessera/shared';
import { openLiveDocument } from './support/collab-client.js';
import { cytologyFields } from '../server/src/datasets/cytology-fields/dataset.js';
import { ApiClient } from './support/http.js';
import { runCli, startTessera, type TesseraProcess } from './support/process.js';
import { slide, uploadImages } from './support/upload.js';
import { lacking } from './support/prerequisites.js';

// The README's run command on an empty data directory: embedded PostgreSQL, first superuser, HTTP.
describe.skipIf(lacking('openslide'))('tessera start on an empty data directory', () => {
  const running: TesseraProcess[] = [];
  let dataDir = '';

  afterAll(async () => {
    for (const p of running) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    if (dataDir !== '') await rm(dataDir, { recursive: true, force: true });
  });

  const start = (extraEnv: Record<string, string> = {}) => startTessera(dataDir, running, extraEnv);

  it('creates the admin once, answers the API, and stops cleanly on SIGTERM', async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'tessera-first-run-'));
    // The demo team has its own test below; here the opt-out is checked.
    const first = await start({ TESSERA_DEMO_DATA: 'false' });
    const [, username, password] = /Sign in as "([^"]+)" with password: (\S+)/.exec(first.p.output()) ?? [];
    expect(username).toBe('admin');
    expect(first.p.output()).not.toMatch(/demo/i);

    expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
    const anonymous = await fetch(`${first.url}/api/v1/users/users/`);
    expect(anonymous.status).toBe(401);
    const basic = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    const listed = await fetch(`${first.url}/api/v1/users/users/`, { headers: { authorization: basic } });
    expect(listed.status).toBe(200);
    expect(await listed.json()).toMatchObject({
      count: 1,
      next: null,
      previous: null,
      results: [{ username: 'admin' }],
    });
    const home = await fetch(`${first.url}/`);
    // The browser app's page (it links the API docs once its script runs).
    expect(await home.text()).toContain('<title>Tessera</title>');

    // Upload a real slide through the API and view it through EXACT's tile URLs (server, then tiler).
    const admin = { username: username ?? '', password: password ?? '' };
    const api = new ApiClient(first.url, admin);
    const team = await api.post<{ id: number }>('/users/teams/', { name: 'Pathology' });
    const set = await api.post<{ id: number }>('/images/image_sets/', { name: 'Demo', team: team.body.id });
    const bytes = await slide('CMU-1-Small-Region.svs');
    const upload = await uploadImages(first.url, admin, set.body.id, [
      { name: 'CMU-1-Small-Region.svs', bytes },
    ]);
    expect(upload.status).toBe(201);
    const id = upload.body.results[0]?.id ?? 0;
    const ready = await vi.waitFor(
      async () => {
        const image = await api.get<{ state: string; width: number; height: number }>(
          `/images/images/${id}/`,
        );
        if (image.body.state === 'processing') throw new Error(`image ${id} still processing`);
        return image.body;
      },
      { timeout: 30_000, interval: 200 },
    );
    expect(ready).toMatchObject({ state: 'ready', width: 2220, height: 2967 });
    const dzi = await fetch(`${first.url}/images/image/${id}/1/1/tile/`, {
      headers: { authorization: basic },
    });
    expect(dzi.status).toBe(200);
    expect(await dzi.text()).toContain('Width="2220" Height="2967"');
    const tile = await fetch(`${first.url}/images/image/${id}/1/1/tile_files/12/4_5.jpeg`, {
      headers: { authorization: basic },
    });
    expect(tile.status).toBe(200);
    expect(tile.headers.get('content-type')).toBe('image/jpeg');

    // Annotate it live: one provider writes, a second one (a fresh connection) sees the saved work.
    const product = await api.post<{ id: number }>('/administration/products/', {
      name: 'Cells',
      team: team.body.id,
      imagesets: [set.body.id],
    });
    const type = await api.post<{ id: number }>('/annotations/annotation_types/', {
      name: 'Mitotic figure',
      product: product.body.id,
      vector_type: 1,
    });
    const token = await api.post<{ token: string }>('/users/tokens/', { name: 'e2e' });
    const writer = await openLiveDocument(first.url, `image.${id}`, token.body.token);
    const annotation = randomUUID();
    createAnnotation(
      writer.doc,
      { id: annotation, type: type.body.id, vector: { x1: 10, y1: 10, x2: 60, y2: 50 } },
      { userId: 1 },
    );
    await writer.saved();
    writer.close();
    const reader = await openLiveDocument(first.url, `image.${id}`, token.body.token);
    expect(readRecord(reader.doc, annotation)?.['vector']).toEqual({
      x1: 10,
      y1: 10,
      x2: 60,
      y2: 50,
    });
    reader.close();

    first.p.child.kill('SIGTERM');
    expect(await first.p.exited(), first.p.output()).toBe(0);

    // A second start keeps the data and does not create (or print) another admin.
    const second = await start();
    expect(second.p.output()).not.toMatch(/Created the first superuser/);
    const again = await fetch(`${second.url}/api/v1/users/users/`, { headers: { authorization: basic } });
    expect(again.status).toBe(200);
    second.p.child.kill('SIGTERM');
    expect(await second.p.exited(), second.p.output()).toBe(0);
  });

  it('refuses a broken configuration, listing every problem, with exit code 1', async () => {
    const p = runCli(['start'], { PORT: 'x', DATABASE_URL: 'not a url', TESSERA_LOG_LEVEL: 'shout' });
    expect(await p.exited()).toBe(1);
    expect(p.output()).toMatch(/PORT/);
    expect(p.output()).toMatch(/DATABASE_URL/);
    expect(p.output()).toMatch(/TESSERA_LOG_LEVEL/);
  });
});

// The README's run command on an empty data directory, with the demo data on (the default).
describe.skipIf(lacking('openslide', 'ffmpeg'))('tessera start fills a demo team on the first run', () => {
  const running: TesseraProcess[] = [];
  let dataDir = '';

  afterAll(async () => {
    for (const p of running) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    if (dataDir !== '') await rm(dataDir, { recursive: true, force: true });
  });

  const start = () => startTessera(dataDir, running, { TESSERA_JOB_POLL_MS: '200' });

  it('leaves the printed admin able to list demo sets whose images are ready and annotated', async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'tessera-first-run-demo-'));
    const first = await start();
    const [, username, password] = /Sign in as "([^"]+)" with password: (\S+)/.exec(first.p.output()) ?? [];
    const api = new ApiClient(first.url, { username: username ?? '', password: password ?? '' });
    await first.p.waitFor(/Demo data ready in [\d.]+ s: team "Demo" with 5 image sets/, 240_000);

    const sets = await api.get<Page<ImageSet>>('/images/image_sets/?limit=100');
    expect(sets.status).toBe(200);
    expect(sets.body.results.map((s) => s.name).sort()).toEqual([
      'CMU-1 small region (real H&E scan)',
      'Synthetic cell video',
      'Synthetic cytology fields',
      'Synthetic cytology slide',
      'Synthetic time-lapse series',
    ]);
    const slideSet = sets.body.results.find((s) => s.name === 'Synthetic cytology slide');
    const images = await vi.waitFor(
      async () => {
        const listed = (await api.get<Page<Image>>('/images/images/?limit=100')).body.results;
        if (listed.some((i) => i.state === 'processing')) throw new Error('demo images still processing');
        return listed;
      },
      { timeout: 240_000, interval: 500 },
    );
    expect(images.filter((i) => i.state !== 'ready')).toEqual([]);
    expect(images).toHaveLength(12);
    const slide = images.find((i) => i.image_set === slideSet?.id);
    expect(slide).toMatchObject({ width: 16_384, height: 8192, vendor: 'generic-tiff' });
    const annotations = await api.get<Page<unknown>>(
      `/annotations/annotations/?image=${slide?.id ?? 0}&limit=1`,
    );
    expect(annotations.body.count).toBe(3000);
    const tile = await fetch(`${first.url}/images/image/${slide?.id ?? 0}/1/1/tile_files/14/10_5.jpeg`, {
      headers: {
        authorization: `Basic ${Buffer.from(`${username ?? ''}:${password ?? ''}`).toString('base64')}`,
      },
    });
    expect(tile.status).toBe(200);

    // The command line sets up more data sets in the demo team through the running server.
    const token = await api.post<{ token: string }>('/users/tokens/', { name: 'cli' });
    const cliEnv = { TESSERA_URL: first.url, TESSERA_TOKEN: token.body.token, TESSERA_LOG_LEVEL: 'warn' };
    const list = runCli(['dataset', 'list'], cliEnv);
    expect(await list.exited()).toBe(0);
    expect(list.output()).toMatch(/^cytology-slide\tSynthetic cytology slide .*\tavailable$/m);
    const add = runCli(['dataset', 'add', 'cell-series', '--seed', '3'], cliEnv);
    expect(await add.exited()).toBe(0);
    expect(add.output()).toMatch(
      /Set up cell-series \(seed 3\) in team \d+: image set \d+ with 1 images and 160 annotations/,
    );
    const unknown = runCli(['dataset', 'add', 'no-such-set'], cliEnv);
    expect(await unknown.exited()).toBe(1);
    expect(unknown.output()).toMatch(/answered 404/);
    const noTeam = runCli(['dataset', 'add', 'cell-series', '--team', 'Nobody'], cliEnv);
    expect(await noTeam.exited()).toBe(1);
    expect(noTeam.output()).toContain('No team named "Nobody"');

    // A labelled folder the user points at becomes an image set (zipped and posted by the CLI).
    const folder = path.join(dataDir, 'my-cells');
    const fields = await cytologyFields.create(await mkdir(folder).then(() => folder), 5);
    const lines = fields.annotations
      .filter((a) => a.image === 0)
      .map((a) => `field-01.png|${a.label}|${JSON.stringify(a.vector)}||${a.uuid}`);
    await writeFile(path.join(folder, 'labels.txt'), lines.join('\n'));
    const imported = runCli(['dataset', 'import', folder, '--team', 'Demo'], cliEnv);
    expect(await imported.exited()).toBe(0);
    expect(imported.output()).toMatch(/Imported my-cells: image set \d+ with 8 images and 40 annotations\./);
    const missing = runCli(['dataset', 'import', path.join(dataDir, 'nothing-here')], cliEnv);
    expect(await missing.exited()).toBe(1);
    expect(missing.output()).toContain('does not exist');

    first.p.child.kill('SIGTERM');
    expect(await first.p.exited(), first.p.output()).toBe(0);

    // A second start keeps the demo and does not make another.
    const second = await start();
    second.p.child.kill('SIGTERM');
    expect(await second.p.exited(), second.p.output()).toBe(0);
    expect(second.p.output()).not.toMatch(/demo/i);
  }, 420_000);
});
