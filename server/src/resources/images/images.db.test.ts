import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import yazl from 'yazl';
import { describe, expect, it } from 'vitest';
import type { Image, Page } from '@tessera/shared';
import { Factories } from '../../../../test/support/factories.js';
import { ApiClient } from '../../../../test/support/http.js';
import { useTestServer } from '../../../../test/support/server.js';
import { slide, uploadImages } from '../../../../test/support/upload.js';

// No tiler runs in this file: images stay `processing`, which is what these tests look at.
const server = useTestServer({
  env: { TESSERA_MAX_UPLOAD_MB: '3', TESSERA_TILER_URL: 'http://127.0.0.1:9' },
});
const api = () => new ApiClient(server.baseUrl);
const make = () => new Factories(server.db);

async function scene() {
  const admin = await make().user();
  const member = await make().user();
  const outsider = await make().user();
  const team = await make().team({ admins: [admin], members: [member] });
  const set = await make().imageSet(team, admin);
  return { admin, member, outsider, team, set };
}

describe('images/images/ uploads', () => {
  it('stores a slide under a pseudonym, queues its inspection, and hides the original name from members', async () => {
    const { admin, member, set } = await scene();
    const bytes = await slide('openslide-python-small.svs');
    const res = await uploadImages(server.baseUrl, admin, set, [{ name: 'Patient Doe 1970.svs', bytes }]);
    expect(res.status).toBe(201);
    expect(res.body.count).toBe(1);
    const [created] = res.body.results;
    expect(created?.name).toMatch(/^\d{8}-\d{4}-[0-9a-f]{4}\.svs$/);
    expect(created?.state).toBe('processing');
    expect(created?.original_filename).toBe('Patient Doe 1970.svs');
    const jobs = await server.db.query<{ kind: string; state: string }>(
      'SELECT kind, state FROM image_jobs WHERE image_id = $1',
      [created?.id ?? 0],
    );
    expect(jobs).toEqual([{ kind: 'inspect', state: 'queued' }]);
    const seenByMember = await api().as(member).get<Image>(`/images/images/${created?.id}/`);
    expect(seenByMember.status).toBe(200);
    expect(seenByMember.body).not.toHaveProperty('original_filename');
    expect(seenByMember.body).toMatchObject({
      image_set: set,
      size_bytes: bytes.length,
      state: 'processing',
    });
    const set2 = await api().as(member).get<{ images: number[] }>(`/images/image_sets/${set}/`);
    expect(set2.body.images).toEqual([created?.id]);
  });

  it('[G1] tells whether an image keeps its annotations in regions (annotation_region_size)', async () => {
    const { admin, member, set } = await scene();
    const bytes = await slide('openslide-python-small.svs');
    const res = await uploadImages(server.baseUrl, admin, set, [{ name: 'regions.svs', bytes }]);
    const id = res.body.results[0]?.id ?? 0;
    const detail = () => api().as(member).get<Image>(`/images/images/${id}/`);
    expect((await detail()).body.annotation_region_size).toBeNull();
    await server.db.query('UPDATE images SET annotation_region_size = 4096 WHERE id = $1', [id]);
    expect((await detail()).body.annotation_region_size).toBe(4096);
    const list = await api().as(member).get<Page<Image>>(`/images/images/?id=${id}`);
    expect(list.body.results.map((i) => i.annotation_region_size)).toEqual([4096]);
  });

  it('skips identical bytes already in the set and reports them', async () => {
    const { admin, set } = await scene();
    const bytes = await slide('openslide-python-small.svs');
    const first = await uploadImages(server.baseUrl, admin, set, [{ name: 'a.svs', bytes }]);
    const again = await uploadImages(server.baseUrl, admin, set, [
      { name: 'b.svs', bytes },
      { name: 'c.tiff', bytes: await slide('openslide-python-boxes.tiff') },
    ]);
    expect(again.status).toBe(201);
    expect(again.body.count).toBe(1);
    expect(again.body.skipped).toEqual([
      {
        file: 'b.svs',
        reason: 'An identical file is already in this set.',
        image: first.body.results[0]?.id,
      },
    ]);
  });

  it('refuses uploads by members (403), outsiders (400), without a set (400), too large (413), not multipart (415)', async () => {
    const { member, outsider, admin, set } = await scene();
    const file = [{ name: 'x.svs', bytes: await slide('openslide-python-small.svs') }];
    expect((await uploadImages(server.baseUrl, member, set, file)).status).toBe(403);
    const fromOutsider = await uploadImages(server.baseUrl, outsider, set, file);
    expect(fromOutsider.status).toBe(400);
    expect(fromOutsider.body).toHaveProperty('image_set');
    const noSet = await uploadImages(server.baseUrl, admin, 'abc', file);
    expect(noSet.status).toBe(400);
    expect(noSet.body).toHaveProperty('image_set');
    const big = await uploadImages(server.baseUrl, admin, set, [
      { name: 'big.svs', bytes: new Uint8Array(4 * 1024 * 1024) },
    ]);
    expect(big.status).toBe(413);
    const json = await api().as(admin).post('/images/images/', { image_set: set });
    expect(json.status).toBe(415);
    const noFile = await uploadImages(server.baseUrl, admin, set, []);
    expect(noFile.status).toBe(400);
    const listed = await api().as(admin).get<Page<Image>>(`/images/images/?image_set=${set}`);
    expect(listed.body.count).toBe(0);
  });
});

