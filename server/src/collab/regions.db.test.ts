import { randomUUID } from 'node:crypto';
import {
  annotationsOf,
  createAnnotation,
  listAnnotations,
  markDeleted,
  readRegionIndex,
  regionIndexOf,
  updateFields,
  writeRegionSummary,
  type RegionSummary,
} from '@tessera/shared';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { TestUser } from '../../../test/support/factories.js';
import type { Viewer } from '../auth/viewer.js';
import { makeFixture, saved, sessionOf, useCollabServer } from '../../../test/support/collab-server.js';
import { AnnotationsService } from '../resources/annotations/annotations.service.js';
import { ImageSetsService } from '../resources/image-sets/image-sets.service.js';
import { VersionsService } from '../versions/versions.service.js';
import { MembershipsRepo } from '../resources/memberships/memberships.repo.js';
import { DocumentsRepo } from './documents.repo.js';
import { LiveDocumentsPort } from './live-documents.js';
import { rebuildProjection } from './projection-rebuild.js';

const h = useCollabServer({ accessSweepMs: 3_600_000 });

type Fixture = Awaited<ReturnType<typeof makeFixture>>;

const SIZE = 4096;

function viewerOf(user: TestUser): Viewer {
  return { id: user.id, username: user.username, isSuperuser: false, isStaff: false, via: 'session' };
}

/** A fixture whose image keeps its annotations in regions of SIZE pixels. */
async function regionFixture(o: { blind?: boolean; public?: boolean } = {}): Promise<Fixture> {
  const fx = await makeFixture(h, o);
  await h.db.query('UPDATE images SET annotation_region_size = $2 WHERE id = $1', [fx.image, SIZE]);
  return fx;
}

/** A box of the fixture's box type from (x, y), 10 px wide. */
function boxAt(doc: Y.Doc, fx: Fixture, user: TestUser, x: number, y = x): string {
  return createAnnotation(
    doc,
    { id: randomUUID(), type: fx.boxType, vector: { x1: x, y1: y, x2: x + 10, y2: y + 10 } },
    { userId: user.id },
  );
}

/** A box written on the server (as REST does), skipping the placement check as server writes do. */
async function serverBox(fx: Fixture, document: string, user: TestUser, x: number): Promise<string> {
  let id = '';
  await h.collab.write(
    document,
    (doc) => {
      id = boxAt(doc, fx, user, x);
    },
    user.id,
  );
  return id;
}

async function stored(document: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  for (const update of await new DocumentsRepo(h.db).storedUpdates(document)) Y.applyUpdate(doc, update);
  return doc;
}

async function logged(document: string): Promise<{ user_id: number | null }[]> {
  return h.db.query<{ user_id: number | null }>(
    'SELECT user_id FROM annotation_document_updates WHERE document = $1 ORDER BY id',
    [document],
  );
}

