import { describe, expect, it } from 'vitest';
import { TYPE_COLORS, defaultTypeColor } from '@tessera/shared';
import type { AnnotationType, Page, Product, SetTag } from '@tessera/shared';
import { Factories } from '../../../../test/support/factories.js';
import { ApiClient } from '../../../../test/support/http.js';
import { useTestServer } from '../../../../test/support/server.js';

const server = useTestServer();
const api = () => new ApiClient(server.baseUrl);
const make = () => new Factories(server.db);

describe('administration/products/ and annotations/annotation_types/', () => {
  it('lets team admins define a product and its types; members read; outsiders 404', async () => {
    const admin = await make().user();
    const member = await make().user();
    const outsider = await make().user();
    const team = await make().team({ admins: [admin], members: [member] });
    const set = await make().imageSet(team, admin);
    const productBody = { name: 'Mitosis', team, imagesets: [set] };
    expect((await api().as(member).post('/administration/products/', productBody)).status).toBe(403);
    const product = await api().as(admin).post<Product>('/administration/products/', productBody);
    expect(product.status).toBe(201);
    expect(product.body).toMatchObject({ name: 'Mitosis', team, creator: admin.id, imagesets: [set] });

    const typeBody = {
      name: 'Mitotic figure',
      product: product.body.id,
      vector_type: 2,
      color_code: '#00FF00',
    };
    expect((await api().as(member).post('/annotations/annotation_types/', typeBody)).status).toBe(403);
    const fromOutsider = await api().as(outsider).post('/annotations/annotation_types/', typeBody);
    expect(fromOutsider.status).toBe(400);
    expect(fromOutsider.body).toHaveProperty('product');
    const type = await api().as(admin).post<AnnotationType>('/annotations/annotation_types/', typeBody);
    expect(type.status).toBe(201);
    expect(type.body).toMatchObject({
      name: 'Mitotic figure',
      vector_type: 2,
      color_code: '#00FF00',
      default_width: 50,
      active: true,
      product: product.body.id,
    });
    const badColour = await api()
      .as(admin)
      .post('/annotations/annotation_types/', { ...typeBody, name: 'x', color_code: 'red' });
    expect(badColour.body).toHaveProperty('color_code');

    expect((await api().as(member).get(`/annotations/annotation_types/${type.body.id}/`)).status).toBe(200);
    expect((await api().as(outsider).get(`/annotations/annotation_types/${type.body.id}/`)).status).toBe(404);
    expect((await api().as(outsider).get(`/administration/products/${product.body.id}/`)).status).toBe(404);

    const filtered = await api()
      .as(member)
      .get<Page<AnnotationType>>(
        `/annotations/annotation_types/?product=${product.body.id}&vector_type__range=1,3`,
      );
    expect(filtered.body.results.map((t) => t.id)).toEqual([type.body.id]);
    const none = await api()
      .as(member)
      .get<Page<AnnotationType>>(
        `/annotations/annotation_types/?product=${product.body.id}&vector_type__gte=3`,
      );
    expect(none.body.count).toBe(0);
    const withTypes = await api()
      .as(member)
      .get<{ annotationtype_set: AnnotationType[] }>(
        `/administration/products/${product.body.id}/?expand=annotationtype_set`,
      );
    expect(withTypes.body.annotationtype_set[0]?.name).toBe('Mitotic figure');
  });

  it('gives new types without a colour the next colour of the palette, keeping explicit ones', async () => {
    const admin = await make().user();
    const team = await make().team({ admins: [admin] });
    const product = await make().product(team, admin);
    const create = async (name: string, color?: string) => {
      const body = { name, product, ...(color === undefined ? {} : { color_code: color }) };
      const answer = await api().as(admin).post<AnnotationType>('/annotations/annotation_types/', body);
      expect(answer.status).toBe(201);
      return answer.body.color_code;
    };
    const colours = [await create('a'), await create('b'), await create('c', '#123456'), await create('d')];
    // The product had 0, 1, 2 and 3 types: palette entries 0, 1, (explicit), 3.
    expect(colours).toEqual([TYPE_COLORS[0], TYPE_COLORS[1], '#123456', TYPE_COLORS[3]]);
    expect(new Set(colours).size).toBe(4);
    expect(defaultTypeColor(TYPE_COLORS.length + 2)).toBe(TYPE_COLORS[2]); // cycling
  });

  it('shares the products of a public set with every signed-in user, read-only', async () => {
    const admin = await make().user();
    const reader = await make().user();
    const team = await make().team({ admins: [admin] });
    const set = await make().imageSet(team, admin, { public: true });
    const product = await make().product(team, admin, [set]);
    const type = await make().annotationType(product);
    expect((await api().as(reader).get(`/administration/products/${product}/`)).status).toBe(200);
    expect((await api().as(reader).get(`/annotations/annotation_types/${type}/`)).status).toBe(200);
    expect(
      (await api().as(reader).patch(`/annotations/annotation_types/${type}/`, { name: 'x' })).status,
    ).toBe(403); // seen, so refused with 403
  });

  it('keeps a product within its team: image sets of other teams are refused', async () => {
    const admin = await make().user();
    const team = await make().team({ admins: [admin] });
    const otherTeam = await make().team({ admins: [admin] });
    const foreignSet = await make().imageSet(otherTeam, admin);
    const res = await api()
      .as(admin)
      .post('/administration/products/', { name: 'p', team, imagesets: [foreignSet] });
    expect(res.status).toBe(400);
    expect(res.body).toHaveProperty('imagesets');
  });

  it('updates and deletes types and products as team admin', async () => {
    const admin = await make().user();
    const team = await make().team({ admins: [admin] });
    const product = await make().product(team, admin);
    const type = await make().annotationType(product, { sort_order: 3 });
    const patched = await api()
      .as(admin)
      .patch<AnnotationType>(`/annotations/annotation_types/${type}/`, { active: false });
    expect(patched.body).toMatchObject({ active: false, sort_order: 3 });
    expect((await api().as(admin).delete(`/annotations/annotation_types/${type}/`)).status).toBe(204);
    expect((await api().as(admin).delete(`/administration/products/${product}/`)).status).toBe(204);
  });
});

