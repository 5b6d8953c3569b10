import { describe, expect, it, vi } from 'vitest';
import type { Image, Page, RestAnnotation } from '@tessera/shared';
import { Factories } from '../../../../test/support/factories.js';
import { ApiClient } from '../../../../test/support/http.js';
import { useTestServer } from '../../../../test/support/server.js';
import { ACCESS_CHANNEL } from '../../collab/access-notices.js';
import { listenForNotices } from '../../db/notices.js';

const server = useTestServer();
const make = () => new Factories(server.db);
const api = () => new ApiClient(server.baseUrl);

async function scene() {
  const admin = await make().user();
  const member = await make().user();
  const outsider = await make().user();
  const team = await make().team({ admins: [admin], members: [member] });
  const set = await make().imageSet(team, admin);
  const other = await make().imageSet(team, admin);
  const image = await make().image(set, admin, 'Patient Doe.png');
  return { admin, member, outsider, team, set, other, image };
}

describe('PATCH and PUT images/images/<id>/', () => {
  it('lets a team admin rename an image and correct its resolution', async () => {
    const s = await scene();
    const patched = await api().as(s.admin).patch<Image>(`/images/images/${s.image}/`, {
      name: 'slide-1.png',
      mpp: 0.25,
      objectivePower: 40,
      unknown_key: 'ignored',
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      name: 'slide-1.png',
      mpp: 0.25,
      objectivePower: 40,
      image_set: s.set,
    });
    const put = await api().as(s.admin).put<Image>(`/images/images/${s.image}/`, {
      name: 'slide-2.png',
      image_set: s.set,
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ name: 'slide-2.png', mpp: 0.25 });
  });

  it('answers 401, 403 for members, 404 for outsiders and 400 for bad fields', async () => {
    const s = await scene();
    const path = `/images/images/${s.image}/`;
    expect((await api().patch(path, { name: 'x' })).status).toBe(401);
    expect((await api().as(s.member).patch(path, { name: 'x' })).status).toBe(403);
    expect((await api().as(s.outsider).patch(path, { name: 'x' })).status).toBe(404);
    const bad = await api().as(s.admin).patch<Record<string, string[]>>(path, { name: '', mpp: -1 });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body)).toEqual(expect.arrayContaining(['name', 'mpp']));
    const incomplete = await api().as(s.admin).put<Record<string, string[]>>(path, { name: 'x' });
    expect(incomplete.status).toBe(400);
    expect(incomplete.body).toHaveProperty('image_set');
  });

  it('moves an image with its annotations to another set of the team', async () => {
    const s = await scene();
    const product = await make().product(s.team, s.admin, [s.set, s.other]);
    const box = await make().annotationType(product, { vector_type: 1 });
    const before = await api()
      .as(s.member)
      .post<RestAnnotation>('/annotations/annotations/', {
        annotation_type: box,
        image: s.image,
        vector: { x1: 1, y1: 2, x2: 3, y2: 4 },
      });
    expect(before.status).toBe(201);
    const moved = await api().as(s.admin).patch<Image>(`/images/images/${s.image}/`, { image_set: s.other });
    expect(moved.status).toBe(200);
    expect(moved.body.image_set).toBe(s.other);
    // Rows written after the move, through the document loaded before it, land in the new set too.
    const after = await api()
      .as(s.member)
      .post<RestAnnotation>('/annotations/annotations/', {
        annotation_type: box,
        image: s.image,
        vector: { x1: 5, y1: 6, x2: 7, y2: 8 },
      });
    expect(after.status).toBe(201);
    const idsInSet = async (set: number) => {
      const path = `/annotations/annotations/?image__image_set=${set}`;
      return (await api().as(s.member).get<Page<RestAnnotation>>(path)).body.results.map((a) => a.id).sort();
    };
    expect(await idsInSet(s.other)).toEqual([before.body.id, after.body.id].sort());
    expect(await idsInSet(s.set)).toEqual([]);
    const sets = await api().as(s.member).get<{ images: number[] }>(`/images/image_sets/${s.other}/`);
    expect(sets.body.images).toEqual([s.image]);
  });

  it('refuses moves into sets of other teams, unknown sets, and between blind and shared sets', async () => {
    const s = await scene();
    const path = `/images/images/${s.image}/`;
    const foreignTeam = await make().team({ admins: [s.admin] });
    const foreign = await make().imageSet(foreignTeam, s.admin);
    const hiddenTeam = await make().team({ admins: [s.outsider] });
    const hidden = await make().imageSet(hiddenTeam, s.outsider);
    const blind = await make().imageSet(s.team, s.admin);
    await server.db.query('UPDATE image_sets SET collaboration_type = 1 WHERE id = $1', [blind]);
    const cases: [number, RegExp][] = [
      [foreign, /same team/],
      [hidden, /does not exist/],
      [2_000_000_000, /does not exist/],
      [blind, /blind/],
    ];
    for (const [target, message] of cases) {
      const res = await api().as(s.admin).patch<{ image_set: string[] }>(path, { image_set: target });
      expect(res.status).toBe(400);
      expect(res.body.image_set[0]).toMatch(message);
    }
    const unchanged = await api().as(s.admin).get<Image>(path);
    expect(unchanged.body.image_set).toBe(s.set);
  });

  it('notifies the old set, so that open connections to the document follow the move', async () => {
    const s = await scene();
    const heard: string[] = [];
    const listener = listenForNotices(server.url, ACCESS_CHANNEL, {
      onNotice: (payload) => heard.push(payload),
      onResume: () => undefined,
      onError: () => undefined,
    });
    try {
      await listener.listening;
      await api().as(s.admin).patch(`/images/images/${s.image}/`, { name: 'renamed.png' });
      const res = await api().as(s.admin).patch(`/images/images/${s.image}/`, { image_set: s.other });
      expect(res.status).toBe(200);
      await vi.waitFor(() => {
        expect(heard).toContain(`set:${s.set}`);
      });
      // The rename sent nothing: only the move, once.
      expect(heard.filter((p) => p.startsWith('set:'))).toEqual([`set:${s.set}`]);
    } finally {
      await listener.close();
    }
  });
});
