import { describe, expect, it } from 'vitest';
import { UNSTORABLE_TEXT_MESSAGE, type Page, type RestAnnotation } from '@tessera/shared';
import { Factories } from '../../../test/support/factories.js';
import { ApiClient } from '../../../test/support/http.js';
import { useTestServer } from '../../../test/support/server.js';

const server = useTestServer();

async function scene() {
  const f = new Factories(server.db);
  const admin = await f.user();
  const team = await f.team({ admins: [admin] });
  const set = await f.imageSet(team, admin);
  const product = await f.product(team, admin, [set]);
  const type = await f.annotationType(product, { vector_type: 1 });
  const image = await f.image(set, admin);
  return { api: new ApiClient(server.baseUrl, admin), team, set, type, image };
}

describe('input PostgreSQL cannot take is a 400 with a message, before anything is written', () => {
  it('a description with NUL or a lone surrogate: refused, nothing created, a retry cannot duplicate', async () => {
    const s = await scene();
    for (const description of ['a\u0000b', 'x\uD800']) {
      const res = await s.api.post('/annotations/annotations/', {
        annotation_type: s.type,
        image: s.image,
        vector: { x1: 1, y1: 1, x2: 5, y2: 5 },
        description,
      });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ description: [UNSTORABLE_TEXT_MESSAGE] });
    }
    const list = await s.api.get<Page<RestAnnotation>>(`/annotations/annotations/?image=${s.image}`);
    expect(list.body.count).toBe(0);
  });

  it('team, image set and product names with NUL', async () => {
    const s = await scene();
    const team = await s.api.post('/users/teams/', { name: 'lab\u0000' });
    expect(team.status).toBe(400);
    expect(team.body).toEqual({ name: [UNSTORABLE_TEXT_MESSAGE] });
    const set = await s.api.patch(`/images/image_sets/${s.set}/`, { name: 'set\u0000' });
    expect(set.status).toBe(400);
    const product = await s.api.post('/administration/products/', { name: 'p\u0000', team: s.team });
    expect(product.status).toBe(400);
  });

  it.each([
    ['annotations', '/annotations/annotations/?last_edit_time__gte=2020-02-30', 'last_edit_time__gte'],
    ['image sets', '/images/image_sets/?time__gte=2021-02-29', 'time__gte'],
    ['images', '/images/images/?time__gte=2020-01-01T25:00', 'time__gte'],
  ])('an impossible date in a filter of %s', async (_what, path, key) => {
    const s = await scene();
    const res = await s.api.get(path);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ [key]: ['Enter a valid date/time.'] });
  });

  it('a whole number filter beyond its smallint column matches nothing instead of failing', async () => {
    const s = await scene();
    const res = await s.api.get('/images/image_sets/?priority=2147483647');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ count: 0 });
  });

  it('an unknown filter or lookup names itself instead of answering the whole list', async () => {
    const s = await scene();
    const res = await s.api.get('/images/image_sets/?name__regex=^x');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      name__regex: ['Unknown filter "name__regex": name takes the lookups exact, contains, in.'],
    });
    const known = await s.api.get('/images/image_sets/?limit=5&offset=0&expand=team&omit=images&format=json');
    expect(known.status).toBe(200);
  });

  it('a superuser naming a team that does not exist, and deleting a team that still owns sets', async () => {
    const s = await scene();
    const root = new ApiClient(server.baseUrl, await new Factories(server.db).user({ superuser: true }));
    const product = await root.post('/administration/products/', { name: 'p', team: 2_147_483_647 });
    expect(product.status).toBe(400);
    expect(product.body).toEqual({ team: ['Invalid pk "2147483647" - object does not exist.'] });
    const team = await root.delete(`/users/teams/${s.team}/`);
    expect(team.status).toBe(409);
  });
});
