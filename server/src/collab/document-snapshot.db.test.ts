import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import {
  createAnnotation,
  decodeUpdateFrames,
  listAnnotations,
  readRegionIndex,
  updateFields,
} from '@tessera/shared';
import { openLiveDocument } from '../../../test/support/collab-client.js';
import { Factories, type TestUser } from '../../../test/support/factories.js';
import { ApiClient } from '../../../test/support/http.js';
import { useTestServer } from '../../../test/support/server.js';
import { ImageSetsRepo } from '../resources/image-sets/image-sets.repo.js';
import { DocumentsRepo } from './documents.repo.js';

const server = useTestServer();

/** The snapshot as `user` fetches it, with the request's encoding preference. */
async function fetchSnapshot(user: TestUser, path: string, encoding = 'gzip') {
  const response = await fetch(`${server.baseUrl}/api/v1${path}`, {
    headers: {
      authorization: `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`,
      'accept-encoding': encoding,
    },
  });
  return { response, body: new Uint8Array(await response.arrayBuffer()) };
}

function docOf(body: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  for (const update of decodeUpdateFrames(body)) Y.applyUpdate(doc, update);
  return doc;
}

async function scene(o: { blind?: boolean; public?: boolean } = {}) {
  const make = new Factories(server.db);
  const [admin, member, other, outsider] = [
    await make.user(),
    await make.user(),
    await make.user(),
    await make.user(),
  ];
  const team = await make.team({ admins: [admin], members: [member, other] });
  const set = await make.imageSet(team, admin, { public: o.public ?? false });
  if (o.blind === true) await new ImageSetsRepo(server.db).update(set, { collaboration_type: 1 });
  const product = await make.product(team, admin, [set]);
  const type = await make.annotationType(product);
  const image = await make.image(set, admin);
  const token = async (user: TestUser) =>
    (await new ApiClient(server.baseUrl, user).post<{ token: string }>('/users/tokens/', { name: 't' })).body
      .token;
  return { admin, member, other, outsider, set, type, image, token };
}

/** The member draws one box into document `name` over its live connection, then leaves it. */
async function drawBox(
  s: Awaited<ReturnType<typeof scene>>,
  name: string,
  vector: { x1: number; y1: number; x2: number; y2: number },
): Promise<string> {
  const live = await openLiveDocument(server.baseUrl, name, await s.token(s.member));
  const id = createAnnotation(live.doc, { id: randomUUID(), type: s.type, vector }, { userId: s.member.id });
  await live.saved();
  live.close();
  return id;
}

/** Gives the scene's image regions of 4096 px (G1); the member draws one box in region 1.0. */
async function boxInRegion(s: Awaited<ReturnType<typeof scene>>): Promise<string> {
  await server.db.query('UPDATE images SET annotation_region_size = 4096 WHERE id = $1', [s.image]);
  return drawBox(s, `image.${s.image}.region.1.0`, { x1: 4100, y1: 10, x2: 4120, y2: 30 });
}

