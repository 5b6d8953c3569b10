import { describe, expect, it } from 'vitest';
import type { RestoreReport, VersionDiff } from '@tessera/shared';
import { useTestServer } from '../../../test/support/server.js';
import { annotate, makeVersion, rect, triangle, versionScene } from '../../../test/support/versions.js';

const server = useTestServer();

type Scene = Awaited<ReturnType<typeof versionScene>>;
type Api = ReturnType<Scene['api']>;

async function diff(api: Api, from: number, to: number | 'now'): Promise<VersionDiff> {
  const res = await api.get<VersionDiff>(`/images/set_versions/${from}/diff/?to=${to}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

const counts = (added: number, removed: number, changed: number, restored: number) => ({
  added,
  removed,
  changed,
  restored,
});

describe('version diffs count what a viewer sees, in every direction', () => {
  it('a deleted annotation is removed, and restored the other way round', async () => {
    const s = await versionScene(server);
    const api = s.api(s.member);
    const [a] = await annotate(api, [
      { image: s.images[0] as number, annotation_type: s.box, vector: rect(0, 0) },
    ]);
    const v1 = await makeVersion(api, s.set);
    expect((await api.delete(`/annotations/annotations/${a?.id}/`)).status).toBe(204);
    expect((await diff(api, v1.id, 'now')).totals).toEqual(counts(0, 1, 0, 0));
    const v2 = await makeVersion(api, s.set);
    const forward = await diff(api, v1.id, v2.id);
    expect(forward.totals).toEqual(counts(0, 1, 0, 0));
    expect(forward.images[0]?.annotations).toEqual([
      { unique_identifier: a?.unique_identifier, annotation_type: s.box, change: 'removed', fields: [] },
    ]);
    const backward = await diff(api, v2.id, v1.id);
    expect(backward.totals).toEqual(counts(0, 0, 0, 1));
    expect(backward.images[0]?.annotations[0]?.change).toBe('restored');
  });

  it('a change names its fields both ways; an addition is removed backwards', async () => {
    const s = await versionScene(server);
    const api = s.api(s.member);
    const image = s.images[0] as number;
    const [moved] = await annotate(api, [{ image, annotation_type: s.box, vector: rect(0, 0) }]);
    const v1 = await makeVersion(api, s.set);
    await api.patch(`/annotations/annotations/${moved?.id}/`, { vector: rect(5, 5), description: 'x' });
    const [added] = await annotate(api, [{ image, annotation_type: s.polygon, vector: triangle(9, 9) }]);
    // Made and deleted between the versions: visible on neither side, so no difference at all.
    const [fleeting] = await annotate(api, [{ image, annotation_type: s.box, vector: rect(50, 50) }]);
    await api.delete(`/annotations/annotations/${fleeting?.id}/`);
    const v2 = await makeVersion(api, s.set);

    const forward = await diff(api, v1.id, v2.id);
    expect(forward.totals).toEqual(counts(1, 0, 1, 0));
    expect(forward.images[0]?.by_type).toEqual({
      [s.box]: counts(0, 0, 1, 0),
      [s.polygon]: counts(1, 0, 0, 0),
    });
    const byId = new Map(forward.images[0]?.annotations.map((a) => [a.unique_identifier, a]));
    expect(byId.get(moved?.unique_identifier ?? '')).toMatchObject({
      change: 'changed',
      fields: ['geometry', 'description'],
    });
    expect(byId.get(added?.unique_identifier ?? '')?.change).toBe('added');
    expect(byId.has(fleeting?.unique_identifier ?? '')).toBe(false);
    expect((await diff(api, v2.id, v1.id)).totals).toEqual(counts(0, 1, 1, 0));
    expect((await diff(api, v1.id, 'now')).totals).toEqual(counts(1, 0, 1, 0));
  });

  it('after restoring a version, nothing differs from it, now or in a later version', async () => {
    const s = await versionScene(server, { images: ['a.svs', 'b.svs'] });
    const api = s.api(s.member);
    const [one, two] = await annotate(api, [
      { image: s.images[0] as number, annotation_type: s.box, vector: rect(0, 0) },
      { image: s.images[1] as number, annotation_type: s.polygon, vector: triangle(5, 5) },
    ]);
    const v1 = await makeVersion(api, s.set, 'first');
    await api.patch(`/annotations/annotations/${one?.id}/`, { vector: rect(100, 100) });
    await api.delete(`/annotations/annotations/${two?.id}/`);
    await annotate(api, [{ image: s.images[0] as number, annotation_type: s.box, vector: rect(50, 50) }]);
    const v2 = await makeVersion(api, s.set, 'second');
    expect((await diff(api, v1.id, 'now')).totals).toEqual(counts(1, 1, 1, 0));

    const restored = await s.api(s.admin).post<RestoreReport>(`/images/set_versions/${v1.id}/restore/`, {});
    expect(restored.status).toBe(200);
    expect((await diff(api, v1.id, 'now')).totals).toEqual(counts(0, 0, 0, 0));
    // From the second version the restore undid each of its differences, one kind each.
    expect((await diff(api, v2.id, 'now')).totals).toEqual(counts(0, 1, 1, 1));
    const v3 = await makeVersion(api, s.set, 'after restore');
    expect(await diff(api, v1.id, v3.id)).toMatchObject({ totals: counts(0, 0, 0, 0), images: [] });
    expect((await diff(api, v3.id, v1.id)).totals).toEqual(counts(0, 0, 0, 0));
  });

  it('compares two versions per image and type, within the team only', async () => {
    const s = await versionScene(server, { images: ['a.svs', 'b.svs'] });
    const other = await versionScene(server);
    const api = s.api(s.member);
    const v1 = await makeVersion(api, s.set);
    await annotate(api, [
      { image: s.images[0] as number, annotation_type: s.box, vector: rect(0, 0) },
      { image: s.images[1] as number, annotation_type: s.polygon, vector: triangle(5, 5) },
      { image: s.images[1] as number, annotation_type: s.polygon, vector: triangle(25, 5) },
    ]);
    const v2 = await makeVersion(api, s.set);
    const compared = await diff(api, v1.id, v2.id);
    expect(compared.images.map((i) => [i.image, i.added, i.by_type])).toEqual([
      [s.images[0], 1, { [s.box]: counts(1, 0, 0, 0) }],
      [s.images[1], 2, { [s.polygon]: counts(2, 0, 0, 0) }],
    ]);
    expect(compared.images[1]?.annotations).toHaveLength(2);

    // Policy version.see on both sides: an outsider sees neither; a version of another team is 404.
    const foreign = await makeVersion(other.api(other.member), other.set);
    expect((await s.api(s.outsider).get(`/images/set_versions/${v1.id}/diff/?to=${v2.id}`)).status).toBe(404);
    expect((await api.get(`/images/set_versions/${v1.id}/diff/?to=${foreign.id}`)).status).toBe(404);
    expect((await api.get(`/images/set_versions/${v1.id}/diff/?to=999999999`)).status).toBe(404);
    expect((await api.get(`/images/set_versions/${v1.id}/diff/?to=-1`)).status).toBe(400);
    expect((await api.as(undefined).get(`/images/set_versions/${v1.id}/diff/?to=${v2.id}`)).status).toBe(401);
    expect((await s.api(s.admin).get(`/images/set_versions/${v2.id}/diff/?to=${v1.id}`)).status).toBe(200);
  });
});
