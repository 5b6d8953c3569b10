import { describe, expect, it } from 'vitest';
import type { RestAnnotation, StudyStatistics } from '@tessera/shared';
import { Factories, type TestUser } from '../../../../test/support/factories.js';
import { ApiClient } from '../../../../test/support/http.js';
import { useTestServer } from '../../../../test/support/server.js';
import { ImageSetsRepo } from '../image-sets/image-sets.repo.js';

const server = useTestServer();
const stats = (set: number, query = '') => `/images/image_sets/${set}/study_statistics/${query}`;

/** A blind set of two images with classes A and B, a team admin, three readers and an outsider. */
async function blindStudy(o: { blind?: boolean } = {}) {
  const make = new Factories(server.db);
  const [admin, r1, r2, r3, outsider] = [
    await make.user(),
    await make.user(),
    await make.user(),
    await make.user(),
    await make.user(),
  ];
  const team = await make.team({ admins: [admin], members: [r1, r2, r3] });
  const set = await make.imageSet(team, admin);
  if (o.blind ?? true) await new ImageSetsRepo(server.db).update(set, { collaboration_type: 1 });
  const product = await make.product(team, admin, [set]);
  const typeA = await make.annotationType(product, { name: 'A', sort_order: 1 });
  const typeB = await make.annotationType(product, { name: 'B', sort_order: 2 });
  const images = [await make.image(set, admin, 'one.png'), await make.image(set, admin, 'two.png')];
  /** Boxes of 10x10 at (x, y) on image `i` (0 or 1) of class A or B, made by `reader`. */
  const mark = async (reader: TestUser, i: number, boxes: [number, number, 'A' | 'B'][]) => {
    const made = await new ApiClient(server.baseUrl, reader).post<RestAnnotation[]>(
      '/annotations/annotations/',
      boxes.map(([x, y, label]) => ({
        image: images[i],
        annotation_type: label === 'A' ? typeA : typeB,
        vector: { x1: x, y1: y, x2: x + 10, y2: y + 10 },
      })),
    );
    expect(made.status).toBe(201);
    return made.body;
  };
  const log = async (user: TestUser, i: number, action: 1 | 2, time: string) => {
    const answer = await new ApiClient(server.baseUrl, user).post('/annotations/log_image_actions/', {
      image: images[i],
      action,
      time,
    });
    expect(answer.status).toBe(201);
  };
  return { admin, r1, r2, r3, outsider, set, typeA, typeB, images, mark, log };
}

/**
 * r1 and r2 on image 0: A/A and A/B overlapping, r1's B at 200 and r2's B at 400 alone; on image 1
 * r1's A alone.
 */
async function markTwoReaders(s: Awaited<ReturnType<typeof blindStudy>>) {
  await s.mark(s.r1, 0, [
    [0, 0, 'A'],
    [100, 0, 'A'],
    [200, 0, 'B'],
  ]);
  await s.mark(s.r1, 1, [[0, 0, 'A']]);
  await s.mark(s.r2, 0, [
    [1, 0, 'A'],
    [101, 0, 'B'],
    [400, 0, 'B'],
  ]);
}

const asUser = (user: TestUser | undefined) => new ApiClient(server.baseUrl, user);

