import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  readRecord,
  listAnnotations,
  restoreNotice,
  type AnnotationVersion,
  type Page,
  type RestoreReport,
  type VersionDiff,
} from '@tessera/shared';
import { openLiveDocument } from '../../../test/support/collab-client.js';
import { useTestServer } from '../../../test/support/server.js';
import { VersionsRepo } from './versions.repo.js';
import { annotate, makeVersion, rect, triangle, versionScene } from '../../../test/support/versions.js';

const server = useTestServer();

type Api = ReturnType<Awaited<ReturnType<typeof versionScene>>['api']>;

/** Everything a version holds of its annotations, keyed by unique identifier (order-free). */
async function frozen(api: Api, version: number) {
  const res = await api.get<Page<AnnotationVersion>>(
    `/annotations/annotation_versions/?version=${version}&limit=1000`,
  );
  expect(res.status).toBe(200);
  return Object.fromEntries(
    res.body.results.map((a) => [
      a.unique_identifier,
      { type: a.annotation_type, vector: a.vector, deleted: a.deleted },
    ]),
  );
}

describe('dataset versions', () => {
  it('a version is unchanged by later edits, deletes and restores, and its documents hold it too', async () => {
    const s = await versionScene(server, { images: ['a.svs', 'b.svs'] });
    const api = s.api(s.member);
    const [one, two] = await annotate(api, [
      { image: s.images[0] as number, annotation_type: s.box, vector: rect(0, 0) },
      { image: s.images[1] as number, annotation_type: s.polygon, vector: triangle(5, 5) },
    ]);
    const v1 = await makeVersion(api, s.set, 'first');
    expect(v1).toMatchObject({ name: 'first', imagesets: [s.set], images: s.images, author: s.member.id });
    const before = await frozen(api, v1.id);
    const exportBefore = await api.get(
      `/images/set_versions/${v1.id}/export/?format=csv&include_deleted=true`,
    );
    expect(Object.keys(before)).toHaveLength(2);

    await api.patch(`/annotations/annotations/${one?.id}/`, { vector: rect(100, 100) });
    await api.delete(`/annotations/annotations/${two?.id}/`);
    await annotate(api, [{ image: s.images[0] as number, annotation_type: s.box, vector: rect(50, 50) }]);
    const v2 = await makeVersion(api, s.set, 'second');
    expect(await frozen(api, v1.id)).toEqual(before);
    const restored = await s.api(s.admin).post<RestoreReport>(`/images/set_versions/${v1.id}/restore/`, {});
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ images: 2, changed: 2, created: 0, deleted: 1, skipped: [] });

    // After edits, a delete, a newer version and a restore, the first version is exactly as made.
    expect(await frozen(api, v1.id)).toEqual(before);
    const exportAfter = await api.get(
      `/images/set_versions/${v1.id}/export/?format=csv&include_deleted=true`,
    );
    expect(exportAfter.body).toEqual(exportBefore.body);
    // The live state is the first version again, and the second version still has its own state.
    const live = await api.get<Page<{ unique_identifier: string; vector: unknown; deleted: boolean }>>(
      `/annotations/annotations/?image__image_set=${s.set}&deleted=false`,
    );
    expect(Object.fromEntries(live.body.results.map((a) => [a.unique_identifier, a.vector]))).toEqual(
      Object.fromEntries(Object.entries(before).map(([id, a]) => [id, a.vector])),
    );
    expect(Object.keys(await frozen(api, v2.id))).toHaveLength(3);

    // The version's document state (for a read-only viewer) holds the same annotations.
    const docs = await api.get<{ documents: { document: string; state: string }[] }>(
      `/images/set_versions/${v1.id}/documents/?image=${s.images[0]}`,
    );
    expect(docs.status).toBe(200);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Buffer.from(docs.body.documents[0]?.state ?? '', 'base64'));
    expect(listAnnotations(doc).map((a) => [a.id, a.vector])).toEqual([[one?.unique_identifier, rect(0, 0)]]);
  });

  it('diffs are exact on a scripted history, both ways and against now', async () => {
    const s = await versionScene(server);
    const api = s.api(s.member);
    const image = s.images[0] as number;
    const [moved, relabelled, removed, verified] = await annotate(api, [
      { image, annotation_type: s.box, vector: rect(0, 0) },
      { image, annotation_type: s.box, vector: rect(20, 20) },
      { image, annotation_type: s.polygon, vector: triangle(40, 40) },
      { image, annotation_type: s.box, vector: rect(60, 60) },
    ]);
    const otherBox = await s.make.annotationType(s.product, { vector_type: 1 });
    const v1 = await makeVersion(api, s.set);
    await api.patch(`/annotations/annotations/${moved?.id}/`, { vector: rect(1, 1) });
    await api.patch(`/annotations/annotations/${relabelled?.id}/`, {
      annotation_type: otherBox,
      description: 'x',
    });
    await api.delete(`/annotations/annotations/${removed?.id}/`);
    const verify = await api.post('/annotations/verifications/', {
      annotation: verified?.id,
      verified: true,
    });
    expect(verify.status).toBe(201);
    const [added] = await annotate(api, [{ image, annotation_type: s.polygon, vector: triangle(0, 90) }]);
    const v2 = await makeVersion(api, s.set);

    const diff = await api.get<VersionDiff>(`/images/set_versions/${v1.id}/diff/?to=${v2.id}`);
    expect(diff.status).toBe(200);
    expect(diff.body.totals).toEqual({ added: 1, removed: 1, changed: 3, restored: 0 });
    const [only] = diff.body.images;
    expect(only).toMatchObject({
      image,
      added: 1,
      removed: 1,
      changed: 3,
      restored: 0,
      by_type: {
        [s.box]: { added: 0, removed: 0, changed: 2, restored: 0 },
        [otherBox]: { added: 0, removed: 0, changed: 1, restored: 0 },
        [s.polygon]: { added: 1, removed: 1, changed: 0, restored: 0 },
      },
    });
    const byId = Object.fromEntries((only?.annotations ?? []).map((a) => [a.unique_identifier, a]));
    expect(byId[moved?.unique_identifier ?? '']).toMatchObject({ change: 'changed', fields: ['geometry'] });
    expect(byId[relabelled?.unique_identifier ?? '']).toMatchObject({
      change: 'changed',
      fields: ['label', 'description'],
    });
    expect(byId[removed?.unique_identifier ?? '']).toMatchObject({ change: 'removed', fields: [] });
    expect(byId[verified?.unique_identifier ?? '']).toMatchObject({
      change: 'changed',
      fields: ['verification'],
    });
    expect(byId[added?.unique_identifier ?? '']).toMatchObject({ change: 'added', fields: [] });

    // Backwards, the added annotation is removed and the deleted one restored; against now, nothing
    // changed since v2 but one move.
    const back = await api.get<VersionDiff>(`/images/set_versions/${v2.id}/diff/?to=${v1.id}`);
    expect(back.body.totals).toEqual({ added: 0, removed: 1, changed: 3, restored: 1 });
    expect((await api.get<VersionDiff>(`/images/set_versions/${v2.id}/diff/?to=now`)).body.totals).toEqual({
      added: 0,
      removed: 0,
      changed: 0,
      restored: 0,
    });
    await api.patch(`/annotations/annotations/${added?.id}/`, {
      annotation_type: s.polygon,
      vector: triangle(1, 90),
    });
    const now = await api.get<VersionDiff>(`/images/set_versions/${v2.id}/diff/`);
    expect(now.body.totals).toEqual({ added: 0, removed: 0, changed: 1, restored: 0 });
    expect(now.body.images[0]?.annotations[0]).toMatchObject({ fields: ['geometry'] });
    const bad = await api.get(`/images/set_versions/${v2.id}/diff/?to=yesterday`);
    expect(bad.status).toBe(400);
  });

  it('a restore is seen at once by a connected client, with who did it', async () => {
    const s = await versionScene(server);
    const [a] = await annotate(s.api(s.admin), [
      { image: s.images[0] as number, annotation_type: s.box, vector: rect(0, 0) },
    ]);
    const v1 = await makeVersion(s.api(s.admin), s.set);
    await s.api(s.admin).patch(`/annotations/annotations/${a?.id}/`, { vector: rect(300, 300) });
    const token = await s.api(s.member).post<{ token: string }>('/users/tokens/', { name: 'live' });
    const live = await openLiveDocument(server.baseUrl, `image.${s.images[0]}`, token.body.token);
    try {
      expect(readRecord(live.doc, a?.unique_identifier ?? '')?.['vector']).toEqual(rect(300, 300));
      const vectorNow = () => readRecord(live.doc, a?.unique_identifier ?? '')?.['vector'];
      const seen = new Promise<void>((resolve) => {
        live.doc.on('update', () => {
          if (isDeepStrictEqual(vectorNow(), rect(0, 0))) resolve();
        });
      });
      const notices: unknown[] = [];
      live.provider.on('stateless', ({ payload }: { payload: string }) => {
        notices.push(JSON.parse(payload));
      });
      const res = await s.api(s.admin).post(`/images/set_versions/${v1.id}/restore/`, { image: s.images[0] });
      expect(res.status).toBe(200);
      await seen;
      // Collaborators are told who restored which version (sent right after the restore's edits).
      await expect.poll(() => notices).toHaveLength(1);
      expect(restoreNotice.parse(notices[0])).toMatchObject({
        version: { id: v1.id, name: v1.name },
        by: { id: s.admin.id, username: s.admin.username },
      });
      expect(readRecord(live.doc, a?.unique_identifier ?? '')?.['edited']).toMatchObject({ by: s.admin.id });
    } finally {
      live.close();
    }
  });

  it('an unchanged image costs nothing in the next version; a changed one stores its delta only', async () => {
    const s = await versionScene(server, { images: ['a.svs', 'b.svs'] });
    const api = s.api(s.member);
    await annotate(
      api,
      Array.from({ length: 200 }, (_, i) => ({
        image: s.images[i % 2] as number,
        annotation_type: s.box,
        vector: rect(i, i),
      })),
    );
    const repo = new VersionsRepo(server.db);
    const v1 = await makeVersion(api, s.set);
    const first = await repo.addedBytes(v1.id);
    expect(first.rowCount).toBe(200);
    const v2 = await makeVersion(api, s.set);
    expect(await repo.addedBytes(v2.id)).toEqual({ blobs: 0, rows: 0, rowCount: 0 });
    const some = await api.get<Page<{ id: number }>>(
      `/annotations/annotations/?image=${s.images[0]}&limit=2`,
    );
    for (const a of some.body.results)
      await api.patch(`/annotations/annotations/${a.id}/`, { description: 'moved' });
    const v3 = await makeVersion(api, s.set);
    const third = await repo.addedBytes(v3.id);
    expect(third.rowCount).toBe(2);
    expect(third.blobs).toBeGreaterThan(0);
    expect(third.blobs + third.rows).toBeLessThan((first.blobs + first.rows) * 0.1);
    expect(Object.keys(await frozen(api, v3.id))).toHaveLength(200);
  });

  it('versions made at the same moment each hold the whole state', async () => {
    const s = await versionScene(server, { images: ['a.svs', 'b.svs'] });
    const api = s.api(s.member);
    await annotate(
      api,
      s.images.map((image) => ({ image, annotation_type: s.box, vector: rect(1, 1) })),
    );
    const made = await Promise.all([1, 2, 3].map((n) => makeVersion(api, s.set, `v${n}`)));
    for (const v of made) expect(Object.keys(await frozen(api, v.id))).toHaveLength(2);
  });

  it('checks who asks: 401, 404 for outsiders, 403 for members restoring, 400 for bad input', async () => {
    const s = await versionScene(server);
    const other = await versionScene(server);
    const v1 = await makeVersion(s.api(s.member), s.set);
    const anonymous = s.api(s.member).as(undefined);
    expect((await anonymous.get('/images/set_versions/')).status).toBe(401);
    expect((await s.api(s.outsider).get(`/images/set_versions/${v1.id}/`)).status).toBe(404);
    expect((await s.api(s.outsider).get(`/images/set_versions/${v1.id}/diff/`)).status).toBe(404);
    expect(
      (await s.api(s.outsider).get(`/annotations/annotation_versions/?version=${v1.id}`)).body,
    ).toMatchObject({
      count: 0,
    });
    expect(
      (await s.api(s.outsider).post('/images/set_versions/', { name: 'x', imagesets: [s.set] })).status,
    ).toBe(400);
    expect((await s.api(s.member).post(`/images/set_versions/${v1.id}/restore/`, {})).status).toBe(403);
    expect((await s.api(s.member).delete(`/images/set_versions/${v1.id}/`)).status).toBe(403);
    const mixed = await s
      .api(s.admin)
      .post('/images/set_versions/', { name: 'x', imagesets: [s.set, other.set] });
    expect(mixed.status).toBe(400);
    expect(
      (await s.api(s.member).post('/images/set_versions/', { name: '', imagesets: [s.set] })).status,
    ).toBe(400);
    expect((await s.api(s.member).post('/images/set_versions/', { name: 'x', imagesets: [] })).status).toBe(
      400,
    );
    expect((await s.api(s.member).get('/annotations/annotation_versions/')).status).toBe(400);
    expect((await s.api(s.admin).delete(`/images/set_versions/${v1.id}/`)).status).toBe(204);
    expect((await s.api(s.member).get(`/images/set_versions/${v1.id}/`)).status).toBe(404);
  });
});
