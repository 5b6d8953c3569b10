import { describe, expect, it } from 'vitest';
import type { ImageSet, Page } from '@tessera/shared';
import { Factories } from '../../../../test/support/factories.js';
import { ApiClient } from '../../../../test/support/http.js';
import { useTestServer } from '../../../../test/support/server.js';

const server = useTestServer();
const api = () => new ApiClient(server.baseUrl);
const make = () => new Factories(server.db);

async function scene() {
  const admin = await make().user();
  const member = await make().user();
  const outsider = await make().user();
  const superuser = await make().user({ superuser: true });
  const team = await make().team({ admins: [admin], members: [member] });
  return { admin, member, outsider, superuser, team };
}

describe('images/image_sets/', () => {
  it('lets team admins create sets with EXACT fields; members 403; outsiders see a 400 on the team', async () => {
    const { admin, member, outsider, team } = await scene();
    const body = { name: 'Mitotic figures', team, description: 'canine cutaneous MCT' };
    expect((await api().as(member).post('/images/image_sets/', body)).status).toBe(403);
    const bad = await api().as(outsider).post('/images/image_sets/', body);
    expect(bad.status).toBe(400);
    expect(bad.body).toHaveProperty('team');
    const created = await api().as(admin).post<ImageSet>('/images/image_sets/', body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Mitotic figures',
      team,
      creator: admin.id,
      images: [],
      product_set: [],
      set_tags: [],
      main_annotation_type: null,
      collaboration_type: 0,
      public: false,
      path: `imageset_${created.body.id}`,
    });
    const dup = await api().as(admin).post('/images/image_sets/', body);
    expect(dup.status).toBe(400);
    expect(dup.body).toHaveProperty('name');
  });

  it('shows sets to team members and, when public, to everyone signed in; otherwise 404', async () => {
    const { admin, member, outsider, superuser, team } = await scene();
    const privateSet = await make().imageSet(team, admin);
    const publicSet = await make().imageSet(team, admin, { public: true });
    expect((await api().as(member).get(`/images/image_sets/${privateSet}/`)).status).toBe(200);
    expect((await api().as(superuser).get(`/images/image_sets/${privateSet}/`)).status).toBe(200);
    expect((await api().as(outsider).get(`/images/image_sets/${privateSet}/`)).status).toBe(404);
    expect((await api().as(outsider).get(`/images/image_sets/${publicSet}/`)).status).toBe(200);
    const listed = await api().as(outsider).get<Page<ImageSet>>(`/images/image_sets/?team=${team}`);
    expect(listed.body.results.map((s) => s.id)).toEqual([publicSet]);
    // Public means readable, not writable: the reader sees the set, so refusing the change is a 403.
    expect((await api().as(outsider).patch(`/images/image_sets/${publicSet}/`, { name: 'x' })).status).toBe(
      403,
    );
    expect((await api().as(member).patch(`/images/image_sets/${publicSet}/`, { name: 'x' })).status).toBe(
      403,
    );
  });

  it('updates tags, products and the main annotation type with their rules', async () => {
    const { admin, team } = await scene();
    const set = await make().imageSet(team, admin);
    const product = await make().product(team, admin);
    const type = await make().annotationType(product);
    const foreignTeam = await make().team({ admins: [admin] });
    const foreignProduct = await make().product(foreignTeam, admin);
    const tag = await api()
      .as(admin)
      .post<{ id: number }>('/images/set_tags/', { name: `tag-${set}` });
    const path = `/images/image_sets/${set}/`;
    const wrongType = await api().as(admin).patch(path, { main_annotation_type: type });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body).toHaveProperty('main_annotation_type');
    expect(
      (
        await api()
          .as(admin)
          .patch(path, { product_set: [foreignProduct] })
      ).status,
    ).toBe(400);
    expect(
      (
        await api()
          .as(admin)
          .patch(path, { set_tags: [987_654] })
      ).status,
    ).toBe(400);
    const ok = await api()
      .as(admin)
      .patch<ImageSet>(path, {
        product_set: [product],
        main_annotation_type: type,
        set_tags: [tag.body.id],
        collaboration_type: 1,
      });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      product_set: [product],
      main_annotation_type: type,
      set_tags: [tag.body.id],
    });
    expect(ok.body.collaboration_type).toBe(1);
    const invalidMode = await api().as(admin).patch(path, { collaboration_type: 7 });
    expect(invalidMode.status).toBe(400);
  });

  it('expands, selects and omits fields, dotted for depth', async () => {
    const { admin, team } = await scene();
    const set = await make().imageSet(team, admin);
    const res = await api()
      .as(admin)
      .get<Page<Record<string, unknown>>>(
        `/images/image_sets/?id=${set}&expand=team,creator&fields=id,name,team.name,creator.username`,
      );
    expect(res.status).toBe(200);
    const [first] = res.body.results;
    expect(first).toEqual({
      id: set,
      name: expect.any(String) as string,
      team: { name: expect.any(String) as string },
      creator: { username: admin.username },
    });
    const omitted = await api()
      .as(admin)
      .get<Record<string, unknown>>(`/images/image_sets/${set}/?omit=images,product_set`);
    expect(omitted.body).not.toHaveProperty('images');
    expect(omitted.body).not.toHaveProperty('product_set');
    expect(omitted.body).toHaveProperty('name');
    const deep = await api()
      .as(admin)
      .get<{ team: { memberships: { user: { username: string } }[] } }>(
        `/images/image_sets/${set}/?expand=team.memberships.user`,
      );
    expect(deep.body.team.memberships[0]?.user.username).toBe(admin.username);
    const tooDeep = await api().as(admin).get(`/images/image_sets/${set}/?expand=a.b.c.d`);
    expect(tooDeep.status).toBe(400);
  });

  it('pages with limit/offset, next/previous links, and an empty page past the end', async () => {
    const { admin, team } = await scene();
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push(await make().imageSet(team, admin));
    const first = await api().as(admin).get<Page<ImageSet>>(`/images/image_sets/?team=${team}&limit=2`);
    expect(first.body.count).toBe(5);
    expect(first.body.results.map((s) => s.id)).toEqual(ids.slice(0, 2));
    expect(first.body.previous).toBeNull();
    const next = new URL(first.body.next ?? '');
    expect(next.searchParams.get('offset')).toBe('2');
    expect(next.searchParams.get('team')).toBe(String(team));
    const second = await api()
      .as(admin)
      .get<Page<ImageSet>>(`${next.pathname.replace('/api/v1', '')}${next.search}`);
    expect(second.body.results.map((s) => s.id)).toEqual(ids.slice(2, 4));
    expect(new URL(second.body.previous ?? '').searchParams.get('offset')).toBeNull();
    const past = await api()
      .as(admin)
      .get<Page<ImageSet>>(`/images/image_sets/?team=${team}&limit=2&offset=50`);
    expect(past.status).toBe(200);
    expect(past.body).toMatchObject({ count: 5, next: null, results: [] });
    expect(past.body.previous).not.toBeNull();
  });

  it('deletes for admins only', async () => {
    const { admin, member, team } = await scene();
    const set = await make().imageSet(team, admin);
    expect((await api().as(member).delete(`/images/image_sets/${set}/`)).status).toBe(403);
    expect((await api().as(admin).delete(`/images/image_sets/${set}/`)).status).toBe(204);
    expect((await api().as(admin).get(`/images/image_sets/${set}/`)).status).toBe(404);
  });
});
