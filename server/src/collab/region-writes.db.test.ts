import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ImportReport, Page, RestAnnotation } from '@tessera/shared';
import { Factories } from '../../../test/support/factories.js';
import { ApiClient } from '../../../test/support/http.js';
import { useTestServer } from '../../../test/support/server.js';
import { annotate, rect, versionScene } from '../../../test/support/versions.js';
import { ImageSetsRepo } from '../resources/image-sets/image-sets.repo.js';

const server = useTestServer();
/** Regions of 1000 pixels: (0,0) is x,y < 1000, (1,0) is 1000 <= x < 2000. */
const SIZE = 1000;

async function giveRegions(image: number, size = SIZE): Promise<void> {
  await server.db.query('UPDATE images SET annotation_region_size = $2 WHERE id = $1', [image, size]);
}

async function documentOf(id: number): Promise<string | undefined> {
  const rows = await server.db.query<{ document: string }>('SELECT document FROM annotations WHERE id = $1', [
    id,
  ]);
  return rows[0]?.document;
}

/** How many updates each document's log holds (one per write: nothing compacts in these tests). */
async function logRows(prefix: string): Promise<Record<string, number>> {
  const rows = await server.db.query<{ document: string; n: number }>(
    `SELECT document, count(*)::int AS n FROM annotation_document_updates
     WHERE starts_with(document, $1) GROUP BY document`,
    [prefix],
  );
  return Object.fromEntries(rows.map((r) => [r.document, r.n]));
}

