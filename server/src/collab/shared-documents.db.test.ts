import { randomUUID } from 'node:crypto';
import { annotationsOf, createAnnotation, listAnnotations } from '@tessera/shared';
import { describe, expect, it } from 'vitest';
import { DocumentsRepo } from './documents.repo.js';
import { makeFixture, saved, sessionOf, useCollabServer } from '../../../test/support/collab-server.js';

// Two servers on one database share documents through the machine's Redis (CI starts it).
const h = useCollabServer({
  compactEvery: 10,
  redisUrl: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
});

function box(i: number) {
  return { x1: i, y1: i, x2: i + 5, y2: i + 5 };
}

describe('documents shared by two servers (TESSERA_REDIS_URL)', () => {
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
});
