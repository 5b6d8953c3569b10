import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readRecord, type Page, type RestAnnotation } from '@tessera/shared';
import { openLiveDocument } from '../../../../test/support/collab-client.js';
import { Factories } from '../../../../test/support/factories.js';
import { ApiClient } from '../../../../test/support/http.js';
import { useTestServer } from '../../../../test/support/server.js';
import { ImageSetsRepo } from '../image-sets/image-sets.repo.js';

const server = useTestServer();
const make = () => new Factories(server.db);

async function scene(o: { blind?: boolean; public?: boolean } = {}) {
  const admin = await make().user();
  const member = await make().user();
  const other = await make().user();
  const outsider = await make().user();
  const team = await make().team({ admins: [admin], members: [member, other] });
  const set = await make().imageSet(team, admin, { public: o.public ?? false });
  if (o.blind) await new ImageSetsRepo(server.db).update(set, { collaboration_type: 1 });
  const product = await make().product(team, admin, [set]);
  const box = await make().annotationType(product, { vector_type: 1 });
  const polygon = await make().annotationType(product, { vector_type: 5 });
  const image = await make().image(set, admin);
  const api = (u: { username: string; password: string }) => new ApiClient(server.baseUrl, u);
  return { admin, member, other, outsider, set, box, polygon, image, api };
}