describe('images/set_tags/', () => {
  it('is one vocabulary: anyone adds, only superusers rename, and sets are listed by visibility', async () => {
    const admin = await make().user();
    const outsider = await make().user();
    const superuser = await make().user({ superuser: true });
    const team = await make().team({ admins: [admin] });
    const set = await make().imageSet(team, admin);
    const tag = await api()
      .as(admin)
      .post<SetTag>('/images/set_tags/', { name: `he-stain-${set}` });
    expect(tag.status).toBe(201);
    await api()
      .as(admin)
      .patch(`/images/image_sets/${set}/`, { set_tags: [tag.body.id] });
    const mine = await api().as(admin).get<SetTag>(`/images/set_tags/${tag.body.id}/`);
    expect(mine.body.imagesets).toEqual([set]);
    const theirs = await api().as(outsider).get<SetTag>(`/images/set_tags/${tag.body.id}/`);
    expect(theirs.body.imagesets).toEqual([]);
    expect((await api().as(admin).patch(`/images/set_tags/${tag.body.id}/`, { name: 'y' })).status).toBe(403);
    expect(
      (
        await api()
          .as(superuser)
          .patch(`/images/set_tags/${tag.body.id}/`, { name: `ihc-${set}` })
      ).status,
    ).toBe(200);
    const byName = await api().as(outsider).get<Page<SetTag>>(`/images/set_tags/?name__contains=ihc-${set}`);
    expect(byName.body.count).toBe(1);
    const dup = await api()
      .as(outsider)
      .post('/images/set_tags/', { name: `ihc-${set}` });
    expect(dup.status).toBe(400);
  });
});
