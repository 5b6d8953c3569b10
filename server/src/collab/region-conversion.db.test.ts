import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_REGION_SIZE,
  type Page,
  type RestAnnotation,
  type RestoreReport,
  type VersionDiff,
} from '@tessera/shared';
import type { ApiClient } from '../../../test/support/http.js';
import { useTestServer } from '../../../test/support/server.js';
import { annotate, makeVersion, rect, triangle, versionScene } from '../../../test/support/versions.js';
import { setVerification, updateFields } from '@tessera/shared';
import { AppError } from '../errors/app-error.js';
import { ImageSetsRepo } from '../resources/image-sets/image-sets.repo.js';
import { MembershipsRepo } from '../resources/memberships/memberships.repo.js';
import { conversionLines, convertImageCommand } from './region-conversion.cli.js';
import { convertToRegions } from './region-conversion.js';

const server = useTestServer();
const SIZE = 1000;

const convert = (image: number, batch?: number) =>
  convertToRegions(
    server.db,
    server.services.liveDocuments,
    image,
    SIZE,
    batch === undefined ? {} : { batch },
  );

async function everything(api: ApiClient, image: number) {
  const annotations = await api.get<Page<RestAnnotation>>(
    `/annotations/annotations/?image=${image}&limit=1000`,
  );
  const verifications = await api.get<Page<unknown>>(
    `/annotations/verifications/?annotation__image=${image}&limit=1000`,
  );
  const byId = <T extends { id: number }>(rows: T[]) => [...rows].sort((a, b) => a.id - b.id);
  return {
    annotations: byId(annotations.body.results),
    verifications: byId(verifications.body.results as { id: number }[]),
  };
}

async function documentsOf(image: number): Promise<Record<string, number>> {
  const rows = await server.db.query<{ document: string; n: number }>(
    'SELECT document, count(*)::int AS n FROM annotations WHERE image_id = $1 GROUP BY document',
    [image],
  );
  return Object.fromEntries(rows.map((r) => [r.document, r.n]));
}

async function logCount(): Promise<number> {
  const [row] = await server.db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM annotation_document_updates',
  );
  return row?.n ?? 0;
}

/** An image's document with boxes and polygons over four regions, an image-level label, edits,
 *  a deletion and verifications by two users. */
async function history() {
  const s = await versionScene(server);
  const image = s.images[0] as number;
  const label = await s.make.annotationType(s.product, { vector_type: 7, name: `label-${randomUUID()}` });
  const member = s.api(s.member);
  const admin = s.api(s.admin);
  const made = await annotate(member, [
    { image, annotation_type: s.box, vector: rect(10, 10), description: 'first' },
    { image, annotation_type: s.box, vector: rect(1500, 20) },
    { image, annotation_type: s.polygon, vector: triangle(30, 1600) },
    { image, annotation_type: s.polygon, vector: triangle(2500, 2500) },
    { image, annotation_type: label, vector: null },
    { image, annotation_type: s.box, vector: rect(40, 40) },
  ]);
  const [a, b, c, , global, gone] = made.map((m) => m.id);
  // Moved across a border before the conversion: it goes to the region of where it is now.
  expect((await member.patch(`/annotations/annotations/${a}/`, { vector: rect(1200, 1200) })).status).toBe(
    200,
  );
  expect(
    (await admin.patch(`/annotations/annotations/${b}/`, { description: 'edited', meta_data: { k: 1 } }))
      .status,
  ).toBe(200);
  expect((await member.delete(`/annotations/annotations/${gone}/`)).status).toBe(204);
  for (const [api, id, verified] of [
    [member, c, true],
    [admin, c, false],
    [admin, global, true],
  ] as const) {
    const res = await api.post('/annotations/verifications/', { annotation: id, verified });
    expect(res.status).toBe(201);
  }
  return { s, image, member, admin, made };
}