describe('writes on an image with regions (G1, G5)', () => {
  it('G1: a REST create lands in the region of its centre, a move across a border keeps its document, an image-level label goes to the index', async () => {
    const s = await versionScene(server);
    const image = s.images[0] as number;
    const label = await s.make.annotationType(s.product, { vector_type: 7, name: `label-${randomUUID()}` });
    await giveRegions(image);
    const api = s.api(s.member);
    const [left, right, global] = await annotate(api, [
      { image, annotation_type: s.box, vector: rect(990, 10, 5, 5) },
      // Its box starts in region (0,0) but its centre (1005, 1505) is in (1,1).
      { image, annotation_type: s.box, vector: rect(990, 1490, 30, 30) },
      { image, annotation_type: label, vector: null },
    ]);
    expect(await documentOf(left?.id ?? 0)).toBe(`image.${image}.region.0.0`);
    expect(await documentOf(right?.id ?? 0)).toBe(`image.${image}.region.1.1`);
    expect(await documentOf(global?.id ?? 0)).toBe(`image.${image}.regions`);
    // Nothing went to the image's one document.
    expect(await logRows(`image.${image}`)).not.toHaveProperty(`image.${image}`);

    const moved = await api.patch(`/annotations/annotations/${left?.id}/`, { vector: rect(2500, 2500) });
    expect(moved.status).toBe(200);
    expect(await documentOf(left?.id ?? 0)).toBe(`image.${image}.region.0.0`);
    const back = await api.get<RestAnnotation>(`/annotations/annotations/${left?.id}/`);
    expect(back.body.vector).toEqual(rect(2500, 2500));
    // An upsert by uuid (a POST naming it) is written where the annotation is, whatever its vector.
    const upsert = await api.post<RestAnnotation>('/annotations/annotations/', {
      image,
      annotation_type: s.box,
      unique_identifier: right?.unique_identifier,
      vector: rect(5000, 10),
    });
    expect(upsert.status).toBe(200);
    expect(upsert.body.id).toBe(right?.id);
    expect(await documentOf(right?.id ?? 0)).toBe(`image.${image}.region.1.1`);
    const all = await api.get<Page<RestAnnotation>>(`/annotations/annotations/?image=${image}`);
    expect(all.body.count).toBe(3);
  });

  it('G5: a list of many items over several regions writes each region once, and a bad new item refuses the whole list', async () => {
    const s = await versionScene(server);
    const image = s.images[0] as number;
    await giveRegions(image);
    const api = s.api(s.member);
    const items = [0, 1, 2].flatMap((x) =>
      [0, 1].flatMap((y) =>
        [0, 1, 2].map(() => ({
          image,
          annotation_type: s.box,
          vector: rect(x * SIZE + 100, y * SIZE + 100),
        })),
      ),
    );
    await annotate(api, items);
    // Region documents only: the index document gets the server's summaries (G3) besides.
    const rows = await logRows(`image.${image}.region.`);
    expect(Object.keys(rows)).toHaveLength(6);
    expect(Object.values(rows).every((n) => n === 1)).toBe(true);

    const refused = await api.post('/annotations/annotations/', [
      { image, annotation_type: s.box, vector: rect(4100, 4100) },
      { image, annotation_type: s.polygon, vector: rect(10, 10) },
    ]);
    expect(refused.status).toBe(400);
    expect(await logRows(`image.${image}.region.4.4`)).toEqual({});
  });

  it('G5: an import of many items over several regions writes each region once', async () => {
    const s = await versionScene(server);
    const image = s.images[0] as number;
    await giveRegions(image);
    const [type] = await server.db.query<{ name: string }>(
      'SELECT name FROM annotation_types WHERE id = $1',
      [s.box],
    );
    const annotations = [0, 1, 2, 3].flatMap((x) =>
      [0, 1, 2, 3, 4].map((k) => ({ image_id: 1, category_id: 1, bbox: [x * SIZE + k * 10, 500, 8, 8] })),
    );
    const coco = {
      images: [{ id: 1, file_name: 'a.svs', width: 5000, height: 5000 }],
      categories: [{ id: 1, name: type?.name }],
      annotations,
    };
    const res = await s
      .api(s.member)
      .request<ImportReport>('POST', `/images/image_sets/${s.set}/import/?format=coco`, undefined, {
        rawBody: JSON.stringify(coco),
        headers: { 'content-type': 'application/json' },
      });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ imported: 20, updated: 0, skipped: [], images: [image] });
    expect(await logRows(`image.${image}.region.`)).toEqual({
      [`image.${image}.region.0.0`]: 1,
      [`image.${image}.region.1.0`]: 1,
      [`image.${image}.region.2.0`]: 1,
      [`image.${image}.region.3.0`]: 1,
    });
    const byDocument = await server.db.query<{ document: string; n: number }>(
      'SELECT document, count(*)::int AS n FROM annotations WHERE image_id = $1 GROUP BY document ORDER BY 1',
      [image],
    );
    expect(byDocument.map((r) => r.n)).toEqual([5, 5, 5, 5]);
  });

  it('G5: detector proposals (generated, with their score) are routed by G1 and withdrawn where they are', async () => {
    const s = await versionScene(server);
    const image = s.images[0] as number;
    await giveRegions(image);
    const viewer = { id: s.member.id, username: s.member.username, isSuperuser: false };
    const uuid = randomUUID();
    const proposal = (vector: Record<string, number>, deleted: boolean) => ({
      annotation_type: s.box,
      image,
      vector,
      unique_identifier: uuid,
      deleted,
      description: '',
      generated: true,
      score: 0.75,
    });
    // The write the proposal writer makes (proposal-writer.ts): saveMany as the job's creator.
    const [written] = await server.services.annotations.saveMany(viewer as never, [
      proposal(rect(3100, 1200), false),
    ]);
    expect(await documentOf(written?.id ?? 0)).toBe(`image.${image}.region.3.1`);
    const [withdrawn] = await server.services.annotations.saveMany(viewer as never, [
      proposal(rect(10, 10), true),
    ]);
    expect(withdrawn).toEqual({ id: written?.id, created: false });
    const rows = await server.db.query<{
      document: string;
      deleted: boolean;
      generated: boolean;
      score: number;
    }>('SELECT document, deleted, generated, score FROM annotations WHERE unique_identifier = $1', [uuid]);
    expect(rows).toEqual([
      { document: `image.${image}.region.3.1`, deleted: true, generated: true, score: 0.75 },
    ]);
  });

  it("G5, A2-A3: in a blind study on an image with regions each reader writes their own region copies; neither sees the other's, the team admin sees both", async () => {
    const make = new Factories(server.db);
    const admin = await make.user();
    const first = await make.user();
    const second = await make.user();
    const team = await make.team({ admins: [admin], members: [first, second] });
    const set = await make.imageSet(team, admin);
    await new ImageSetsRepo(server.db).update(set, { collaboration_type: 1 });
    const product = await make.product(team, admin, [set]);
    const type = await make.annotationType(product, { vector_type: 1 });
    const image = await make.image(set, admin);
    await giveRegions(image);
    const api = (u: typeof admin) => new ApiClient(server.baseUrl, u);
    const [mine] = await annotate(api(first), [{ image, annotation_type: type, vector: rect(1500, 10) }]);
    const [theirs] = await annotate(api(second), [{ image, annotation_type: type, vector: rect(1500, 10) }]);
    expect(await documentOf(mine?.id ?? 0)).toBe(`image.${image}.user.${first.id}.region.1.0`);
    expect(await documentOf(theirs?.id ?? 0)).toBe(`image.${image}.user.${second.id}.region.1.0`);
    const seen = async (u: typeof admin) =>
      (await api(u).get<Page<RestAnnotation>>(`/annotations/annotations/?image=${image}`)).body.results
        .map((a) => a.id)
        .sort((a, b) => a - b);
    expect(await seen(first)).toEqual([mine?.id]);
    expect(await seen(second)).toEqual([theirs?.id]);
    expect(await seen(admin)).toEqual([mine?.id, theirs?.id].sort((a = 0, b = 0) => a - b));
    // A reader cannot change the other's annotation: it is not theirs to see.
    expect(
      (await api(first).patch(`/annotations/annotations/${theirs?.id}/`, { deleted: true })).status,
    ).toBe(404);
  });
});
