import { describe, expect, it } from 'vitest';
import type {
  ImageSet,
  Page,
  RestAnnotation,
  ReviewDisagreement,
  ReviewItem,
  ReviewSummary,
} from '@tessera/shared';
import { Factories, type TestUser } from '../../../../test/support/factories.js';
import { ApiClient } from '../../../../test/support/http.js';
import { useTestServer } from '../../../../test/support/server.js';

const server = useTestServer();
const make = () => new Factories(server.db);
const api = (u: TestUser) => new ApiClient(server.baseUrl, u);

/** A second-opinion set with a creator, four reviewers, two images and annotation types. */
async function scene(required = 1) {
  const f = make();
  const [creator, r1, r2, r3, r4, outsider] = await Promise.all([1, 2, 3, 4, 5, 6].map(() => f.user()));
  const team = await f.team({ admins: [creator as TestUser], members: [r1, r2, r3, r4] as TestUser[] });
  const set = await f.imageSet(team, creator as TestUser, {
    collaboration_type: 2,
    required_verifications: required,
  });
  const product = await f.product(team, creator as TestUser, [set]);
  const box = await f.annotationType(product, { vector_type: 1 });
  const label = await f.annotationType(product, { vector_type: 7 });
  const imageA = await f.image(set, creator as TestUser, 'a.svs');
  const imageB = await f.image(set, creator as TestUser, 'b.svs');
  /** A 10 x 10 box centred near (x, y), made by `by`. */
  const boxAt = async (by: TestUser, image: number, x: number, y: number) =>
    (
      await api(by).post<RestAnnotation>('/annotations/annotations/', {
        annotation_type: box,
        image,
        vector: { x1: x - 5, y1: y - 5, x2: x + 5, y2: y + 5 },
      })
    ).body.id;
  const verdict = async (by: TestUser, annotation: number, verified: boolean) => {
    const answer = await api(by).post('/annotations/verifications/', { annotation, verified });
    expect(answer.status).toBeLessThan(300);
  };
  const queueOf = async (u: TestUser, query = '') =>
    (await api(u).get<Page<ReviewItem>>(`/images/image_sets/${set}/review_queue/${query}`)).body;
  const summary = async (u: TestUser) =>
    (await api(u).get<ReviewSummary>(`/images/image_sets/${set}/review_summary/`)).body;
  return {
    creator: creator as TestUser,
    reviewers: [r1, r2, r3, r4] as TestUser[],
    outsider: outsider as TestUser,
    set,
    label,
    imageA,
    imageB,
    boxAt,
    verdict,
    queueOf,
    summary,
  };
}

describe('counting verdicts by the set’s required_verifications', () => {
  it('N = 1: one other person settles it; the creator’s own verdict never counts', async () => {
    const s = await scene(1);
    const [r1, r2] = s.reviewers as [TestUser, TestUser];
    const accepted = await s.boxAt(s.creator, s.imageA, 100, 100);
    const refused = await s.boxAt(s.creator, s.imageA, 200, 100);
    await s.verdict(s.creator, accepted, true);
    expect(await s.summary(r1)).toMatchObject({ required_verifications: 1, open: 2, needs_my_opinion: 2 });
    await s.verdict(r1, accepted, true);
    await s.verdict(r1, refused, false);
    expect(await s.summary(r2)).toMatchObject({ open: 0, verified: 1, rejected: 1, needs_my_opinion: 0 });
    expect((await s.queueOf(r2)).count).toBe(0);
  });

  it('N = 2 and 3: verified only with that many agreeing verdicts by others', async () => {
    const s = await scene(2);
    const [r1, r2, r3, r4] = s.reviewers as [TestUser, TestUser, TestUser, TestUser];
    const a = await s.boxAt(s.creator, s.imageA, 100, 100);
    await s.verdict(s.creator, a, true);
    await s.verdict(r1, a, true);
    expect(await s.summary(r3)).toMatchObject({ open: 1, verified: 0, needs_my_opinion: 1 });
    await s.verdict(r2, a, true);
    expect(await s.summary(r3)).toMatchObject({ open: 0, verified: 1, needs_my_opinion: 0 });

    const raised = await api(s.creator).patch<ImageSet>(`/images/image_sets/${s.set}/`, {
      required_verifications: 3,
    });
    expect(raised.body.required_verifications).toBe(3);
    expect(await s.summary(r3)).toMatchObject({ open: 1, verified: 0, needs_my_opinion: 1 });
    await s.verdict(r3, a, true);
    expect(await s.summary(r4)).toMatchObject({ open: 0, verified: 1 });

    const b = await s.boxAt(s.creator, s.imageA, 300, 100);
    for (const r of [r1, r2, r3]) await s.verdict(r, b, false);
    expect(await s.summary(r4)).toMatchObject({ verified: 1, rejected: 1 });
  });

  it('only team admins change it, within 1 to 10', async () => {
    const s = await scene();
    const path = `/images/image_sets/${s.set}/`;
    expect((await api(s.reviewers[0] as TestUser).patch(path, { required_verifications: 2 })).status).toBe(
      403,
    );
    for (const bad of [0, 11, 'two']) {
      const answer = await api(s.creator).patch<Record<string, string[]>>(path, {
        required_verifications: bad,
      });
      expect(answer.status).toBe(400);
      expect(answer.body['required_verifications']).toBeDefined();
    }
  });
});