describe('annotations/annotations/ through the live document', () => {
  it('creates with EXACT fields, shows the write to an open client at once, and reads it back from SQL', async () => {
    const s = await scene();
    const token = await s.api(s.member).post<{ token: string }>('/users/tokens/', { name: 'live' });
    const live = await openLiveDocument(server.baseUrl, `image.${s.image}`, token.body.token);
    const uuid = randomUUID();
    const created = await s.api(s.member).post<RestAnnotation>('/annotations/annotations/', {
      annotation_type: s.box,
      image: s.image,
      vector: { x1: 10, y1: 20, x2: 30, y2: 40 },
      unique_identifier: uuid,
      description: 'mitosis',
      time: '2024-05-01T10:11:12.123456',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      unique_identifier: uuid,
      annotation_type: s.box,
      image: s.image,
      vector: { x1: 10, y1: 20, x2: 30, y2: 40 },
      user: s.member.id,
      last_editor: s.member.id,
      deleted: false,
      time: '2024-05-01T10:11:12.123456',
    });
    // The open client has it already: REST writes go through the document.
    expect(readRecord(live.doc, uuid)?.['description']).toBe('mitosis');
    live.close();
    const again = await s.api(s.member).post<RestAnnotation>('/annotations/annotations/', {
      annotation_type: s.box,
      image: s.image,
      vector: { x1: 11, y1: 21, x2: 31, y2: 41 },
      unique_identifier: uuid,
    });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(created.body.id);
    expect(again.body.vector).toEqual({ x1: 11, y1: 21, x2: 31, y2: 41 });
  });

  it('keeps the document loaded a moment after a write, so a run of single writes loads it once', async () => {
    const s = await scene();
    const name = `image.${s.image}`;
    const loaded = () => server.collab.hocuspocus.documents.has(name);
    const write = (i: number) =>
      s.api(s.member).post<RestAnnotation>('/annotations/annotations/', {
        annotation_type: s.box,
        image: s.image,
        vector: { x1: i, y1: i, x2: i + 5, y2: i + 5 },
      });
    const document = async () => {
      expect((await write(0)).status).toBe(201);
      return server.collab.hocuspocus.documents.get(name);
    };
    const first = await document();
    expect(loaded()).toBe(true);
    // The same loaded instance serves the next writes: no load from PostgreSQL in between.
    expect(await document()).toBe(first);
    expect((await write(1)).status).toBe(201);
    expect(server.collab.hocuspocus.documents.get(name)).toBe(first);
    // Then it is let go (and compacted) like any document nobody has open.
    await expect.poll(loaded, { timeout: 10_000, interval: 200 }).toBe(false);
  });

  it('takes a list, generates missing unique identifiers, and filters by image, type and viewport', async () => {
    const s = await scene();
    const res = await s.api(s.admin).post<RestAnnotation[]>('/annotations/annotations/', [
      { annotation_type: s.box, image: s.image, vector: { x1: 0, y1: 0, x2: 10, y2: 10 } },
      { annotation_type: s.box, image: s.image, vector: { x1: 500, y1: 500, x2: 520, y2: 520 } },
      {
        annotation_type: s.polygon,
        image: s.image,
        vector: { x1: 100, y1: 100, x2: 150, y2: 100, x3: 120, y3: 160 },
      },
    ]);
    expect(res.status).toBe(201);
    expect(res.body).toHaveLength(3);
    expect(new Set(res.body.map((a) => a.unique_identifier)).size).toBe(3);
    const list = (q: string) =>
      s.api(s.member).get<Page<RestAnnotation>>(`/annotations/annotations/?image=${s.image}${q}`);
    expect((await list('')).body.count).toBe(3);
    expect((await list(`&annotation_type=${s.polygon}`)).body.count).toBe(1);
    const viewport = await list('&vector_x_min=90&vector_x_max=200&vector_y_min=90&vector_y_max=200');
    expect(viewport.body.results.map((a) => a.annotation_type)).toEqual([s.polygon]);
    const counted = await s
      .api(s.member)
      .get<{ count: number }>(`/annotations/annotations/count/?image=${s.image}&vector_x_min=5`);
    expect(counted.body).toEqual({ count: 3 });
    const bad = await s.api(s.member).get(`/annotations/annotations/?vector_x_min=left`);
    expect(bad.status).toBe(400);
  });

  it('takes a list of 500 whole, or refuses it whole naming the item', async () => {
    const s = await scene();
    const items = Array.from({ length: 500 }, (_, i) => ({
      annotation_type: s.box,
      image: s.image,
      vector: { x1: i, y1: i, x2: i + 5, y2: i + 5 },
    }));
    const bad = await s
      .api(s.admin)
      .post('/annotations/annotations/', [
        ...items.slice(0, 3),
        { annotation_type: s.polygon, image: s.image, vector: { x1: 1, y1: 1, x2: 2, y2: 2 } },
      ]);
    expect(bad.status).toBe(400);
    expect(bad.body).toHaveProperty(['3.vector']);
    expect(
      (await s.api(s.admin).get<Page<RestAnnotation>>(`/annotations/annotations/?image=${s.image}`)).body
        .count,
    ).toBe(0);
    const ok = await s.api(s.admin).post<RestAnnotation[]>('/annotations/annotations/', items);
    expect(ok.status).toBe(201);
    expect(ok.body.map((a) => a.vector?.x1)).toEqual(items.map((i) => i.vector.x1));
    const listed = await s
      .api(s.admin)
      .get<Page<RestAnnotation>>(`/annotations/annotations/?image=${s.image}`);
    expect(listed.body.count).toBe(500);
  });

  it('refuses what the document would refuse: a wrong vector, a foreign type, readers and outsiders', async () => {
    const s = await scene({ public: true });
    const body = { annotation_type: s.polygon, image: s.image, vector: { x1: 1, y1: 1, x2: 2, y2: 2 } };
    const wrongVector = await s.api(s.member).post('/annotations/annotations/', body);
    expect(wrongVector.status).toBe(400);
    expect(wrongVector.body).toHaveProperty('vector');
    const foreignType = await s
      .api(s.member)
      .post('/annotations/annotations/', { ...body, annotation_type: 999_999, vector: null });
    expect(foreignType.status).toBe(400);
    expect(foreignType.body).toHaveProperty('annotation_type');
    const reader = await s
      .api(s.outsider)
      .post('/annotations/annotations/', { ...body, annotation_type: s.box });
    expect(reader.status).toBe(403);
    const privateScene = await scene();
    const outsider = await privateScene.api(s.outsider).post('/annotations/annotations/', {
      annotation_type: privateScene.box,
      image: privateScene.image,
      vector: { x1: 1, y1: 1, x2: 2, y2: 2 },
    });
    expect(outsider.status).toBe(400);
    expect(outsider.body).toHaveProperty('image');
    expect(
      (await privateScene.api(s.outsider).get(`/annotations/annotations/?image=${privateScene.image}`)).body,
    ).toMatchObject({ count: 0 });
  });

  it('patches, deletes softly and deletes many; others cannot see blind copies', async () => {
    const s = await scene({ blind: true });
    const mine = await s.api(s.member).post<RestAnnotation>('/annotations/annotations/', {
      annotation_type: s.box,
      image: s.image,
      vector: { x1: 1, y1: 1, x2: 5, y2: 5 },
    });
    const theirs = await s.api(s.other).post<RestAnnotation>('/annotations/annotations/', {
      annotation_type: s.box,
      image: s.image,
      vector: { x1: 7, y1: 7, x2: 9, y2: 9 },
    });
    // Blind: each sees their own; the team admin sees both.
    expect(
      (await s.api(s.member).get<Page<RestAnnotation>>(`/annotations/annotations/?image=${s.image}`)).body
        .count,
    ).toBe(1);
    expect(
      (await s.api(s.admin).get<Page<RestAnnotation>>(`/annotations/annotations/?image=${s.image}`)).body
        .count,
    ).toBe(2);
    expect(
      (await s.api(s.member).patch(`/annotations/annotations/${theirs.body.id}/`, { description: 'x' }))
        .status,
    ).toBe(404);
    const patched = await s
      .api(s.member)
      .patch<RestAnnotation>(`/annotations/annotations/${mine.body.id}/`, { description: 'checked' });
    expect(patched.body).toMatchObject({ description: 'checked', vector: { x1: 1, y1: 1, x2: 5, y2: 5 } });
    expect((await s.api(s.member).delete(`/annotations/annotations/${mine.body.id}/`)).status).toBe(204);
    const gone = await s.api(s.member).get<RestAnnotation>(`/annotations/annotations/${mine.body.id}/`);
    expect(gone.body.deleted).toBe(true);
    expect(
      (await s.api(s.admin).delete(`/annotations/annotations/multiple_delete/?id__in=${theirs.body.id}`))
        .status,
    ).toBe(204);
    const live = await s
      .api(s.admin)
      .get<Page<RestAnnotation>>(`/annotations/annotations/?image=${s.image}&deleted=false`);
    expect(live.body.count).toBe(0);
  });
});