describe('images/images/<id>/annotation_document/ (rule S1)', () => {
  it('holds the compacted state and the newer log rows: applied, they are the live document', async () => {
    const s = await scene();
    const name = `image.${s.image}`;
    const token = await s.token(s.member);
    const first = await openLiveDocument(server.baseUrl, name, token);
    const ids = [0, 1, 2].map((i) =>
      createAnnotation(
        first.doc,
        { id: randomUUID(), type: s.type, vector: { x1: i, y1: i, x2: i + 5, y2: i + 5 } },
        { userId: s.member.id },
      ),
    );
    await first.saved();
    first.close();
    // The last connection gone, the document unloads and is compacted into a state row.
    await expect.poll(() => server.collab.hocuspocus.getDocumentsCount(), { timeout: 5000 }).toBe(0);
    const live = await openLiveDocument(server.baseUrl, name, token);
    updateFields(live.doc, ids[1] ?? '', { description: 'after the compaction' }, { userId: s.member.id });
    await live.saved();
    updateFields(live.doc, ids[2] ?? '', { deleted: true }, { userId: s.member.id });
    await live.saved();

    const { response, body } = await fetchSnapshot(
      s.member,
      `/images/images/${s.image}/annotation_document/`,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/vnd.tessera.yjs-updates');
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-tessera-document')).toBe(name);
    const frames = decodeUpdateFrames(body);
    expect(frames.length).toBeGreaterThan(1); // the state row, then log rows
    const copy = docOf(body);
    expect(listAnnotations(copy, { includeDeleted: true })).toEqual(
      listAnnotations(live.doc, { includeDeleted: true }),
    );
    expect(listAnnotations(copy).map((a) => a.description)).toContain('after the compaction');

    const plain = await fetchSnapshot(s.member, `/images/images/${s.image}/annotation_document/`, 'identity');
    expect(plain.response.headers.get('content-encoding')).toBeNull();
    expect(Number(plain.response.headers.get('content-length'))).toBe(plain.body.byteLength);
    expect(plain.body).toEqual(body);
    live.close();
  });

  it('[G6] for an image with regions, answers its index document: the one its workspace opens', async () => {
    const s = await scene();
    await boxInRegion(s);
    // The server writes the region's summary into the index (G3) a moment later.
    await expect
      .poll(async () => {
        const { response, body } = await fetchSnapshot(
          s.member,
          `/images/images/${s.image}/annotation_document/`,
        );
        expect(response.status).toBe(200);
        expect(response.headers.get('x-tessera-document')).toBe(`image.${s.image}.regions`);
        return readRegionIndex(docOf(body)).get('1.0')?.count;
      })
      .toBe(1);
    const outsider = await fetchSnapshot(s.outsider, `/images/images/${s.image}/annotation_document/`);
    expect(outsider.response.status).toBe(404);
  });

  it('answers an unloaded document from the copy compressed as it unloaded, while nothing newer is stored', async () => {
    const s = await scene();
    const name = `image.${s.image}`;
    const path = `/images/images/${s.image}/annotation_document/`;
    const id = await drawBox(s, name, { x1: 1, y1: 1, x2: 5, y2: 5 });
    const token = await s.token(s.member);
    const cache = server.services.documentSnapshots.cache;
    await expect.poll(() => cache.get(name) !== undefined, { message: 'the copy', timeout: 5000 }).toBe(true);
    const read = vi.spyOn(DocumentsRepo.prototype, 'storedUpdates');
    try {
      const cached = await fetchSnapshot(s.member, path);
      expect(cached.response.status).toBe(200);
      expect(cached.response.headers.get('x-tessera-document')).toBe(name);
      expect(listAnnotations(docOf(cached.body)).map((a) => a.id)).toEqual([id]);
      expect(read).not.toHaveBeenCalled();
      // Without gzip the rows are read as before.
      const plain = await fetchSnapshot(s.member, path, 'identity');
      expect(plain.response.headers.get('content-encoding')).toBeNull();
      expect(listAnnotations(docOf(plain.body)).map((a) => a.id)).toEqual([id]);
      expect(read).toHaveBeenCalledTimes(1);

      // A logged edit after the compacted state: the copy is not current, the rows answer.
      const live = await openLiveDocument(server.baseUrl, name, token);
      updateFields(live.doc, id, { description: 'after the unload' }, { userId: s.member.id });
      await live.saved();
      const after = await fetchSnapshot(s.member, path);
      expect(listAnnotations(docOf(after.body))[0]?.description).toBe('after the unload');
      expect(read).toHaveBeenCalledTimes(2);
      live.close();
      // A copy of another stored state (a compaction elsewhere replaced it) is dropped, not served.
      await cache.remember(name, -1, Uint8Array.from([1, 2, 3]));
      const replaced = await fetchSnapshot(s.member, path);
      expect(listAnnotations(docOf(replaced.body))[0]?.description).toBe('after the unload');
      expect(read).toHaveBeenCalledTimes(3);
      expect(cache.get(name)?.stateId).not.toBe(-1);
      // The outsider is refused before any copy is looked at.
      expect((await fetchSnapshot(s.outsider, path)).response.status).toBe(404);
    } finally {
      read.mockRestore();
    }
  });

  it('[G4] `?region=<x>.<y>` answers one region document of an image with regions, and warms it', async () => {
    const s = await scene();
    const path = `/images/images/${s.image}/annotation_document/`;
    // G1: an image without regions has no region documents.
    expect((await fetchSnapshot(s.member, `${path}?region=1.0`)).response.status).toBe(404);
    const id = await boxInRegion(s);
    // Unloaded: the answer is read from the stored rows, and the request loads the document again.
    await expect
      .poll(() => server.collab.hocuspocus.documents.has(`image.${s.image}.region.1.0`), { timeout: 5000 })
      .toBe(false);

    const { response, body } = await fetchSnapshot(s.member, `${path}?region=1.0`);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-tessera-document')).toBe(`image.${s.image}.region.1.0`);
    expect(listAnnotations(docOf(body)).map((a) => a.id)).toEqual([id]);
    await expect.poll(() => server.collab.hocuspocus.documents.has(`image.${s.image}.region.1.0`)).toBe(true);
    const empty = await fetchSnapshot(s.member, `${path}?region=3.2`);
    expect(empty.response.status).toBe(200);
    expect(decodeUpdateFrames(empty.body)).toEqual([]);

    for (const bad of ['1', '1.x', '-1.0', '1.0.0', '01.0'])
      expect((await fetchSnapshot(s.member, `${path}?region=${bad}`)).response.status).toBe(400);
    expect((await fetchSnapshot(s.outsider, `${path}?region=1.0`)).response.status).toBe(404);
  });

  it('an image without annotations answers no updates; the snapshot warms the live document', async () => {
    const s = await scene();
    const { response, body } = await fetchSnapshot(
      s.member,
      `/images/images/${s.image}/annotation_document/`,
    );
    expect(response.status).toBe(200);
    expect(decodeUpdateFrames(body)).toEqual([]);
    // Loaded for the connection that follows, and held a while without one.
    await expect.poll(() => server.collab.hocuspocus.documents.has(`image.${s.image}`)).toBe(true);
  });

  it("follows the live connection's access rules (A1-A4); everything refused is 404", async () => {
    const s = await scene();
    const path = `/images/images/${s.image}/annotation_document/`;
    expect((await fetchSnapshot(s.outsider, path)).response.status).toBe(404);
    expect(
      (await fetchSnapshot(s.member, `/images/images/999999/annotation_document/`)).response.status,
    ).toBe(404);
    expect((await fetchSnapshot(s.member, `${path}?user=${s.member.id}`)).response.status).toBe(404); // not blind
    expect((await fetchSnapshot(s.member, `${path}?user=abc`)).response.status).toBe(400);
    expect((await fetch(`${server.baseUrl}/api/v1${path}`)).status).toBe(401);

    const open = await scene({ public: true });
    const openPath = `/images/images/${open.image}/annotation_document/`;
    expect((await fetchSnapshot(open.outsider, openPath)).response.status).toBe(200); // a viewer reads

    const blind = await scene({ blind: true });
    const blindPath = `/images/images/${blind.image}/annotation_document/`;
    const own = await fetchSnapshot(blind.member, blindPath); // a reader's own copy, unasked
    expect(own.response.status).toBe(200);
    await expect
      .poll(() => server.collab.hocuspocus.documents.has(`image.${blind.image}.user.${blind.member.id}`))
      .toBe(true);
    expect((await fetchSnapshot(blind.member, `${blindPath}?user=${blind.member.id}`)).response.status).toBe(
      200,
    );
    expect((await fetchSnapshot(blind.member, `${blindPath}?user=${blind.other.id}`)).response.status).toBe(
      404,
    );
    expect((await fetchSnapshot(blind.admin, `${blindPath}?user=${blind.other.id}`)).response.status).toBe(
      200,
    );
  });
});
