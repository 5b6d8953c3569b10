import { randomUUID } from 'node:crypto';
import { annotationsOf, createAnnotation, listAnnotations } from '@tessera/shared';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { DocumentsRepo } from './documents.repo.js';
import { makeFixture, saved, sessionOf, useCollabServer } from '../../../test/support/collab-server.js';
import { freePort } from '../../../test/support/process.js';
import { lacking } from '../../../test/support/prerequisites.js';

// Two servers on one database share documents through a redis-server of this file's own.
const h = useCollabServer({ compactEvery: 10, redis: true });

function box(i: number) {
  return { x1: i, y1: i, x2: i + 5, y2: i + 5 };
}

describe.skipIf(lacking('redis-server'))('documents shared by two servers (TESSERA_REDIS_URL)', () => {
  it('an edit through one server reaches a client of the other, both ways, and so does a REST write', async () => {
    const fx = await makeFixture(h);
    const name = `image.${fx.image}`;
    const peer = await h.startPeer();
    await expect.poll(() => h.collab.sharing?.sharing && peer.collab.sharing?.sharing).toBe(true);
    // One session, valid on both servers: sessions live in PostgreSQL.
    const cookie = await sessionOf(h, fx.member);
    const onA = h.connect(name, { cookie });
    const onB = h.connect(name, { cookie }, peer.url);
    await Promise.all([saved(onA), saved(onB)]);

    const fromA = createAnnotation(
      onA.doc,
      { id: randomUUID(), type: fx.boxType, vector: box(1) },
      { userId: fx.member.id },
    );
    await expect.poll(() => annotationsOf(onB.doc).has(fromA), { message: 'A to B' }).toBe(true);
    const fromB = createAnnotation(
      onB.doc,
      { id: randomUUID(), type: fx.boxType, vector: box(2) },
      { userId: fx.member.id },
    );
    await expect.poll(() => annotationsOf(onA.doc).has(fromB), { message: 'B to A' }).toBe(true);

    const fromRest = randomUUID();
    await h.collab.write(
      name,
      (doc) =>
        createAnnotation(doc, { id: fromRest, type: fx.boxType, vector: box(3) }, { userId: fx.admin.id }),
      fx.admin.id,
    );
    await expect.poll(() => annotationsOf(onB.doc).has(fromRest), { message: 'REST on A to B' }).toBe(true);

    // Each update was logged once, by the server its writer used (none relayed was logged again).
    await Promise.all([saved(onA), saved(onB)]);
    expect(await new DocumentsRepo(h.db).updatesAfter(name, 0)).toHaveLength(3);
  });

  it('a server started while Redis is down serves unshared, then shares once Redis is up', async () => {
    const fx = await makeFixture(h);
    const name = `image.${fx.image}`;
    const url = `redis://127.0.0.1:${await freePort()}`;
    const first = await h.startPeer({ redisUrl: url });
    expect(first.collab.sharing?.sharing).toBe(false);
    const cookie = await sessionOf(h, fx.member);
    const onFirst = h.connect(name, { cookie }, first.url);
    await saved(onFirst);
    createAnnotation(
      onFirst.doc,
      { id: randomUUID(), type: fx.boxType, vector: box(1) },
      { userId: fx.member.id },
    );
    await saved(onFirst);
    expect(await new DocumentsRepo(h.db).updatesAfter(name, 0)).toHaveLength(1);
    // And one that stops while Redis is still down stops cleanly.
    const stopping = await h.startPeer({ redisUrl: url });
    await expect(stopping.collab.close()).resolves.toBeUndefined();

    await h.startRedisAt(Number(new URL(url).port));
    const second = await h.startPeer({ redisUrl: url });
    await expect
      .poll(() => first.collab.sharing?.sharing && second.collab.sharing?.sharing, { timeout: 10_000 })
      .toBe(true);
    const onSecond = h.connect(name, { cookie }, second.url);
    await saved(onSecond);
    const later = createAnnotation(
      onFirst.doc,
      { id: randomUUID(), type: fx.boxType, vector: box(2) },
      { userId: fx.member.id },
    );
    await expect.poll(() => annotationsOf(onSecond.doc).has(later), { timeout: 10_000 }).toBe(true);
  });

  it('[P4s] both servers compact under one lock and no row is lost, whichever server wrote it', async () => {
    const fx = await makeFixture(h);
    const name = `image.${fx.image}`;
    const repo = new DocumentsRepo(h.db);
    const peer = await h.startPeer();
    await expect.poll(() => peer.collab.sharing?.sharing).toBe(true);
    const onA = h.connect(name, { cookie: await sessionOf(h, fx.member) });
    const onB = h.connect(name, { cookie: await sessionOf(h, fx.other) }, peer.url);
    await Promise.all([saved(onA), saved(onB)]);
    for (let i = 0; i < 30; i++) {
      const [client, user] = i % 2 === 0 ? [onA, fx.member] : [onB, fx.other];
      createAnnotation(
        client.doc,
        { id: randomUUID(), type: fx.boxType, vector: box(i) },
        { userId: user.id },
      );
      if (i % 5 === 4) await Promise.all([saved(onA), saved(onB)]);
    }
    await Promise.all([saved(onA), saved(onB)]);
    await expect
      .poll(() => annotationsOf(onA.doc).size === 30 && annotationsOf(onB.doc).size === 30)
      .toBe(true);
    const expected = listAnnotations(onA.doc);
    await expect
      .poll(async () => (await repo.state(name)) !== undefined, { message: 'a compaction' })
      .toBe(true);

    onA.destroy();
    onB.destroy();
    await expect
      .poll(() => h.collab.hocuspocus.getDocumentsCount() + peer.collab.hocuspocus.getDocumentsCount(), {
        message: 'both servers to unload the document',
      })
      .toBe(0);
    await h.restart();
    const fresh = h.connect(name, { cookie: await sessionOf(h, fx.admin) });
    await saved(fresh);
    await expect.poll(() => annotationsOf(fresh.doc).size, { message: 'the stored document' }).toBe(30);
    expect(listAnnotations(fresh.doc)).toEqual(expected);
  });

  it('[P4s] a compaction first applies rows another server logged that never reached this one', async () => {
    const fx = await makeFixture(h);
    const name = `image.${fx.image}`;
    const repo = new DocumentsRepo(h.db);
    const client = h.connect(name, { cookie: await sessionOf(h, fx.member) });
    await saved(client);
    const mine = createAnnotation(
      client.doc,
      { id: randomUUID(), type: fx.boxType, vector: box(1) },
      { userId: fx.member.id },
    );
    await saved(client);
    // Another server's row, whose relay was lost (Redis down): in the log, not in this server's copy.
    const elsewhere = new Y.Doc();
    for (const update of await repo.storedUpdates(name)) Y.applyUpdate(elsewhere, update);
    const updates: Uint8Array[] = [];
    elsewhere.on('update', (update: Uint8Array) => updates.push(update));
    const theirs = createAnnotation(
      elsewhere,
      { id: randomUUID(), type: fx.boxType, vector: box(2) },
      { userId: fx.other.id },
    );
    await repo.appendUpdates(updates.map((update) => ({ document: name, update, userId: fx.other.id })));
    const document = h.collab.hocuspocus.documents.get(name);
    expect(document?.isDestroyed).toBe(false);
    // A later row of this server, so the compaction covers the other server's row.
    const later = createAnnotation(
      client.doc,
      { id: randomUUID(), type: fx.boxType, vector: box(3) },
      { userId: fx.member.id },
    );
    await saved(client);
    expect(annotationsOf(client.doc).has(theirs)).toBe(false);

    if (document) await h.collab.store.compact(name, document);
    const stored = new Y.Doc();
    for (const update of await repo.storedUpdates(name)) Y.applyUpdate(stored, update);
    expect([...annotationsOf(stored).keys()].sort()).toEqual([mine, theirs, later].sort());
    expect(await repo.updatesAfter(name, 0)).toEqual([]);
    // The catching up reached the server's clients too.
    await expect.poll(() => annotationsOf(client.doc).has(theirs)).toBe(true);
  });

  it('[P4s] one compactor per document: while another server holds the lock, this one leaves it', async () => {
    const fx = await makeFixture(h);
    const name = `image.${fx.image}`;
    const repo = new DocumentsRepo(h.db);
    const client = h.connect(name, { cookie: await sessionOf(h, fx.member) });
    await saved(client);
    createAnnotation(
      client.doc,
      { id: randomUUID(), type: fx.boxType, vector: box(1) },
      { userId: fx.member.id },
    );
    await saved(client);
    const document = h.collab.hocuspocus.documents.get(name);
    if (!document) throw new Error('the document is not loaded');
    const rows = (await repo.updatesAfter(name, 0)).length;
    await h.db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('tessera.compaction'), hashtext($1))`, [name]);
      await h.collab.store.compact(name, document);
    });
    expect(await repo.state(name)).toBeUndefined();
    expect(await repo.updatesAfter(name, 0)).toHaveLength(rows);
  });
});