describe('conversion of an image to regions (G6)', () => {
  it('G6: keeps every annotation, field, stamp, deletion and verification; the version diff shows no change', async () => {
    const { s, image, admin, made } = await history();
    const before = await everything(admin, image);
    expect(before.annotations).toHaveLength(6);
    expect(before.verifications).toHaveLength(3);
    const v1 = await makeVersion(admin, s.set, 'before');

    // Batches of two: several writes per target document.
    const report = await convert(image, 2);
    expect(report).toMatchObject({ imageId: image, size: SIZE, resumed: false });
    expect(report.documents).toEqual([{ document: `image.${image}`, annotations: 6, copied: 6 }]);

    // Field by field the same, ids included (each row moved with its annotation).
    expect(await everything(admin, image)).toEqual(before);
    expect(await documentsOf(image)).toEqual({
      [`image.${image}.region.1.1`]: 1, // moved from (0,0) before the conversion
      [`image.${image}.region.1.0`]: 1,
      [`image.${image}.region.0.1`]: 1,
      [`image.${image}.region.2.2`]: 1,
      [`image.${image}.regions`]: 1,
      [`image.${image}.region.0.0`]: 1, // the deleted one
    });
    const v2 = await makeVersion(admin, s.set, 'after');
    const diff = await admin.get<VersionDiff>(`/images/set_versions/${v1.id}/diff/?to=${v2.id}`);
    expect(diff.status).toBe(200);
    expect(diff.body.totals).toEqual({ added: 0, removed: 0, changed: 0, restored: 0 });

    // New writes go by G1 into the regions; the converted ones are edited where they now are.
    const [added] = await annotate(s.api(s.member), [
      { image, annotation_type: s.box, vector: rect(3500, 10) },
    ]);
    expect(await documentsOf(image)).toHaveProperty(`image.${image}.region.3.0`, 1);
    expect(
      (await s.api(s.member).patch(`/annotations/annotations/${made[3]?.id}/`, { description: 'x' })).status,
    ).toBe(200);
    expect(added?.id).toBeGreaterThan(0);
  });

  it('G6: a second run changes nothing and is refused; a run after one that stopped half way finishes without doubling', async () => {
    const { image, admin } = await history();
    const before = await everything(admin, image);
    await convert(image);
    const after = await everything(admin, image);
    // The index's summaries of the new regions are written a moment later (G3): counted once written.
    await server.collab.regionIndex.settled(`image.${image}.regions`);
    const logged = await logCount();
    const again = await convert(image).catch((error: unknown) => error);
    expect(again).toBeInstanceOf(AppError);
    expect((again as AppError).message).toContain('already has regions');
    expect(await logCount()).toBe(logged);
    expect(await everything(admin, image)).toEqual(after);
    expect(after).toEqual(before);

    // Half way: the column set and a batch's rows moved, its copies not yet written (a crash between).
    const other = await history();
    const half = other.image;
    await server.db.query('UPDATE images SET annotation_region_size = $2 WHERE id = $1', [half, SIZE]);
    const [first] = other.made;
    await server.db.query(`UPDATE annotations SET document = $2 WHERE document = $1 AND id = $3`, [
      `image.${half}`,
      `image.${half}.region.1.1`,
      first?.id ?? 0,
    ]);
    const partial = await convert(half);
    expect(partial.resumed).toBe(true);
    const finished = await everything(other.admin, half);
    expect(finished.annotations).toHaveLength(6);
    expect(new Set(finished.annotations.map((a) => a.unique_identifier)).size).toBe(6);
    expect(await documentsOf(half)).not.toHaveProperty(`image.${half}`);
    await expect(convertToRegions(server.db, server.services.liveDocuments, half, 2 * SIZE)).rejects.toThrow(
      'already has regions',
    );
  });

  it('G5: a version restore on an image with regions puts annotations back in their documents; one from before the conversion restores into the regions', async () => {
    const { s, image, member, admin, made } = await history();
    const beforeConversion = await everything(admin, image);
    const v0 = await makeVersion(admin, s.set, 'one document');
    await convert(image);
    const v1 = await makeVersion(admin, s.set, 'regions');
    const documents = await documentsOf(image);
    const [a, b] = made;
    expect(
      (await member.patch(`/annotations/annotations/${a?.id}/`, { vector: rect(4000, 4000) })).status,
    ).toBe(200);
    expect((await member.delete(`/annotations/annotations/${b?.id}/`)).status).toBe(204);
    const [added] = await annotate(member, [{ image, annotation_type: s.box, vector: rect(3500, 3500) }]);

    const restored = await admin.post<RestoreReport>(`/images/set_versions/${v1.id}/restore/`, {});
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ images: 1, changed: 2, created: 0, deleted: 1, skipped: [] });
    const now = await everything(admin, image);
    const content = (rows: RestAnnotation[]) =>
      rows.map(({ id, unique_identifier, vector, deleted, description, annotation_type }) => ({
        id,
        unique_identifier,
        vector,
        deleted,
        description,
        annotation_type,
      }));
    expect(content(now.annotations.filter((r) => r.id !== added?.id))).toEqual(
      content(beforeConversion.annotations),
    );
    expect(now.annotations.find((r) => r.id === added?.id)?.deleted).toBe(true);
    // Each annotation stayed in its document (the new one in its own region).
    expect(await documentsOf(image)).toEqual({ ...documents, [`image.${image}.region.3.3`]: 1 });

    // A version of the one document restores into the regions: the old document is not written.
    const oldLog = async () =>
      (
        await server.db.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM annotation_document_updates WHERE document = $1',
          [`image.${image}`],
        )
      )[0]?.n;
    const oldBefore = await oldLog();
    expect(
      (await member.patch(`/annotations/annotations/${a?.id}/`, { vector: rect(4000, 4000) })).status,
    ).toBe(200);
    const back = await admin.post<RestoreReport>(`/images/set_versions/${v0.id}/restore/`, {});
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ images: 1, changed: 1, created: 0, skipped: [] });
    expect(await oldLog()).toBe(oldBefore);
    expect(content((await everything(admin, image)).annotations.filter((r) => r.id !== added?.id))).toEqual(
      content(beforeConversion.annotations),
    );
    expect(await documentsOf(image)).not.toHaveProperty(`image.${image}`);
  });

  it('G6 over REST (what `tessera documents regions` calls): superusers only, the default size from shared', async () => {
    const { s, image, admin } = await history();
    const path = `/images/images/${image}/regions/`;
    // A team admin may not: it changes how everyone reaches the image for good.
    expect((await admin.post(path, {})).status).toBe(403);
    expect((await s.api(s.member).post(path, { size: 2048 })).status).toBe(403);
    const root = s.api(await s.make.user({ superuser: true }));
    expect((await root.post(path, { size: 100 })).status).toBe(400);
    const done = await root.post<{ size: number; documents: { copied: number }[] }>(path, {});
    expect(done.status).toBe(200);
    expect(done.body.size).toBe(DEFAULT_REGION_SIZE);
    expect(done.body.documents).toEqual([{ document: `image.${image}`, annotations: 6, copied: 6 }]);
    const again = await root.post<{ detail: string }>(path, {});
    expect(again.status).toBe(400);
    expect(JSON.stringify(again.body)).toContain('already has regions');
  });

  it('G6: the command-line client converts through the server and reports each document', async () => {
    const { s, image } = await history();
    const root = await s.make.user({ superuser: true });
    const token = await s.api(root).post<{ token: string }>('/users/tokens/', { name: 'cli' });
    const target = { baseUrl: server.baseUrl, authorization: `Bearer ${token.body.token}` };
    const report = await convertImageCommand(target, { imageId: image, size: 2048 });
    expect(conversionLines(report)).toEqual([
      `image ${image}: regions of 2048 pixels`,
      `image.${image}\t6 annotations\t6 copied into regions`,
    ]);
    const [row] = await server.db.query<{ annotation_region_size: number }>(
      'SELECT annotation_region_size FROM images WHERE id = $1',
      [image],
    );
    expect(row?.annotation_region_size).toBe(2048);
    await expect(convertImageCommand(target, { imageId: image, size: undefined })).rejects.toThrow(
      'already has regions of 2048 pixels',
    );
    await expect(convertImageCommand(target, { imageId: image, size: 4096 })).rejects.toThrow(
      'already has regions of 2048 pixels',
    );
  });

  it('G6: an edit and a verification that reach the old document while it is copied are carried over', async () => {
    const { s, image, admin, made } = await history();
    const [first, second] = made;
    const report = await convertToRegions(server.db, server.services.liveDocuments, image, SIZE, {
      afterCopies: (document) =>
        server.collab.write(
          document,
          (doc) => {
            updateFields(
              doc,
              first?.unique_identifier ?? '',
              { description: 'late' },
              {
                userId: s.member.id,
                now: Date.parse('2030-01-02T03:04:05Z'),
              },
            );
            setVerification(doc, second?.unique_identifier ?? '', true, { userId: s.member.id, now: 1 });
          },
          s.member.id,
        ),
    });
    expect(report.documents).toEqual([{ document: `image.${image}`, annotations: 6, copied: 6 }]);
    const now = await everything(admin, image);
    const late = now.annotations.find((a) => a.id === first?.id);
    expect(late).toMatchObject({ description: 'late', last_editor: s.member.id });
    expect(late?.last_edit_time).toBe('2030-01-02T03:04:05.000000');
    expect(now.verifications).toContainEqual(
      expect.objectContaining({ annotation: second?.id, user: s.member.id, verified: true }),
    );
    expect(now.annotations).toHaveLength(6);
    expect(await documentsOf(image)).not.toHaveProperty(`image.${image}`);
  });

  it("G6, A2-A3: a blind set's copies are converted each into the reader's own regions; each reader still sees only their own", async () => {
    const s = await versionScene(server);
    const image = s.images[0] as number;
    const reader = await s.make.user();
    await new MembershipsRepo(server.db).insert(s.team, reader.id, false);
    await new ImageSetsRepo(server.db).update(s.set, { collaboration_type: 1 });
    const [mine] = await annotate(s.api(s.member), [
      { image, annotation_type: s.box, vector: rect(1500, 10) },
    ]);
    const [theirs] = await annotate(s.api(reader), [
      { image, annotation_type: s.box, vector: rect(10, 1500) },
    ]);
    const report = await convert(image);
    expect(report.documents).toEqual(
      [
        { document: `image.${image}.user.${s.member.id}`, annotations: 1, copied: 1 },
        { document: `image.${image}.user.${reader.id}`, annotations: 1, copied: 1 },
      ].sort((a, b) => a.document.localeCompare(b.document)),
    );
    expect(await documentsOf(image)).toEqual({
      [`image.${image}.user.${s.member.id}.region.1.0`]: 1,
      [`image.${image}.user.${reader.id}.region.0.1`]: 1,
    });
    const seen = async (api: ApiClient) =>
      (await api.get<Page<RestAnnotation>>(`/annotations/annotations/?image=${image}`)).body.results.map(
        (a) => a.id,
      );
    expect(await seen(s.api(s.member))).toEqual([mine?.id]);
    expect(await seen(s.api(reader))).toEqual([theirs?.id]);
    expect((await seen(s.api(s.admin))).sort((a, b) => a - b)).toEqual(
      [mine?.id ?? 0, theirs?.id ?? 0].sort((a, b) => a - b),
    );
  });
});
