import { randomUUID } from 'node:crypto';
import { annotationsOf, createAnnotation, listAnnotations, readRecord, updateFields } from '@tessera/shared';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createLogger } from '../logging/logger.js';
import { createHocuspocus } from './collab.server.js';
import { DocumentsRepo } from './documents.repo.js';
import {
  addBoxes,
  goOffline,
  makeFixture,
  saved,
  sessionOf,
  useCollabServer,
} from '../../../test/support/collab-server.js';

const h = useCollabServer();

/** The document as the log alone rebuilds it (no compacted state in these tests). */
async function fromLog(name: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  for (const row of await new DocumentsRepo(h.db).updatesAfter(name, 0)) Y.applyUpdate(doc, row.update);
  return doc;
}

describe('durability of live updates', () => {
  it('[P1] every acknowledged update is in the log the moment it is acknowledged', async () => {
    const fx = await makeFixture(h);
    const name = `image.${fx.image}`;
    const client = h.connect(name, { cookie: await sessionOf(h, fx.member) });
    await saved(client);
    const ids = addBoxes(client, fx, fx.member.id, 20);
    await saved(client);
    const rows = await new DocumentsRepo(h.db).updatesAfter(name, 0);
    expect(rows).toHaveLength(20);
    expect([...annotationsOf(await fromLog(name)).keys()].sort()).toEqual([...ids].sort());
  });

  it('[M6][V1][P1] offline work arrives in sync step 2: checked, logged and merged', async () => {
    const fx = await makeFixture(h);
    const name = `image.${fx.image}`;
    const online = h.connect(name, { cookie: await sessionOf(h, fx.admin) });
    const offline = h.connect(name, { cookie: await sessionOf(h, fx.member) });
    await Promise.all([saved(online), saved(offline)]);
    await goOffline(offline);
    const away = addBoxes(offline, fx, fx.member.id, 3);
    const here = addBoxes(online, fx, fx.admin.id, 2);
    await saved(online);
    await offline.socket.connect();
    await saved(offline);
    const all = [...away, ...here].sort();
    await expect
      .poll(() => annotationsOf(online.doc).size === 5, { message: 'the offline work to arrive' })
      .toBe(true);
    expect([...annotationsOf(offline.doc).keys()].sort()).toEqual(all);
    expect([...annotationsOf(await fromLog(name)).keys()].sort()).toEqual(all);
  });

  it('[P2] concurrent appends share INSERTs (group commit)', async () => {
    const fx = await makeFixture(h);
    const name = `image.${fx.image}`;
    const clients = await Promise.all(
      [fx.admin, fx.member, fx.other].map(async (u) => ({
        u,
        c: h.connect(name, { cookie: await sessionOf(h, u) }),
      })),
    );
    await Promise.all(clients.map(({ c }) => saved(c)));
    const before = h.collab.log.batchCount;
    for (const { u, c } of clients) addBoxes(c, fx, u.id, 30);
    await Promise.all(clients.map(({ c }) => saved(c)));
    const batches = h.collab.log.batchCount - before;
    expect(await new DocumentsRepo(h.db).updatesAfter(name, 0)).toHaveLength(90);
    expect(batches).toBeLessThan(90);
  });

  it('[M6][V1] a malformed update is refused and not stored; the client keeps its valid work after a reload', async () => {
    const fx = await makeFixture(h);
    const name = `image.${fx.image}`;
    const cookie = await sessionOf(h, fx.member);
    const peer = h.connect(name, { cookie: await sessionOf(h, fx.admin) });
    const client = h.connect(name, { cookie });
    await Promise.all([saved(client), saved(peer)]);
    const kept = addBoxes(client, fx, fx.member.id, 3);
    updateFields(client.doc, kept[0] ?? '', { description: 'kept' }, { userId: fx.member.id });
    await saved(client);
    const repo = new DocumentsRepo(h.db);
    const logged = (await repo.updatesAfter(name, 0)).length;

    const bad = createAnnotation(
      client.doc,
      { id: randomUUID(), type: fx.boxType, vector: { x1: 1, y1: 2 } },
      { userId: fx.member.id },
    );
    await expect
      .poll(() => client.refusals.some((r) => r.startsWith('invalid-update')), { message: 'the refusal' })
      .toBe(true);
    expect(client.refusals.join()).toContain('vector');
    expect(await repo.updatesAfter(name, 0)).toHaveLength(logged);

    const again = h.connect(name, { cookie });
    await saved(again);
    await expect
      .poll(() => annotationsOf(again.doc).size === 3, { message: 'the reloaded document' })
      .toBe(true);
    expect([...annotationsOf(again.doc).keys()].sort()).toEqual([...kept].sort());
    expect(readRecord(again.doc, kept[0] ?? '')?.description).toBe('kept');
    expect(annotationsOf(peer.doc).has(bad)).toBe(false);

    const unknownType = createAnnotation(
      again.doc,
      { id: randomUUID(), type: 987_654, vector: { x1: 1, y1: 2, x2: 3, y2: 4 } },
      { userId: fx.member.id },
    );
    await expect
      .poll(() => again.refusals.some((r) => r.includes('not allowed')), { message: 'the type refusal' })
      .toBe(true);
    expect(await repo.updatesAfter(name, 0)).toHaveLength(logged);
    expect(annotationsOf(peer.doc).has(unknownType)).toBe(false);
  });

  it('[P5] server-side writes are logged before write() resolves and reach open clients', async () => {
    const fx = await makeFixture(h);
    const name = `image.${fx.image}`;
    const client = h.connect(name, { cookie: await sessionOf(h, fx.member) });
    await saved(client);
    const id = randomUUID();
    const vector = { x1: 5, y1: 5, x2: 9, y2: 9 };
    await h.collab.write(
      name,
      (doc) => createAnnotation(doc, { id, type: fx.boxType, vector }, { userId: fx.admin.id }),
      fx.admin.id,
    );
    const rows = await new DocumentsRepo(h.db).updatesAfter(name, 0);
    expect(rows).toHaveLength(1);
    expect(annotationsOf(await fromLog(name)).has(id)).toBe(true);
    await expect
      .poll(() => annotationsOf(client.doc).has(id), { message: 'the client to see the server-side write' })
      .toBe(true);
  });

  it('[P3] a second instance loads the log of a document that was never compacted', async () => {
    const fx = await makeFixture(h);
    const name = `image.${fx.image}`;
    const client = h.connect(name, { cookie: await sessionOf(h, fx.member) });
    await saved(client);
    addBoxes(client, fx, fx.member.id, 12);
    await saved(client);
    expect(await new DocumentsRepo(h.db).state(name)).toBeUndefined();
    const other = createHocuspocus({ db: h.db, auth: h.auth, logger: createLogger('silent') });
    const direct = await other.hocuspocus.openDirectConnection(name);
    try {
      expect(listAnnotations(direct.document ?? new Y.Doc())).toEqual(listAnnotations(client.doc));
    } finally {
      await direct.disconnect();
    }
  });

  it('[P3] a fresh server process loads every annotation from the database', async () => {
    const fx = await makeFixture(h);
    const name = `image.${fx.image}`;
    const client = h.connect(name, { cookie: await sessionOf(h, fx.member) });
    await saved(client);
    addBoxes(client, fx, fx.member.id, 25);
    await saved(client);
    const expected = listAnnotations(client.doc);

    await h.restart();
    const fresh = h.connect(name, { cookie: await sessionOf(h, fx.admin) });
    await saved(fresh);
    await expect
      .poll(() => annotationsOf(fresh.doc).size === 25, { message: 'the loaded document' })
      .toBe(true);
    expect(listAnnotations(fresh.doc)).toEqual(expected);
  });
});
