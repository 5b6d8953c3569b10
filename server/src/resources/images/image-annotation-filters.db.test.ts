import { describe, expect, it } from 'vitest';
import type { Page, RestAnnotation } from '@tessera/shared';
import { Factories } from '../../../../test/support/factories.js';
import { ApiClient } from '../../../../test/support/http.js';
import { useTestServer } from '../../../../test/support/server.js';

const server = useTestServer();
const make = () => new Factories(server.db);

describe("images/images/ filtered by their annotations (EXACT's filters)", () => {
  it('filters by annotation type, live annotation counts and verification', async () => {
    const admin = await make().user();
    const team = await make().team({ admins: [admin] });
    const set = await make().imageSet(team, admin);
    const product = await make().product(team, admin, [set]);
    const cell = await make().annotationType(product);
    const mitosis = await make().annotationType(product);
    const [none, two, three] = [
      await make().image(set, admin, 'none.svs'),
      await make().image(set, admin, 'two.svs'),
      await make().image(set, admin, 'three.svs'),
    ];
    const api = new ApiClient(server.baseUrl, admin);
    const box = (image: number, type: number) => ({
      image,
      annotation_type: type,
      vector: { x1: 1, y1: 1, x2: 5, y2: 5 },
    });
    const created = await api.post<RestAnnotation[]>('/annotations/annotations/', [
      box(two, cell),
      box(two, cell),
      box(three, cell),
      box(three, mitosis),
      box(three, mitosis),
      { ...box(none, mitosis), deleted: true },
    ]);
    expect(created.status).toBe(201);
    const ids = async (query: string) =>
      (await api.get<Page<{ id: number }>>(`/images/images/?image_set=${set}&${query}`)).body.results
        .map((i) => i.id)
        .sort((a, b) => a - b);
    expect(await ids(`annotation_type=${mitosis}`)).toEqual([three]);
    expect(await ids(`annotation_type__in=${cell},${mitosis}`)).toEqual([two, three]);
    expect(await ids('num_annotations_min=2')).toEqual([two, three]);
    expect(await ids('num_annotations_min=3')).toEqual([three]);
    expect(await ids('num_annotations_max=0')).toEqual([none]);
    expect(await ids('verified=true')).toEqual([]);
    const verdict = await api.post('/annotations/verifications/', { annotation: created.body[0]?.id });
    expect(verdict.status).toBe(201);
    expect(await ids('verified=true')).toEqual([two]);
    expect(await ids('verified=false')).toEqual([none, three]);
    expect((await api.get('/images/images/?num_annotations_min=many')).status).toBe(400);
  });
});
