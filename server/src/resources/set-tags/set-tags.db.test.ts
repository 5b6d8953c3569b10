import { describe, expect, it } from 'vitest';
import type { ImageSet, SetTag } from '@tessera/shared';
import { Factories } from '../../../../test/support/factories.js';
import { ApiClient } from '../../../../test/support/http.js';
import { useTestServer } from '../../../../test/support/server.js';

const server = useTestServer();
const make = () => new Factories(server.db);
const api = () => new ApiClient(server.baseUrl);

async function scene() {
  const admin = await make().user();
  const member = await make().user();
  const otherAdmin = await make().user();
  const team = await make().team({ admins: [admin], members: [member] });
  const otherTeam = await make().team({ admins: [otherAdmin] });
  const set = await make().imageSet(team, admin);
  const second = await make().imageSet(team, admin);
  const foreign = await make().imageSet(otherTeam, otherAdmin);
  return { admin, member, otherAdmin, set, second, foreign };
}

const unique = () => `tag-${Math.random().toString(36).slice(2)}`;

describe('images/set_tags/ links to image sets', () => {
  it('links a new tag to the sets given and shows it on them', async () => {
    const s = await scene();
    const created = await api()
      .as(s.admin)
      .post<SetTag>('/images/set_tags/', { name: unique(), imagesets: [s.set, s.second] });
    expect(created.status).toBe(201);
    expect(created.body.imagesets).toEqual([s.set, s.second]);
    const set = await api().as(s.member).get<ImageSet>(`/images/image_sets/${s.set}/`);
    expect(set.body.set_tags).toContain(created.body.id);
  });

  it('relinks among the sets the caller administers and keeps other teams’ links', async () => {
    const s = await scene();
    const tag = await api()
      .as(s.admin)
      .post<SetTag>('/images/set_tags/', { name: unique(), imagesets: [s.set] });
    const path = `/images/set_tags/${tag.body.id}/`;
    const foreignLink = await api()
      .as(s.otherAdmin)
      .patch<SetTag>(path, { imagesets: [s.foreign] });
    expect(foreignLink.status).toBe(200);
    expect(foreignLink.body.imagesets).toEqual([s.foreign]);
    const moved = await api()
      .as(s.admin)
      .patch<SetTag>(path, { imagesets: [s.second] });
    expect(moved.status).toBe(200);
    expect(moved.body.imagesets).toEqual([s.second]);
    const rows = await server.db.query<{ image_set_id: number }>(
      'SELECT image_set_id FROM image_set_tags WHERE set_tag_id = $1 ORDER BY 1',
      [tag.body.id],
    );
    expect(rows.map((r) => r.image_set_id)).toEqual([s.second, s.foreign].sort((a, b) => a - b));
  });

  it('answers 401, 403 for members, 400 for sets the caller cannot see, and 404 for unknown tags', async () => {
    const s = await scene();
    expect((await api().post('/images/set_tags/', { name: unique(), imagesets: [s.set] })).status).toBe(401);
    const byMember = await api()
      .as(s.member)
      .post('/images/set_tags/', { name: unique(), imagesets: [s.set] });
    expect(byMember.status).toBe(403);
    const foreign = await api()
      .as(s.admin)
      .post<{ imagesets: string[] }>('/images/set_tags/', { name: unique(), imagesets: [s.foreign] });
    expect(foreign.status).toBe(400);
    expect(foreign.body.imagesets[0]).toMatch(/does not exist/);
    const bad = await api()
      .as(s.admin)
      .post('/images/set_tags/', { name: unique(), imagesets: ['x'] });
    expect(bad.status).toBe(400);
    expect((await api().as(s.admin).patch('/images/set_tags/2000000000/', { imagesets: [] })).status).toBe(
      404,
    );
    const tag = await api().as(s.admin).post<SetTag>('/images/set_tags/', { name: unique() });
    const rename = await api().as(s.admin).patch(`/images/set_tags/${tag.body.id}/`, { name: unique() });
    expect(rename.status).toBe(403);
  });
});
