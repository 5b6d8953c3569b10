import { describe, expect, it } from 'vitest';
import type { ImageContributors } from '@tessera/shared';
import { useTestServer } from '../../../../test/support/server.js';
import { annotate, rect, versionScene } from '../../../../test/support/versions.js';

const server = useTestServer();

const path = (set: number) => `/images/image_sets/${set}/contributors/`;

describe('who worked on each image of a set', () => {
  it('names who made and who last edited the annotations, per image', async () => {
    const s = await versionScene(server, { images: ['a.svs', 'b.svs'] });
    const [a, b] = s.images as [number, number];
    const [first] = await annotate(s.api(s.member), [
      { image: a, annotation_type: s.box, vector: rect(0, 0) },
      { image: a, annotation_type: s.box, vector: rect(20, 20) },
    ]);
    expect(
      (await s.api(s.admin).patch(`/annotations/annotations/${first?.id}/`, { vector: rect(5, 5) })).status,
    ).toBe(200);
    await annotate(s.api(s.admin), [{ image: b, annotation_type: s.box, vector: rect(0, 0) }]);

    const res = await s.api(s.member).get<ImageContributors>(path(s.set));
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([
      {
        image: a,
        users: [
          { id: s.member.id, username: s.member.username, created: 2, edited: 0 },
          { id: s.admin.id, username: s.admin.username, created: 0, edited: 1 },
        ],
      },
      { image: b, users: [{ id: s.admin.id, username: s.admin.username, created: 1, edited: 0 }] },
    ]);
  });

  it('shows a blind set reader only their own work; outsiders get 404, anonymous 401', async () => {
    const s = await versionScene(server);
    const blind = await s.make.imageSet(s.team, s.admin, { collaboration_type: 1 });
    const product = await s.make.product(s.team, s.admin, [blind]);
    const type = await s.make.annotationType(product, { vector_type: 1 });
    const image = await s.make.image(blind, s.admin);
    await annotate(s.api(s.admin), [{ image, annotation_type: type, vector: rect(0, 0) }]);
    await annotate(s.api(s.member), [{ image, annotation_type: type, vector: rect(9, 9) }]);

    const reader = await s.api(s.member).get<ImageContributors>(path(blind));
    expect(reader.body.results).toEqual([
      { image, users: [{ id: s.member.id, username: s.member.username, created: 1, edited: 0 }] },
    ]);
    const admin = await s.api(s.admin).get<ImageContributors>(path(blind));
    expect(admin.body.results[0]?.users.map((u) => u.id).sort((x, y) => x - y)).toEqual(
      [s.admin.id, s.member.id].sort((x, y) => x - y),
    );
    expect((await s.api(s.outsider).get(path(blind))).status).toBe(404);
    expect((await s.api(s.member).as(undefined).get(path(blind))).status).toBe(401);
    expect((await s.api(s.member).get('/images/image_sets/x/contributors/')).status).toBe(404);
  });
});