describe('documents of an image with regions (G1-G6)', () => {
  it('[A1][G1] parts of an image without regions are refused like a malformed name', async () => {
    const fx = await makeFixture(h);
    const cookie = await sessionOf(h, fx.member);
    const index = h.connect(`image.${fx.image}.regions`, { cookie });
    const region = h.connect(`image.${fx.image}.region.0.0`, { cookie });
    await expect
      .poll(() => [index, region].every((c) => c.refusals.includes('forbidden')), { message: 'refusals' })
      .toBe(true);
    expect([index, region].some((c) => c.authenticated())).toBe(false);
  });

  it('[G6] the whole document of an image with regions is retired; outsiders are told only forbidden', async () => {
    const fx = await regionFixture();
    const member = h.connect(`image.${fx.image}`, { cookie: await sessionOf(h, fx.member) });
    const outsider = h.connect(`image.${fx.image}`, { cookie: await sessionOf(h, fx.outsider) });
    await expect
      .poll(() => member.refusals.includes('document-retired') && outsider.refusals.includes('forbidden'), {
        message: 'refusals',
      })
      .toBe(true);
    expect(member.refusals).not.toContain('forbidden');
    expect(outsider.refusals).not.toContain('document-retired');
  });

  it('[A1][A5] parts follow the grants: members write, outsiders of a private set are refused', async () => {
    const fx = await regionFixture();
    const member = h.connect(`image.${fx.image}.region.0.0`, { cookie: await sessionOf(h, fx.member) });
    const index = h.connect(`image.${fx.image}.regions`, { cookie: await sessionOf(h, fx.admin) });
    const outsider = h.connect(`image.${fx.image}.regions`, { cookie: await sessionOf(h, fx.outsider) });
    await Promise.all([saved(member), saved(index)]);
    expect(member.provider.authorizedScope).toBe('read-write');
    expect(index.provider.authorizedScope).toBe('read-write');
    await expect.poll(() => outsider.refusals, { message: 'a refusal' }).toContain('forbidden');
  });

  it('[A4] a non-member of a public set reads a region read-only', async () => {
    const fx = await regionFixture({ public: true });
    const viewer = h.connect(`image.${fx.image}.region.0.0`, { cookie: await sessionOf(h, fx.outsider) });
    await saved(viewer);
    expect(viewer.provider.authorizedScope).toBe('readonly');
  });

  it('[A2][A3] blind sets: a reader opens the parts of their own copy only', async () => {
    const fx = await regionFixture({ blind: true });
    const cookie = await sessionOf(h, fx.member);
    const own = h.connect(`image.${fx.image}.user.${fx.member.id}.region.0.0`, { cookie });
    const others = h.connect(`image.${fx.image}.user.${fx.other.id}.regions`, { cookie });
    const shared = h.connect(`image.${fx.image}.regions`, { cookie });
    await saved(own);
    await expect
      .poll(() => others.refusals.includes('forbidden') && shared.refusals.includes('forbidden'), {
        message: 'refusals',
      })
      .toBe(true);
  });

  it('[G2][V1] a shape created outside its region is refused over the socket; a right one is projected', async () => {
    const fx = await regionFixture();
    const cookie = await sessionOf(h, fx.member);
    const region = `image.${fx.image}.region.1.0`;
    const wrong = h.connect(region, { cookie });
    await saved(wrong);
    boxAt(wrong.doc, fx, fx.member, 10); // centre in region 0.0
    await expect
      .poll(() => wrong.refusals.some((r) => r.startsWith('invalid-update:') && r.includes('region 0.0')))
      .toBe(true);
    const index = h.connect(`image.${fx.image}.regions`, { cookie });
    await saved(index);
    boxAt(index.doc, fx, fx.member, 5_000); // shapes belong to regions
    await expect.poll(() => index.refusals.some((r) => r.startsWith('invalid-update:'))).toBe(true);

    const right = h.connect(region, { cookie });
    await saved(right);
    const id = boxAt(right.doc, fx, fx.member, SIZE * 2 - 8, 100); // across the border, centre inside
    await saved(right);
    expect(right.refusals).toEqual([]);
    await expect
      .poll(async () =>
        h.db.query<{ document: string }>(
          'SELECT document FROM annotations WHERE unique_identifier = $1 AND image_id = $2',
          [id, fx.image],
        ),
      )
      .toEqual([{ document: region }]);
    expect(annotationsOf(await stored(region)).has(id)).toBe(true);
    expect(annotationsOf(await stored(`image.${fx.image}.region.0.0`)).size).toBe(0);
  });

  it('[G3][P5] the index summary is written after edits, seen live, and not rewritten when unchanged', async () => {
    const fx = await regionFixture();
    const cookie = await sessionOf(h, fx.member);
    const indexName = `image.${fx.image}.regions`;
    const reader = h.connect(indexName, { cookie });
    const writer = h.connect(`image.${fx.image}.region.0.0`, { cookie });
    await Promise.all([saved(reader), saved(writer)]);

    const first = boxAt(writer.doc, fx, fx.member, 100);
    boxAt(writer.doc, fx, fx.member, 300);
    await saved(writer);
    const expected: RegionSummary = {
      count: 2,
      extent: [100, 100, 310, 310],
      grid: Array.from({ length: 256 }, (_, i) => (i === 0 || i === 17 ? 1 : 0)),
      types: { [fx.boxType]: 2 },
    };
    await expect
      .poll(() => readRegionIndex(reader.doc).get('0.0'), { message: 'the summary at the index client' })
      .toEqual(expected);
    // Written by the server (P5): logged, under no user.
    const rows = await logged(indexName);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.user_id === null)).toBe(true);

    // A description changes nothing the index says: nothing is written.
    const textBefore = regionIndexOf(reader.doc).get('0.0');
    updateFields(writer.doc, first, { description: 'mitosis' }, { userId: fx.member.id });
    await saved(writer);
    await h.collab.regionIndex.settled(indexName);
    expect(await logged(indexName)).toHaveLength(rows.length);
    expect(regionIndexOf(reader.doc).get('0.0')).toBe(textBefore);

    // A deletion does: the count and extent follow.
    markDeleted(writer.doc, first, { userId: fx.member.id });
    await saved(writer);
    await expect
      .poll(() => readRegionIndex(reader.doc).get('0.0')?.count, { message: 'the new count' })
      .toBe(1);
    expect(readRegionIndex(reader.doc).get('0.0')?.extent).toEqual([300, 300, 310, 310]);
    expect(reader.refusals).toEqual([]);
  });

  it('[G3] a burst of edits in several regions is summarized in one index transaction', async () => {
    const fx = await regionFixture();
    const indexName = `image.${fx.image}.regions`;
    // Held loaded by a reader: an unload compacts the log away.
    const reader = h.connect(indexName, { cookie: await sessionOf(h, fx.member) });
    await saved(reader);
    const before = (await logged(indexName)).length;
    await Promise.all([
      serverBox(fx, `image.${fx.image}.region.0.0`, fx.member, 10),
      serverBox(fx, `image.${fx.image}.region.2.3`, fx.member, 0).then(() => undefined),
    ]);
    await h.collab.regionIndex.settled(indexName);
    const index = await stored(indexName);
    expect([...readRegionIndex(index).keys()].sort()).toEqual(['0.0', '2.3']);
    expect(readRegionIndex(index).get('2.3')?.count).toBe(1);
    expect((await logged(indexName)).length - before).toBe(1);
  });

  it('[G3] a region that loads while the index lacks or misstates it gets its summary', async () => {
    const fx = await regionFixture();
    const indexName = `image.${fx.image}.regions`;
    const region = `image.${fx.image}.region.0.0`;
    await serverBox(fx, region, fx.member, 10);
    await h.collab.regionIndex.settled(indexName);
    // The index is made wrong (as a crash between the two writes would leave it).
    await h.collab.write(
      indexName,
      (doc) => {
        writeRegionSummary(
          doc,
          { x: 0, y: 0 },
          { count: 7, extent: null, grid: Array(256).fill(0), types: {} },
        );
      },
      null,
    );
    await expect.poll(() => h.collab.hocuspocus.documents.has(region), { timeout: 10_000 }).toBe(false);
    const reader = h.connect(region, { cookie: await sessionOf(h, fx.member) });
    await saved(reader);
    await h.collab.regionIndex.settled(indexName);
    expect(readRegionIndex(await stored(indexName)).get('0.0')?.count).toBe(1);
  });

  it('[G5][G6] a version captures the index and region documents, not the retired whole one', async () => {
    const fx = await makeFixture(h);
    await serverBox(fx, `image.${fx.image}`, fx.member, 10);
    await h.db.query('UPDATE images SET annotation_region_size = $2 WHERE id = $1', [fx.image, SIZE]);
    const label = randomUUID();
    await serverBox(fx, `image.${fx.image}.region.0.0`, fx.member, 10);
    await serverBox(fx, `image.${fx.image}.region.1.1`, fx.member, SIZE + 10);
    await h.collab.write(
      `image.${fx.image}.regions`,
      (doc) => {
        createAnnotation(doc, { id: label, type: fx.boxType, vector: null }, { userId: fx.member.id });
      },
      fx.member.id,
    );
    await h.collab.regionIndex.settled(`image.${fx.image}.regions`);
    const id = await new VersionsService(h.db).create(viewerOf(fx.admin), {
      name: `regions ${randomUUID()}`,
      description: '',
      imagesets: [fx.imageSet],
    });
    const documents = await h.db.query<{ document: string }>(
      'SELECT document FROM set_version_documents WHERE version_id = $1 ORDER BY document',
      [id],
    );
    expect(documents.map((d) => d.document)).toEqual([
      `image.${fx.image}.region.0.0`,
      `image.${fx.image}.region.1.1`,
      `image.${fx.image}.regions`,
    ]);
    const frozen = await h.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM version_annotations r
       JOIN set_version_documents d ON d.document = r.document AND d.version_id = $1
       WHERE r.valid_from <= $1 AND (r.valid_to IS NULL OR r.valid_to > $1)`,
      [id],
    );
    expect(frozen[0]?.n).toBe(3);
  });

  it('[B1] leaving blind mode merges each part of a copy into the shared part; the shared index is recomputed', async () => {
    const fx = await regionFixture({ blind: true });
    const copy = `image.${fx.image}.user.${fx.member.id}`;
    const inCopy = await serverBox(fx, `${copy}.region.0.0`, fx.member, 10);
    const farAway = await serverBox(fx, `${copy}.region.5.5`, fx.member, SIZE * 5 + 10);
    const label = randomUUID();
    await h.collab.write(
      `${copy}.regions`,
      (doc) => {
        createAnnotation(doc, { id: label, type: fx.boxType, vector: null }, { userId: fx.member.id });
        // An index entry no shared region backs: it must not reach the shared index.
        writeRegionSummary(
          doc,
          { x: 9, y: 9 },
          { count: 3, extent: null, grid: Array(256).fill(0), types: {} },
        );
      },
      null,
    );
    const inShared = await serverBox(fx, `image.${fx.image}.region.0.0`, fx.admin, 20);
    await h.collab.regionIndex.settled(`${copy}.regions`);
    await h.collab.regionIndex.settled(`image.${fx.image}.regions`);

    const port = new LiveDocumentsPort();
    port.attach(h.collab);
    await new ImageSetsService(h.db, port).update(viewerOf(fx.admin), fx.imageSet, { collaboration_type: 2 });

    const ids = async (document: string) =>
      listAnnotations(await stored(document))
        .map((a) => a.id)
        .sort();
    expect(await ids(`image.${fx.image}.region.0.0`)).toEqual([inCopy, inShared].sort());
    expect(await ids(`image.${fx.image}.region.5.5`)).toEqual([farAway]);
    expect(await ids(`image.${fx.image}.regions`)).toEqual([label]);
    const rows = await h.db.query<{ unique_identifier: string; document: string }>(
      'SELECT unique_identifier, document FROM annotations WHERE image_id = $1 ORDER BY document, unique_identifier',
      [fx.image],
    );
    expect(rows.filter((r) => r.unique_identifier === farAway)).toEqual([
      { unique_identifier: farAway, document: `image.${fx.image}.region.5.5` },
    ]);
    expect(rows.every((r) => !r.document.includes('.user.'))).toBe(true);
    const left = await h.db.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM annotation_document_states WHERE document LIKE $1)
            + (SELECT count(*) FROM annotation_document_updates WHERE document LIKE $1) AS n`,
      [`image.${fx.image}.user.%`],
    );
    expect(Number(left[0]?.n)).toBe(0);

    await h.collab.regionIndex.settled(`image.${fx.image}.regions`);
    const index = readRegionIndex(await stored(`image.${fx.image}.regions`));
    expect(index.has('9.9')).toBe(false);
    expect(index.get('0.0')?.count).toBe(2);
    expect(index.get('5.5')?.count).toBe(1);
  });

  it('[A6][G6] open connections: a part loses access with the membership, a converted whole is retired', async () => {
    const fx = await regionFixture();
    const region = h.connect(`image.${fx.image}.region.0.0`, { cookie: await sessionOf(h, fx.member) });
    await saved(region);
    const memberships = new MembershipsRepo(h.db);
    const membership = await memberships.of(fx.member.id, fx.team);
    if (!membership) throw new Error('fixture without membership');
    await memberships.delete(membership.id);
    await expect.poll(() => region.refusals, { timeout: 5_000 }).toContain('access-revoked');

    const plain = await makeFixture(h);
    const whole = h.connect(`image.${plain.image}`, { cookie: await sessionOf(h, plain.member) });
    await saved(whole);
    await h.db.query('UPDATE images SET annotation_region_size = $2 WHERE id = $1', [plain.image, SIZE]);
    await h.collab.recheckAccess();
    await expect.poll(() => whole.refusals, { timeout: 5_000 }).toContain('document-retired');
  });

  it('[G6][R1] a retired whole document is not projected again; a rebuild removes its rows', async () => {
    const fx = await makeFixture(h);
    const whole = `image.${fx.image}`;
    const old = await serverBox(fx, whole, fx.member, 10);
    const rowsOf = () =>
      h.db.query<{ document: string }>('SELECT document FROM annotations WHERE unique_identifier = $1', [
        old,
      ]);
    expect(await rowsOf()).toEqual([{ document: whole }]);
    await h.db.query('UPDATE images SET annotation_region_size = $2 WHERE id = $1', [fx.image, SIZE]);
    await rebuildProjection(h.db, [whole]);
    expect(await rowsOf()).toEqual([]);
    // Loaded again on the server (a conversion or a version reads it): still nothing projected.
    await expect.poll(() => h.collab.hocuspocus.documents.has(whole), { timeout: 10_000 }).toBe(false);
    const direct = await h.collab.hocuspocus.openDirectConnection(whole, { userId: null });
    await h.collab.projection.settled(whole);
    await direct.disconnect();
    expect(await rowsOf()).toEqual([]);
  });

  it("[P2][G5] a blind reader lists the annotations of their own copy's regions, not another reader's", async () => {
    const fx = await regionFixture({ blind: true });
    const own = await serverBox(fx, `image.${fx.image}.user.${fx.member.id}.region.0.0`, fx.member, 10);
    await serverBox(fx, `image.${fx.image}.user.${fx.other.id}.region.0.0`, fx.other, 10);
    const port = new LiveDocumentsPort();
    port.attach(h.collab);
    const listed = async (user: TestUser) =>
      (
        await new AnnotationsService(h.db, port).list(viewerOf(user), [
          { name: 'image', lookup: 'exact', value: fx.image },
        ])
      ).rows.map((r) => r.unique_identifier);
    expect(await listed(fx.member)).toEqual([own]);
    expect(await listed(fx.admin)).toHaveLength(2);
  });
});