describe('pixel routes before the image is ready, and for outsiders', () => {
  it('answers 409 while processing, 404 to outsiders on every pixel route, 401 without credentials', async () => {
    const { admin, outsider, set } = await scene();
    const res = await uploadImages(server.baseUrl, admin, set, [
      { name: 's.svs', bytes: await slide('openslide-python-small.svs') },
    ]);
    const id = res.body.results[0]?.id ?? 0;
    const paths = [
      `/images/image/${id}/1/1/tile/`,
      `/images/image/${id}/1/1/tile_files/0/0_0.jpeg`,
      `/api/v1/images/images/${id}/thumbnail/`,
      `/api/v1/images/images/${id}/slide_information/`,
      `/api/v1/images/images/${id}/get_patch/?x=0&y=0&level=0&width=10&height=10`,
      `/images/api/image/download/${id}/?original_image=True`,
    ];
    const basic = (u: { username: string; password: string }) => ({
      authorization: `Basic ${Buffer.from(`${u.username}:${u.password}`).toString('base64')}`,
    });
    for (const path of paths) {
      expect((await fetch(`${server.baseUrl}${path}`)).status, path).toBe(401);
      expect((await fetch(`${server.baseUrl}${path}`, { headers: basic(outsider) })).status, path).toBe(404);
    }
    for (const path of paths.slice(0, 5)) {
      expect((await fetch(`${server.baseUrl}${path}`, { headers: basic(admin) })).status, path).toBe(409);
    }
  });

  it('answers 503 with a reason, not a hang or a 500, when the tiler cannot be reached', async () => {
    const { admin, set } = await scene();
    const res = await uploadImages(server.baseUrl, admin, set, [
      { name: 'r.svs', bytes: await slide('openslide-python-small.svs') },
    ]);
    const id = res.body.results[0]?.id ?? 0;
    await server.db.query("UPDATE images SET state = 'ready' WHERE id = $1", [id]);
    const auth = {
      authorization: `Basic ${Buffer.from(`${admin.username}:${admin.password}`).toString('base64')}`,
    };
    for (const path of [`/images/image/${id}/1/1/tile/`, `/api/v1/images/images/${id}/thumbnail/`]) {
      const answer = await fetch(`${server.baseUrl}${path}`, { headers: auth });
      expect(answer.status, path).toBe(503);
      expect(await answer.json()).toEqual({
        detail: 'The tiler is not reachable.',
        code: 'service_unavailable',
      });
    }
  });

  it('lets team admins download the original (members 403) under its original name', async () => {
    const { admin, member, set } = await scene();
    const bytes = await slide('openslide-python-boxes.tiff');
    const res = await uploadImages(server.baseUrl, admin, set, [{ name: 'boxes original.tiff', bytes }]);
    const id = res.body.results[0]?.id ?? 0;
    const url = `${server.baseUrl}/images/api/image/download/${id}/?original_image=True`;
    const auth = (u: { username: string; password: string }) => ({
      authorization: `Basic ${Buffer.from(`${u.username}:${u.password}`).toString('base64')}`,
    });
    expect((await fetch(url, { headers: auth(member) })).status).toBe(403);
    const download = await fetch(url, { headers: auth(admin) });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toContain('boxes original.tiff');
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('deletes images with their files, for team admins only', async () => {
    const { admin, member, set } = await scene();
    const res = await uploadImages(server.baseUrl, admin, set, [
      { name: 'd.svs', bytes: await slide('openslide-python-small.svs') },
    ]);
    const id = res.body.results[0]?.id ?? 0;
    expect((await api().as(member).delete(`/images/images/${id}/`)).status).toBe(403);
    expect((await api().as(admin).delete(`/images/images/${id}/`)).status).toBe(204);
    expect((await api().as(admin).get(`/images/images/${id}/`)).status).toBe(404);
  });
});

/** Builds a zip in memory with yazl (entries: name to bytes, with an optional file mode). */
async function zipOf(entries: { name: string; bytes: Uint8Array; mode?: number }[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const e of entries)
    zip.addBuffer(Buffer.from(e.bytes), e.name, e.mode === undefined ? {} : { mode: e.mode });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('zip uploads', () => {
  it('turns a zipped folder of images into one image per file, ignoring archive clutter', async () => {
    const { admin, set } = await scene();
    const zip = await zipOf([
      { name: 'batch/one.svs', bytes: await slide('openslide-python-small.svs') },
      { name: 'batch/two.tiff', bytes: await slide('openslide-python-boxes.tiff') },
      { name: '__MACOSX/batch/._one.svs', bytes: new Uint8Array(10) },
    ]);
    const res = await uploadImages(server.baseUrl, admin, set, [{ name: 'batch.zip', bytes: zip }]);
    expect(res.status).toBe(201);
    expect(res.body.results.map((r) => r.original_filename).sort()).toEqual(['one.svs', 'two.tiff']);
  });

  it('keeps a multi-file slide (MIRAX) together as one image', async () => {
    const { admin, set } = await scene();
    const zip = await zipOf([
      { name: 'case7.mrxs', bytes: new TextEncoder().encode('index') },
      { name: 'case7/Slidedat.ini', bytes: new TextEncoder().encode('[GENERAL]') },
      { name: 'case7/Data0000.dat', bytes: new Uint8Array(64) },
    ]);
    const res = await uploadImages(server.baseUrl, admin, set, [{ name: 'case7.zip', bytes: zip }]);
    expect(res.status).toBe(201);
    expect(res.body.results).toHaveLength(1);
    expect(res.body.results[0]?.name).toMatch(/\.mrxs$/);
    const rows = await server.db.query<{ storage_path: string }>(
      'SELECT storage_path FROM images WHERE id = $1',
      [res.body.results[0]?.id ?? 0],
    );
    expect(rows[0]?.storage_path).toMatch(/\/case7\.mrxs$/);
  });

  it('refuses entries that climb out, links, and archives that expand too far, storing nothing', async () => {
    const { admin, set } = await scene();
    const good = await zipOf([{ name: 'aa/evil.svs', bytes: await slide('openslide-python-small.svs') }]);
    // Same length, so offsets stay valid: the entry becomes "../evil.svs" in both headers.
    const climbing = Buffer.from(good.toString('latin1').replaceAll('aa/evil.svs', '../evil.svs'), 'latin1');
    const traversal = await uploadImages(server.baseUrl, admin, set, [{ name: 't.zip', bytes: climbing }]);
    expect(traversal.status).toBe(400);
    expect(JSON.stringify(traversal.body)).toMatch(/outside the archive|invalid relative path/);

    const link = await zipOf([
      { name: 'link.svs', bytes: new TextEncoder().encode('/etc/passwd'), mode: 0o120777 },
    ]);
    const linked = await uploadImages(server.baseUrl, admin, set, [{ name: 'l.zip', bytes: link }]);
    expect(linked.status).toBe(400);
    expect(JSON.stringify(linked.body)).toMatch(/symbolic link/);

    const bomb = await zipOf([{ name: 'zeros.tiff', bytes: new Uint8Array(20 * 1024 * 1024) }]);
    const exploded = await uploadImages(server.baseUrl, admin, set, [{ name: 'b.zip', bytes: bomb }]);
    expect(exploded.status).toBe(400);
    expect(JSON.stringify(exploded.body)).toMatch(/expands/);

    const notZip = await uploadImages(server.baseUrl, admin, set, [
      { name: 'n.zip', bytes: new Uint8Array(100) },
    ]);
    expect(notZip.status).toBe(400);
    const listed = await api().as(admin).get<Page<Image>>(`/images/images/?image_set=${set}`);
    expect(listed.body.count).toBe(0);
  });
});

describe('storage hygiene', () => {
  it('leaves nothing in staging after accepted, duplicate and refused uploads', async () => {
    const staging = path.join(server.config.dataDir, 'images', '.staging');
    const leftovers = existsSync(staging) ? await readdir(staging) : [];
    expect(leftovers).toEqual([]);
  });
});