describe('paging annotations/annotations/', () => {
  it('follows next links with a keyset cursor: the same rows as offsets, a tampered cursor falls back', async () => {
    const s = await scene();
    const items = Array.from({ length: 25 }, (_, i) => ({
      annotation_type: s.box,
      image: s.image,
      vector: { x1: i, y1: i, x2: i + 5, y2: i + 5 },
    }));
    expect((await s.api(s.member).post('/annotations/annotations/', items)).status).toBe(201);
    const base = `/annotations/annotations/?image=${s.image}&limit=10`;
    const byOffset: number[] = [];
    for (const offset of [0, 10, 20]) {
      const page = await s.api(s.member).get<Page<RestAnnotation>>(`${base}&offset=${offset}`);
      byOffset.push(...page.body.results.map((a) => a.id));
    }
    const byNext: number[] = [];
    let next: string | null = `${server.baseUrl}/api/v1${base}`;
    const counts: number[] = [];
    while (next !== null) {
      const page: { body: Page<RestAnnotation> } = await s
        .api(s.member)
        .get<Page<RestAnnotation>>(next.replace(`${server.baseUrl}/api/v1`, ''));
      byNext.push(...page.body.results.map((a) => a.id));
      counts.push(page.body.count);
      next = page.body.next;
      if (next !== null) expect(new URL(next).searchParams.get('cursor')).toMatch(/^\d+\.\d+\.\d+\./);
    }
    expect(byNext).toEqual(byOffset);
    expect(new Set(byNext).size).toBe(25);
    expect(counts).toEqual([25, 25, 25]);
    // Someone else's cursor, or an edited one, is only a hint: the page is read by offset.
    const first = await s.api(s.member).get<Page<RestAnnotation>>(base);
    const cursor = new URL(first.body.next ?? '').searchParams.get('cursor') ?? '';
    const edited = cursor.replace(/^(\d+)\.(\d+)/, '$1.1');
    const page2 = await s
      .api(s.member)
      .get<Page<RestAnnotation>>(`${base}&offset=10&cursor=${encodeURIComponent(edited)}`);
    expect(page2.body.results.map((a) => a.id)).toEqual(byOffset.slice(10, 20));
    const asAdmin = await s
      .api(s.admin)
      .get<Page<RestAnnotation>>(`${base}&offset=10&cursor=${encodeURIComponent(cursor)}`);
    expect(asAdmin.body.results.map((a) => a.id)).toEqual(byOffset.slice(10, 20));
  });
});