describe('images/image_sets/<id>/review_queue/', () => {
  it('lists what needs the caller, by image, labels first, then bands walked in a serpentine', async () => {
    const s = await scene(1);
    const [r1, r2] = s.reviewers as [TestUser, TestUser];
    const label = (
      await api(s.creator).post<RestAnnotation>('/annotations/annotations/', {
        annotation_type: s.label,
        image: s.imageA,
        vector: null,
      })
    ).body.id;
    // Band 0 (y < 1024) left to right, band 1 right to left; image B after image A.
    const bRight = await s.boxAt(s.creator, s.imageB, 900, 10);
    const band1Left = await s.boxAt(s.creator, s.imageA, 100, 1500);
    const band0Right = await s.boxAt(s.creator, s.imageA, 5000, 100);
    const band1Right = await s.boxAt(s.creator, s.imageA, 5000, 1500);
    const band0Left = await s.boxAt(s.creator, s.imageA, 100, 900);
    const own = await s.boxAt(r1, s.imageA, 50, 50);
    const order = [label, band0Left, band0Right, band1Right, band1Left, bRight];

    const queue = await s.queueOf(r1);
    expect(queue.results.map((i) => i.annotation)).toEqual(order);
    expect(queue.results[1]).toMatchObject({ image: s.imageA, x: 100, y: 900, status: 'open', accepts: 0 });
    expect((await s.queueOf(r2)).results.map((i) => i.annotation)).toContain(own);

    // Judged by r1: out of r1's queue; with N = 1 settled, so out of r2's too.
    await s.verdict(r1, band0Right, false);
    const after = await s.queueOf(r1);
    expect(after.results.map((i) => i.annotation)).toEqual(order.filter((id) => id !== band0Right));
    expect((await s.queueOf(r2)).results.map((i) => i.annotation)).not.toContain(band0Right);

    // The next after an annotation, even one that left the queue; one image; pages.
    const judged = (await api(r1).get<RestAnnotation>(`/annotations/annotations/${band0Right}/`)).body;
    const next = await s.queueOf(r1, `?after=${judged.unique_identifier}&limit=1`);
    expect(next.results[0]?.annotation).toBe(band1Right);
    const unknown = await s.queueOf(r1, '?after=00000000-0000-4000-8000-000000000000');
    expect(unknown.results.map((i) => i.annotation)).toEqual(after.results.map((i) => i.annotation));
    expect((await s.queueOf(r1, `?image=${s.imageB}`)).results.map((i) => i.annotation)).toEqual([bRight]);
    const second = await s.queueOf(r1, '?limit=2&offset=2');
    expect(second).toMatchObject({
      count: 5,
      results: [{ annotation: band1Right }, { annotation: band1Left }],
    });
    expect(second.next).toContain('offset=4');
  });

  it('keeps a disputed annotation below N for more opinions, and lists the dispute', async () => {
    const s = await scene(3);
    const [r1, r2, r3] = s.reviewers as [TestUser, TestUser, TestUser];
    const a = await s.boxAt(s.creator, s.imageA, 100, 100);
    await s.verdict(r1, a, true);
    await s.verdict(r2, a, false);
    expect((await s.queueOf(r3)).results).toMatchObject([{ annotation: a, status: 'disputed', accepts: 1 }]);
    const disputes = await api(r3).get<Page<ReviewDisagreement>>(
      `/images/image_sets/${s.set}/review_disagreements/`,
    );
    expect(disputes.body.count).toBe(1);
    expect(disputes.body.results[0]).toMatchObject({ annotation: a, accepts: 1, rejects: 1 });
    expect(disputes.body.results[0]?.verdicts.map((v) => [v.user, v.verified])).toEqual([
      [r1.id, true],
      [r2.id, false],
    ]);
    await s.verdict(r3, a, true);
    expect((await s.queueOf(s.reviewers[3] as TestUser)).count).toBe(0);
    expect(await s.summary(r3)).toMatchObject({ disputed: 1, verified: 0 });
    // A reviewer who changes their mind ends the dispute.
    await s.verdict(r2, a, true);
    expect(await s.summary(r3)).toMatchObject({ disputed: 0, verified: 1 });
  });

  it('answers 401 without credentials, 404 outside the team, 403 to readers, 400 for bad parameters', async () => {
    const s = await scene();
    const path = `/images/image_sets/${s.set}/review_queue/`;
    expect((await new ApiClient(server.baseUrl).get(path)).status).toBe(401);
    expect((await api(s.outsider).get(path)).status).toBe(404);
    expect((await api(s.outsider).get(`/images/image_sets/${s.set}/review_summary/`)).status).toBe(404);
    await api(s.creator).patch(`/images/image_sets/${s.set}/`, { public: true });
    expect((await api(s.outsider).get(path)).status).toBe(403);
    expect((await api(s.outsider).get(`/images/image_sets/${s.set}/review_disagreements/`)).status).toBe(200);
    const member = api(s.reviewers[0] as TestUser);
    expect((await member.get(`${path}?image=abc`)).status).toBe(400);
    expect((await member.get(`${path}?imagee=1`)).status).toBe(400);
    expect((await member.get(`${path}?limit=0`)).status).toBe(400);
  });
});
