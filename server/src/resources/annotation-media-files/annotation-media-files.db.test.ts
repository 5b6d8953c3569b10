import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page, RestAnnotation, RestAnnotationMediaFile } from '@tessera/shared';
import { Factories, type TestUser } from '../../../../test/support/factories.js';
import { ApiClient, type Credentials } from '../../../../test/support/http.js';
import { useTestServer } from '../../../../test/support/server.js';

// A small upload limit (1 MB), so refusing an oversize file costs little.
const server = useTestServer({ env: { TESSERA_MAX_UPLOAD_MB: '1' } });
const make = () => new Factories(server.db);
const PATH = '/annotations/annotation_media_files/';

/** Sends a multipart upload as EXACT-Sync does (form fields plus the file under `file`). */
async function upload(
  who: Credentials | undefined,
  fields: Record<string, string>,
  file?: { name: string; type: string; bytes: Uint8Array },
) {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.set(key, value);
  if (file) form.set('file', new Blob([Buffer.from(file.bytes)], { type: file.type }), file.name);
  const headers: Record<string, string> = who
    ? { authorization: `Basic ${Buffer.from(`${who.username}:${who.password}`).toString('base64')}` }
    : {};
  const response = await fetch(`${server.baseUrl}/api/v1${PATH}`, { method: 'POST', headers, body: form });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** The bytes of a media file's `file` URL, as `who` reads them. */
async function download(who: Credentials, url: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.baseUrl}${url}`, {
    headers: {
      ...headers,
      authorization: `Basic ${Buffer.from(`${who.username}:${who.password}`).toString('base64')}`,
    },
  });
  return { response, bytes: Buffer.from(await response.arrayBuffer()) };
}

const wav = {
  name: 'note.wav',
  type: 'audio/wav',
  bytes: new Uint8Array([82, 73, 70, 70, 1, 2, 3, 4, 5, 6]),
};

async function scene(o: { public?: boolean } = {}) {
  const admin = await make().user();
  const member = await make().user();
  const outsider = await make().user();
  const team = await make().team({ admins: [admin], members: [member] });
  await make().team({ admins: [outsider] });
  const set = await make().imageSet(team, admin, { public: o.public ?? false });
  const product = await make().product(team, admin, [set]);
  const box = await make().annotationType(product, { vector_type: 1 });
  const image = await make().image(set, admin);
  const api = (u: TestUser) => new ApiClient(server.baseUrl, u);
  const annotation = await api(member).post<RestAnnotation>('/annotations/annotations/', {
    annotation_type: box,
    image,
    vector: { x1: 1, y1: 2, x2: 3, y2: 4 },
  });
  expect(annotation.status).toBe(201);
  return { admin, member, outsider, set, box, image, api, annotation: annotation.body };
}

const storedFiles = () => {
  const root = path.join(server.config.dataDir, 'annotation-media');
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
};

describe('annotations/annotation_media_files/', () => {
  it('uploads, lists by annotation, retrieves, serves, renames and deletes a file', async () => {
    const s = await scene();
    const created = await upload(
      s.member,
      { annotation: String(s.annotation.id), media_file_type: '4' },
      wav,
    );
    expect(created.status).toBe(201);
    const file = created.body as unknown as RestAnnotationMediaFile;
    expect(file).toMatchObject({ name: 'note.wav', media_file_type: 4, annotation: s.annotation.id });
    expect(file.file).toBe(`/api/v1${PATH}${file.id}/file/`);
    // Stored under a generated name, never the client's.
    expect(storedFiles().map((e) => e.name)).not.toContain('note.wav');

    const other = await s.api(s.member).post<RestAnnotation>('/annotations/annotations/', {
      annotation_type: s.box,
      image: s.image,
      vector: { x1: 5, y1: 5, x2: 6, y2: 6 },
    });
    await upload(
      s.member,
      { annotation: String(other.body.id), name: 'photo' },
      {
        name: 'p.png',
        type: 'image/png',
        bytes: new Uint8Array([137, 80, 78, 71]),
      },
    );
    const listed = await s
      .api(s.admin)
      .get<Page<RestAnnotationMediaFile>>(`${PATH}?annotation=${s.annotation.id}`);
    expect(listed.body.count).toBe(1);
    expect(listed.body.results[0]?.id).toBe(file.id);
    const images = await s
      .api(s.admin)
      .get<Page<RestAnnotationMediaFile>>(`${PATH}?media_file_type=2&limit=1`);
    expect(images.body.results.map((r) => r.name)).toEqual(['photo']);
    expect((await s.api(s.admin).get(`${PATH}${file.id}/`)).body).toEqual(file);

    const whole = await download(s.admin, file.file);
    expect(whole.response.status).toBe(200);
    expect(whole.response.headers.get('content-type')).toBe('audio/wav');
    expect(whole.response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(whole.response.headers.get('content-disposition')).toBe('inline; filename="note.wav"');
    expect([...whole.bytes]).toEqual([...wav.bytes]);
    const part = await download(s.admin, file.file, { range: 'bytes=2-4' });
    expect(part.response.status).toBe(206);
    expect(part.response.headers.get('content-range')).toBe('bytes 2-4/10');
    expect([...part.bytes]).toEqual([70, 70, 1]);
    expect((await download(s.admin, file.file, { range: 'bytes=10-' })).response.status).toBe(416);

    const renamed = await s
      .api(s.member)
      .patch<RestAnnotationMediaFile>(`${PATH}${file.id}/`, { name: 'voice "1"; x=★' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'voice "1"; x=★', media_file_type: 4 });
    // A name with quotes and non-ASCII stays one quoted parameter (non-Latin-1 in an RFC 5987 form).
    expect((await download(s.admin, file.file)).response.headers.get('content-disposition')).toBe(
      `inline; filename="voice \\"1\\"; x=?"; filename*=UTF-8''voice%20%221%22%3B%20x%3D%E2%98%85`,
    );
    const control = await s.api(s.member).patch(`${PATH}${file.id}/`, { name: 'a\r\nSet-Cookie: x=1' });
    expect(control.status).toBe(400);
    const undefinedKind = await s.api(s.member).patch(`${PATH}${file.id}/`, { media_file_type: 1 });
    expect(undefinedKind.body).toMatchObject({ media_file_type: 1 });
    // Undefined files are downloads of opaque bytes, never shown in place.
    const opaque = await download(s.admin, file.file);
    expect(opaque.response.headers.get('content-type')).toBe('application/octet-stream');
    expect(opaque.response.headers.get('content-disposition')).toMatch(/^attachment;/);

    const before = storedFiles().length;
    expect((await s.api(s.member).delete(`${PATH}${file.id}/`)).status).toBe(204);
    expect(storedFiles()).toHaveLength(before - 1);
    expect((await s.api(s.admin).get(`${PATH}${file.id}/`)).status).toBe(404);
    expect((await download(s.admin, file.file)).response.status).toBe(404);
  });

  it('answers 401 without credentials, 404 to another team, 403 to readers of a public set', async () => {
    const s = await scene();
    const made = await upload(s.member, { annotation: String(s.annotation.id) }, wav);
    const file = made.body as unknown as RestAnnotationMediaFile;
    expect(file.media_file_type).toBe(4);
    expect((await upload(undefined, { annotation: String(s.annotation.id) }, wav)).status).toBe(401);
    expect((await new ApiClient(server.baseUrl).get(PATH)).status).toBe(401);

    const outsider = s.api(s.outsider);
    expect((await outsider.get<Page<RestAnnotationMediaFile>>(PATH)).body.count).toBe(0);
    expect((await outsider.get(`${PATH}${file.id}/`)).status).toBe(404);
    expect((await download(s.outsider, file.file)).response.status).toBe(404);
    expect((await outsider.patch(`${PATH}${file.id}/`, { name: 'x' })).status).toBe(404);
    expect((await outsider.delete(`${PATH}${file.id}/`)).status).toBe(404);
    const foreign = await upload(s.outsider, { annotation: String(s.annotation.id) }, wav);
    expect(foreign.status).toBe(400);
    expect(foreign.body).toHaveProperty('annotation');

    const open = await scene({ public: true });
    const shared = (await upload(open.member, { annotation: String(open.annotation.id) }, wav))
      .body as unknown as RestAnnotationMediaFile;
    const reader = open.api(open.outsider);
    expect((await reader.get(`${PATH}${shared.id}/`)).status).toBe(200);
    expect((await download(open.outsider, shared.file)).response.status).toBe(200);
    expect((await reader.patch(`${PATH}${shared.id}/`, { name: 'x' })).status).toBe(403);
    expect((await reader.delete(`${PATH}${shared.id}/`)).status).toBe(403);
    expect((await upload(open.outsider, { annotation: String(open.annotation.id) }, wav)).status).toBe(403);
  });

  it('hides a blind copy’s files from other members but not from team admins', async () => {
    const admin = await make().user();
    const [one, two] = [await make().user(), await make().user()];
    const team = await make().team({ admins: [admin], members: [one, two] });
    const set = await make().imageSet(team, admin);
    await server.db.query('UPDATE image_sets SET collaboration_type = 1 WHERE id = $1', [set]);
    const product = await make().product(team, admin, [set]);
    const box = await make().annotationType(product, { vector_type: 1 });
    const image = await make().image(set, admin);
    const mine = await new ApiClient(server.baseUrl, one).post<RestAnnotation>('/annotations/annotations/', {
      annotation_type: box,
      image,
      vector: { x1: 1, y1: 1, x2: 2, y2: 2 },
    });
    const file = (await upload(one, { annotation: String(mine.body.id) }, wav))
      .body as unknown as RestAnnotationMediaFile;
    expect((await new ApiClient(server.baseUrl, two).get(`${PATH}${file.id}/`)).status).toBe(404);
    expect((await download(two, file.file)).response.status).toBe(404);
    expect((await upload(two, { annotation: String(mine.body.id) }, wav)).status).toBe(400);
    expect((await download(admin, file.file)).response.status).toBe(200);
  });

  it('refuses a bad media_file_type, a mismatched kind, no file, an empty file and an oversize file', async () => {
    const s = await scene();
    const annotation = String(s.annotation.id);
    const bad = await upload(s.member, { annotation, media_file_type: '7' }, wav);
    expect(bad.status).toBe(400);
    expect(bad.body).toHaveProperty('media_file_type');
    const notNumber = await upload(s.member, { annotation, media_file_type: 'audio' }, wav);
    expect(notNumber.status).toBe(400);
    const mismatch = await upload(s.member, { annotation, media_file_type: '3' }, wav);
    expect(mismatch.status).toBe(400);
    expect(mismatch.body).toHaveProperty('media_file_type');
    const text = await upload(
      s.member,
      { annotation, media_file_type: '2' },
      {
        name: 'x.png',
        type: 'text/html',
        bytes: new Uint8Array([60, 104, 49, 62]),
      },
    );
    expect(text.status).toBe(400);
    expect((await upload(s.member, { annotation })).status).toBe(400);
    const empty = await upload(s.member, { annotation }, { ...wav, bytes: new Uint8Array() });
    expect(empty.status).toBe(400);
    expect(empty.body).toHaveProperty('file');
    const big = await upload(s.member, { annotation }, { ...wav, bytes: new Uint8Array(1024 * 1024 + 1) });
    expect(big.status).toBe(413);
    const patched = await upload(s.member, { annotation }, wav);
    const id = (patched.body as unknown as RestAnnotationMediaFile).id;
    expect((await s.api(s.member).patch(`${PATH}${id}/`, { media_file_type: 2 })).status).toBe(400);
    expect((await s.api(s.member).patch(`${PATH}${id}/`, { name: '' })).status).toBe(400);
    const listed = await s
      .api(s.admin)
      .get<Page<RestAnnotationMediaFile>>(`${PATH}?annotation=${annotation}`);
    expect(listed.body.count).toBe(1);
    // Nothing refused was left behind in staging or storage.
    expect(storedFiles().length).toBeGreaterThan(0);
    const staging = path.join(server.config.dataDir, 'images', '.staging');
    await expect.poll(() => (existsSync(staging) ? readdirSync(staging).length : 0)).toBe(0);
  });
});
