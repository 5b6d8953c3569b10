import { describe, expect, it } from 'vitest';
import type { Page, SetVersion } from '@tessera/shared';
import { Factories } from '../../../test/support/factories.js';
import { ApiClient } from '../../../test/support/http.js';
import { useTestServer } from '../../../test/support/server.js';
import { ImageSetsRepo } from '../resources/image-sets/image-sets.repo.js';

const server = useTestServer();

describe('versions and exports of blind (competitive) image sets', () => {
  it("are for team admins only: a version or export holds every reader's own annotations", async () => {
    const make = new Factories(server.db);
    const admin = await make.user();
    const reader = await make.user();
    const team = await make.team({ admins: [admin], members: [reader] });
    const set = await make.imageSet(team, admin);
    await new ImageSetsRepo(server.db).update(set, { collaboration_type: 1 });
    const product = await make.product(team, admin, [set]);
    const type = await make.annotationType(product);
    const image = await make.image(set, admin);
    const asAdmin = new ApiClient(server.baseUrl, admin);
    const asReader = new ApiClient(server.baseUrl, reader);
    const box = { image, annotation_type: type, vector: { x1: 1, y1: 1, x2: 9, y2: 9 } };
    expect((await asAdmin.post('/annotations/annotations/', box)).status).toBe(201);
    expect((await asReader.post('/annotations/annotations/', box)).status).toBe(201);

    expect((await asReader.post('/images/set_versions/', { name: 'mine', imagesets: [set] })).status).toBe(
      403,
    );
    const made = await asAdmin.post<SetVersion>('/images/set_versions/', { name: 'study', imagesets: [set] });
    expect(made.status).toBe(201);
    const id = made.body.id;
    const listed = await asReader.get<Page<SetVersion>>(`/images/set_versions/?imagesets=${set}`);
    expect(listed.body.results).toEqual([]);
    for (const path of [
      `/images/set_versions/${id}/`,
      `/images/set_versions/${id}/export/?format=coco`,
      `/images/set_versions/${id}/diff/`,
      `/images/set_versions/${id}/documents/?image=${image}`,
      `/annotations/annotation_versions/?version=${id}`,
    ]) {
      const answer = await asReader.get(path);
      expect([path, answer.status]).toEqual([path, path.startsWith('/annotations/') ? 200 : 404]);
      if (path.startsWith('/annotations/')) expect((answer.body as Page<unknown>).count).toBe(0);
    }
    expect((await asReader.get(`/images/image_sets/${set}/export/?format=coco`)).status).toBe(403);
    const all = await asAdmin.get<{ annotations: unknown[] }>(
      `/images/set_versions/${id}/export/?format=coco`,
    );
    expect(all.body.annotations).toHaveLength(2);
    expect((await asAdmin.get(`/images/image_sets/${set}/export/?format=coco`)).status).toBe(200);
  });
});
