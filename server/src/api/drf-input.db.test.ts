import { describe, expect, it } from 'vitest';
import type { AnnotationType, Page, RestAnnotation } from '@tessera/shared';
import { Factories } from '../../../test/support/factories.js';
import { ApiClient } from '../../../test/support/http.js';
import { useTestServer } from '../../../test/support/server.js';

const server = useTestServer();
const make = () => new Factories(server.db);

/** A team admin with a product, an image and a box type: what EXACT-Sync writes into. */
async function scene() {
  const admin = await make().user();
  const team = await make().team({ admins: [admin] });
  const set = await make().imageSet(team, admin);
  const product = await make().product(team, admin, [set]);
  const box = await make().annotationType(product, { vector_type: 1 });
  const image = await make().image(set, admin);
  const api = new ApiClient(server.baseUrl, admin);
  /** POSTs a box annotation of this scene with `fields` added (as EXACT-Sync sends them). */
  const postBox = <T = unknown>(fields: Record<string, unknown>) =>
    api.post<T>('/annotations/annotations/', {
      annotation_type: box,
      image,
      vector: { x1: 1, y1: 1, x2: 2, y2: 2 },
      ...fields,
    });
  return { api, postBox, product, box, image };
}

describe('request fields as DRF reads them', () => {
  it('takes an annotation type as EXACT-Sync sends it: booleans as 1/0, numbers as text', async () => {
    const s = await scene();
    const created = await s.api.post<AnnotationType>('/annotations/annotation_types/', {
      name: 'Cell',
      product: String(s.product),
      vector_type: '5',
      closed: 1,
      enable_concealed: 1,
      area_hit_test: 0,
      multi_frame: 'off',
      active: 'yes',
      default_width: '40',
      default_height: 40.0,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      vector_type: 5,
      closed: true,
      enable_concealed: true,
      area_hit_test: false,
      multi_frame: false,
      active: true,
      default_width: 40,
      default_height: 40,
    });
  });

  it("answers each wrong value with DRF's message for its field", async () => {
    const s = await scene();
    const refused = await s.api.post('/annotations/annotation_types/', {
      name: ['x'],
      product: s.product,
      closed: 'maybe',
      default_width: 40.5,
      sort_order: 'first',
      node_count: 20_000,
      active: null,
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({
      name: ['Not a valid string.'],
      closed: ['Must be a valid boolean.'],
      default_width: ['A valid integer is required.'],
      sort_order: ['A valid integer is required.'],
      node_count: ['Ensure this value is less than or equal to 10000.'],
      active: ['This field may not be null.'],
    });
  });

  it('says "This field is required." only for a missing field', async () => {
    const s = await scene();
    const refused = await s.api.post('/annotations/annotation_types/', { product: s.product });
    expect(refused.body).toEqual({ name: ['This field is required.'] });
  });

  it('refuses an unreadable time with the formats DRF takes', async () => {
    const s = await scene();
    const refused = await s.postBox({
      time: '07.12.2026 01:00',
    });
    expect(refused.body).toEqual({
      time: [
        'Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].',
      ],
    });
  });
});

describe('microsecond timestamps', () => {
  it('come back from POST and GET as they were sent', async () => {
    const s = await scene();
    const created = await s.postBox<RestAnnotation>({
      time: '2026-12-07T01:00:37.042401',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      time: '2026-12-07T01:00:37.042401',
      last_edit_time: '2026-12-07T01:00:37.042401',
    });
    const read = await s.api.get<RestAnnotation>(`/annotations/annotations/${created.body.id}/`);
    expect(read.body.time).toBe('2026-12-07T01:00:37.042401');
  });

  it("keep a created annotation's own last_edit_time, to the microsecond", async () => {
    const s = await scene();
    const created = await s.postBox<RestAnnotation>({
      time: '2026-12-07T01:00:37.042401',
      last_edit_time: '2026-12-07T02:15:00.000007',
    });
    expect(created.status).toBe(201);
    const read = await s.api.get<RestAnnotation>(`/annotations/annotations/${created.body.id}/`);
    expect(read.body).toMatchObject({
      time: '2026-12-07T01:00:37.042401',
      last_edit_time: '2026-12-07T02:15:00.000007',
    });
  });

  it('are compared to the microsecond by the time filters', async () => {
    const s = await scene();
    const created = await s.postBox<RestAnnotation>({
      time: '2026-12-07T01:00:37.042401',
    });
    const at = (lookup: string, value: string) =>
      s.api
        .get<Page<RestAnnotation>>(
          `/annotations/annotations/?image=${s.image}&last_edit_time__${lookup}=${value}`,
        )
        .then((r) => r.body.results.map((a) => a.id));
    expect(await at('gte', '2026-12-07T01:00:37.042401')).toEqual([created.body.id]);
    expect(await at('gte', '2026-12-07T01:00:37.042402')).toEqual([]);
  });

  it('filter booleans read as DRF reads them', async () => {
    const s = await scene();
    await s.postBox({
      deleted: 'yes',
    });
    const live = await s.api.get<Page<RestAnnotation>>(
      `/annotations/annotations/?image=${s.image}&deleted=off`,
    );
    const gone = await s.api.get<Page<RestAnnotation>>(
      `/annotations/annotations/?image=${s.image}&deleted=1`,
    );
    expect([live.body.count, gone.body.count]).toEqual([0, 1]);
  });
});
