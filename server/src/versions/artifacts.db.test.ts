import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SetVersion, VersionArtifact, VersionSplit } from '@tessera/shared';
import { useTestServer } from '../../../test/support/server.js';
import { annotate, rect, versionScene } from '../../../test/support/versions.js';

const server = useTestServer({ env: { TESSERA_MAX_UPLOAD_MB: '1' } });

async function upload(baseUrl: string, auth: string, version: number, name: string, bytes: Buffer) {
  const form = new FormData();
  form.set('name', name);
  form.append('file', new Blob([new Uint8Array(bytes)]), 'upload.bin');
  const res = await fetch(`${baseUrl}/api/v1/images/set_versions/${version}/artifacts/`, {
    method: 'POST',
    headers: { authorization: auth },
    body: form,
  });
  return { status: res.status, body: (await res.json()) as VersionArtifact[] & { detail?: string } };
}

describe('splits and artifacts of a version', () => {
  it('stores splits with the version and exports one part', async () => {
    const s = await versionScene(server, { images: ['a.svs', 'b.svs', 'c.svs', 'd.svs'] });
    const api = s.api(s.member);
    await annotate(
      api,
      s.images.map((image) => ({ image, annotation_type: s.box, vector: rect(1, 1) })),
    );
    const version = (await api.post<SetVersion>('/images/set_versions/', { name: 'v', imagesets: [s.set] }))
      .body;
    const [a, b, c, d] = s.images as [number, number, number, number];
    const manual = await api.post<VersionSplit>(`/images/set_versions/${version.id}/splits/`, {
      name: 'by hand',
      method: 'manual',
      train: [a, b],
      validation: [c],
      test: [d],
    });
    expect(manual.status).toBe(201);
    expect(manual.body).toMatchObject({ train: [a, b], validation: [c], test: [d], method: 'manual' });
    const ratio = await api.post<VersionSplit>(`/images/set_versions/${version.id}/splits/`, {
      name: 'half',
      method: 'stratified',
      ratios: { train: 1, validation: 0, test: 1 },
      seed: 3,
    });
    expect(ratio.body.train.length + ratio.body.test.length).toBe(4);
    expect(ratio.body.validation).toEqual([]);
    const listed = await api.get<VersionSplit[]>(`/images/set_versions/${version.id}/splits/`);
    expect(listed.body.map((x) => x.name)).toEqual(['by hand', 'half']);
    const validation = await api.get<{ images: { id: number }[]; annotations: unknown[] }>(
      `/images/set_versions/${version.id}/export/?format=coco&split=${manual.body.id}&part=validation`,
    );
    expect(validation.body.images.map((i) => i.id)).toEqual([c]);
    expect(validation.body.annotations).toHaveLength(1);
    const again = await api.post(`/images/set_versions/${version.id}/splits/`, {
      name: 'by hand',
      method: 'manual',
    });
    expect(again.status).toBe(400);
    const foreign = await api.post(`/images/set_versions/${version.id}/splits/`, {
      name: 'x',
      method: 'manual',
      train: [a],
      test: [a],
    });
    expect(foreign.status).toBe(400);
    expect((await api.get(`/images/set_versions/${version.id}/export/?split=999`)).status).toBe(400);
    expect((await s.api(s.outsider).get(`/images/set_versions/${version.id}/splits/`)).status).toBe(404);
  });

  it('attaches files with checksum and size, downloads them, and lets only admins delete', async () => {
    const s = await versionScene(server);
    const version = (
      await s.api(s.member).post<SetVersion>('/images/set_versions/', { name: 'v', imagesets: [s.set] })
    ).body;
    const basic = (u: { username: string; password: string }) =>
      `Basic ${Buffer.from(`${u.username}:${u.password}`).toString('base64')}`;
    const bytes = Buffer.from(JSON.stringify({ f1: 0.91, epochs: 30 }));
    const created = await upload(server.baseUrl, basic(s.member), version.id, 'metrics.json', bytes);
    expect(created.status).toBe(201);
    const [artifact] = created.body;
    expect(artifact).toMatchObject({
      name: 'metrics.json',
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      uploaded_by: s.member.id,
    });
    const list = await s
      .api(s.member)
      .get<VersionArtifact[]>(`/images/set_versions/${version.id}/artifacts/`);
    expect(list.body).toHaveLength(1);
    const download = await fetch(
      `${server.baseUrl}/api/v1/images/set_versions/${version.id}/artifacts/${artifact?.id}/`,
      { headers: { authorization: basic(s.member) } },
    );
    expect(Buffer.from(await download.arrayBuffer())).toEqual(bytes);
    expect(download.headers.get('content-disposition')).toContain('metrics.json');
    const tooBig = await upload(
      server.baseUrl,
      basic(s.member),
      version.id,
      'w.bin',
      Buffer.alloc(2 * 1024 * 1024),
    );
    expect(tooBig.status).toBe(413);
    expect((await upload(server.baseUrl, basic(s.outsider), version.id, 'x', bytes)).status).toBe(404);
    const path = `/images/set_versions/${version.id}/artifacts/${artifact?.id}/`;
    expect((await s.api(s.member).delete(path)).status).toBe(403);
    expect((await s.api(s.admin).delete(`/images/set_versions/${version.id}/`)).status).toBe(409);
    expect((await s.api(s.admin).delete(path)).status).toBe(204);
    expect((await s.api(s.member).get(path)).status).toBe(404);
    expect((await s.api(s.admin).delete(`/images/set_versions/${version.id}/`)).status).toBe(204);
  });
});