describe('images/image_sets/<id>/study_statistics/', () => {
  it('counts each reader’s annotations per type and image, and their time from the action log', async () => {
    const s = await blindStudy();
    await s.mark(s.r1, 0, [
      [0, 0, 'A'],
      [100, 0, 'A'],
      [200, 0, 'B'],
    ]);
    const [gone] = await s.mark(s.r1, 1, [
      [500, 500, 'B'],
      [0, 0, 'A'],
    ]);
    expect((await asUser(s.r1).delete(`/annotations/annotations/${gone?.id}/`)).status).toBe(204);
    await s.log(s.r1, 0, 1, '2030-01-01T10:00:00');
    await s.log(s.r1, 0, 2, '2030-01-01T10:05:00');
    await s.log(s.r1, 0, 1, '2030-01-01T11:00:00'); // never closed: no time
    await s.log(s.r1, 1, 1, '2030-01-01T12:00:00');
    await s.log(s.r1, 1, 2, '2030-01-01T14:00:00'); // two hours: counted as one
    await s.log(s.r2, 1, 2, '2030-01-01T10:00:00'); // a closing alone opened nothing
    await s.log(s.admin, 0, 1, '2030-01-01T10:00:00'); // the study lead looking is no reading
    await s.log(s.admin, 0, 2, '2030-01-01T10:30:00');

    const answer = await asUser(s.admin).get<StudyStatistics>(stats(s.set));
    expect(answer.status).toBe(200);
    const body = answer.body;
    expect(body.rules).toEqual({ iou_threshold: 0.5, point_distance: 20, session_cap_seconds: 3600 });
    expect(body.annotation_types.map((t) => t.name)).toEqual(['A', 'B']);
    expect(body.readers.map((r) => r.user)).toEqual([s.r1.id, s.r2.id, s.r3.id]);
    const [r1, r2] = body.readers;
    expect(r1).toMatchObject({
      username: s.r1.username,
      annotations: 4,
      by_type: [
        { annotation_type: s.typeA, count: 3 },
        { annotation_type: s.typeB, count: 1 },
      ],
      images_annotated: 2,
      images_opened: 2,
      seconds: 3900,
      visits: 2,
      unclosed_visits: 1,
      capped_visits: 1,
    });
    expect(r1?.images).toEqual([
      {
        image: s.images[0],
        annotations: 3,
        by_type: [
          { annotation_type: s.typeA, count: 2 },
          { annotation_type: s.typeB, count: 1 },
        ],
        seconds: 300,
        visits: 1,
        unclosed_visits: 1,
      },
      {
        image: s.images[1],
        annotations: 1,
        by_type: [{ annotation_type: s.typeA, count: 1 }],
        seconds: 3600,
        visits: 1,
        unclosed_visits: 0,
      },
    ]);
    // A reader who has not started is listed with zeros.
    expect(r2).toMatchObject({ annotations: 0, images_opened: 0, seconds: 0, visits: 0, images: [] });

    const csv = await asUser(s.admin).get<string>(stats(s.set, '?format=csv'));
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.body.split('\r\n')).toEqual([
      'reader_id,reader,image_id,image,annotations,seconds,visits,unclosed_visits,A,B',
      `${s.r1.id},${s.r1.username},${s.images[0]},one.png,3,300,1,1,2,1`,
      `${s.r1.id},${s.r1.username},${s.images[1]},two.png,1,3600,1,0,1,0`,
      '',
    ]);
  });

  it("gives pairwise Cohen's kappa and F1 of two readers, and no Fleiss' kappa", async () => {
    const s = await blindStudy();
    await markTwoReaders(s);
    const body = (await asUser(s.admin).get<StudyStatistics>(stats(s.set))).body;
    expect(body.agreement?.fleiss).toBeNull();
    expect(body.agreement?.pairs).toHaveLength(1); // r3 annotated nothing: not compared
    const pair = body.agreement?.pairs[0];
    expect(pair).toMatchObject({ reader_a: s.r1.id, reader_b: s.r2.id, matched: 2, only_a: 2, only_b: 1 });
    expect(pair?.f1).toBeCloseTo(4 / 7, 12);
    // Items (A,A) (A,B) (B,none) (A,none) (none,B): po 1/5, pe 7/25.
    expect(pair?.kappa).toBeCloseTo(-1 / 9, 12);
    expect(pair?.kappa_matched).toBeCloseTo(0, 12);
    // A stricter overlap rule: r1's (0,0) and r2's (1,0) overlap 9/11, (100,0)/(101,0) too: still 2.
    const strict = await asUser(s.admin).get<StudyStatistics>(stats(s.set, '?iou_threshold=0.95'));
    expect(strict.body.agreement?.pairs[0]).toMatchObject({ matched: 0, only_a: 4, only_b: 3, f1: 0 });
  });

  it("gives Fleiss' kappa of three readers over clusters, absent readers rating none", async () => {
    const s = await blindStudy();
    await markTwoReaders(s);
    await s.mark(s.r3, 0, [
      [0, 1, 'A'],
      [100, 1, 'A'],
      [201, 0, 'B'],
    ]);
    await s.mark(s.r3, 1, [[2, 0, 'A']]);
    const agreement = (await asUser(s.admin).get<StudyStatistics>(stats(s.set))).body.agreement;
    const pair = (a: TestUser, b: TestUser) =>
      agreement?.pairs.find((p) => p.reader_a === a.id && p.reader_b === b.id);
    expect(pair(s.r1, s.r3)).toMatchObject({ matched: 4, only_a: 0, only_b: 0, f1: 1, kappa: 1 });
    expect(pair(s.r2, s.r3)).toMatchObject({ matched: 2, only_a: 1, only_b: 2 });
    // Items (A,A) (B,A) (B,none) (none,B) (none,A): po 1/5; r2 1/5 2/5 2/5, r3 3/5 1/5 1/5: pe 7/25.
    expect(pair(s.r2, s.r3)?.kappa).toBeCloseTo(-1 / 9, 12);
    // Clusters [A,A,A] [A,B,A] [B,-,B] [-,B,-] [A,-,A]: P 7/15, Pe 81/225.
    expect(agreement?.fleiss?.readers).toBe(3);
    expect(agreement?.fleiss?.items).toBe(5);
    expect(agreement?.fleiss?.kappa).toBeCloseTo(1 / 6, 12);
  });

  it('pairs image-level labels of two readers on an image with each other, not with shapes', async () => {
    const s = await blindStudy();
    const make = new Factories(server.db);
    const product = await make.product((await new ImageSetsRepo(server.db).teamOf(s.set)) ?? 0, s.admin, [
      s.set,
    ]);
    const [benign, malignant] = [
      await make.annotationType(product, { name: 'benign', vector_type: 7 }),
      await make.annotationType(product, { name: 'malignant', vector_type: 7 }),
    ];
    const label = (reader: TestUser, type: number) =>
      asUser(reader).post('/annotations/annotations/', {
        image: s.images[0],
        annotation_type: type,
        vector: null,
      });
    expect((await label(s.r1, benign)).status).toBe(201);
    expect((await label(s.r2, malignant)).status).toBe(201);
    await s.mark(s.r1, 0, [[0, 0, 'A']]);
    const pair = (await asUser(s.admin).get<StudyStatistics>(stats(s.set))).body.agreement?.pairs[0];
    // Items (benign, malignant) and (A, none): po 0, pe 0.
    expect(pair).toMatchObject({ matched: 1, only_a: 1, only_b: 0, kappa: 0, kappa_matched: 0 });
    expect(pair?.f1).toBeCloseTo(2 / 3, 12);
  });

  it('is for team admins: readers get 403, outsiders 404, strangers 401; bad queries 400', async () => {
    const s = await blindStudy();
    expect((await asUser(s.r1).get(stats(s.set))).status).toBe(403);
    expect((await asUser(s.r1).get(stats(s.set, '?format=csv'))).status).toBe(403);
    expect((await asUser(s.outsider).get(stats(s.set))).status).toBe(404);
    expect((await asUser(undefined).get(stats(s.set))).status).toBe(401);
    expect((await asUser(s.admin).get(stats(999_999))).status).toBe(404);
    const bad = await asUser(s.admin).get<Record<string, string[]>>(stats(s.set, '?iou_threshold=2'));
    expect(bad.status).toBe(400);
    expect(bad.body).toHaveProperty('iou_threshold');
    expect((await asUser(s.admin).get(stats(s.set, '?iou=0.3'))).status).toBe(400);
  });

  it('answers collaborative sets without agreement, to team admins only', async () => {
    const s = await blindStudy({ blind: false });
    await s.mark(s.r1, 0, [[0, 0, 'A']]);
    await s.mark(s.r2, 0, [[0, 0, 'A']]);
    const answer = await asUser(s.admin).get<StudyStatistics>(stats(s.set));
    expect(answer.body).toMatchObject({ blind: false, agreement: null });
    expect(answer.body.readers.map((r) => r.annotations)).toEqual([1, 1, 0]);
    expect((await asUser(s.r1).get(stats(s.set))).status).toBe(403);
  });
});
