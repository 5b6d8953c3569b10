import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createAnnotation, readRecord, updateFields } from '@tessera/shared';
import { ConflictLog } from './conflict-log';
import { lostValues, type LostValues } from './conflicts';

const ID = '00000000-0000-4000-8000-000000000001';
const BOX = { x1: 0, y1: 0, x2: 10, y2: 10 };
const ALICE = { user: 1, client: 11 };
const BOB = { user: 2, client: 22 };

/** A replica with a fixed Yjs client id holding `from`'s state. */
function replica(from: Y.Doc, client: number): Y.Doc {
  const doc = new Y.Doc();
  doc.clientID = client;
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(from));
  return doc;
}

function base(): Y.Doc {
  const doc = new Y.Doc();
  doc.clientID = 99;
  createAnnotation(doc, { id: ID, type: 1, vector: BOX }, { userId: 9, now: 1 });
  return doc;
}

/** Applies what `from` has and `to` lacks, as the server would relay it; returns what `to` lost. */
function receive(to: Y.Doc, from: Y.Doc, me: { user: number; client: number }): LostValues[] {
  const found: LostValues[] = [];
  const listener = (transaction: Y.Transaction) => {
    if (!transaction.local) found.push(...lostValues(to, transaction, (c) => c === me.client, me.user));
  };
  to.on('afterTransaction', listener);
  Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)), 'server');
  to.off('afterTransaction', listener);
  return found;
}

const moved = (dx: number) => ({ vector: { x1: dx, y1: 0, x2: 10 + dx, y2: 10 } });

describe('lostValues (C1)', () => {
  it('[M2][C1] names the field, both values and the winner to the user whose concurrent move lost', () => {
    const start = base();
    const alice = replica(start, ALICE.client);
    const bob = replica(start, BOB.client);
    updateFields(alice, ID, moved(5), { userId: ALICE.user, now: 100 });
    updateFields(bob, ID, moved(7), { userId: BOB.user, now: 200 });
    const aliceLost = receive(alice, bob, ALICE);
    const bobLost = receive(bob, alice, BOB);
    // Both replicas hold one value (M2); exactly one side lost it.
    expect(readRecord(alice, ID)?.['vector']).toEqual(readRecord(bob, ID)?.['vector']);
    const winnerIsBob = (readRecord(alice, ID)?.['vector'] as { x1: number }).x1 === 7;
    const [loser, winnerLost] = winnerIsBob ? [aliceLost, bobLost] : [bobLost, aliceLost];
    expect(winnerLost).toEqual([]);
    expect(loser).toHaveLength(1);
    const lost = loser[0];
    expect(lost?.annotation).toBe(ID);
    expect(lost?.fields).toEqual([
      {
        field: 'vector',
        mine: winnerIsBob ? moved(5).vector : moved(7).vector,
        theirs: winnerIsBob ? moved(7).vector : moved(5).vector,
      },
    ]);
    expect(lost?.winnerClient).toBe(winnerIsBob ? BOB.client : ALICE.client);
    expect(lost?.theirStamp).toEqual(winnerIsBob ? { by: BOB.user, at: 200 } : { by: ALICE.user, at: 100 });
    expect(lost?.mineAt).toBe(winnerIsBob ? 100 : 200);
  });

  it('[C1] a concurrent description edit is a lost text too', () => {
    const start = base();
    const alice = replica(start, ALICE.client);
    const bob = replica(start, BOB.client);
    updateFields(alice, ID, { description: 'mitosis, atypical' }, { userId: ALICE.user, now: 100 });
    updateFields(bob, ID, { description: 'tangential cut' }, { userId: BOB.user, now: 101 });
    const lost = [...receive(alice, bob, ALICE), ...receive(bob, alice, BOB)];
    expect(lost).toHaveLength(1);
    expect(lost[0]?.fields.map((f) => f.field)).toEqual(['description']);
  });

  it('[C1] is silent when the other writer had seen our value (a plain later edit)', () => {
    const start = base();
    const alice = replica(start, ALICE.client);
    const bob = replica(start, BOB.client);
    updateFields(alice, ID, moved(5), { userId: ALICE.user, now: 100 });
    receive(bob, alice, BOB);
    updateFields(bob, ID, moved(7), { userId: BOB.user, now: 200 });
    updateFields(bob, ID, moved(8), { userId: BOB.user, now: 201 });
    expect(receive(alice, bob, ALICE)).toEqual([]);
    expect((readRecord(alice, ID)?.['vector'] as { x1: number }).x1).toBe(8);
  });

  it('[M1][C1] is silent when concurrent edits changed different fields', () => {
    const start = base();
    const alice = replica(start, ALICE.client);
    const bob = replica(start, BOB.client);
    updateFields(alice, ID, moved(5), { userId: ALICE.user, now: 100 });
    updateFields(bob, ID, { type: 2 }, { userId: BOB.user, now: 200 });
    expect([...receive(alice, bob, ALICE), ...receive(bob, alice, BOB)]).toEqual([]);
  });

  it('[C1] is silent when both wrote the same value', () => {
    const start = base();
    const alice = replica(start, ALICE.client);
    const bob = replica(start, BOB.client);
    updateFields(alice, ID, moved(5), { userId: ALICE.user, now: 100 });
    updateFields(bob, ID, moved(5), { userId: BOB.user, now: 200 });
    expect([...receive(alice, bob, ALICE), ...receive(bob, alice, BOB)]).toEqual([]);
  });

  it('[C1] finds a loss to several offline rewrites, and not in a fresh load of old history', () => {
    const start = base();
    const alice = replica(start, ALICE.client);
    const bob = replica(start, BOB.client);
    updateFields(alice, ID, moved(5), { userId: ALICE.user, now: 100 });
    for (const dx of [1, 2, 3]) updateFields(bob, ID, moved(dx), { userId: BOB.user, now: 100 + dx });
    const lost = [...receive(alice, bob, ALICE), ...receive(bob, alice, BOB)];
    expect(lost).toHaveLength(1);
    // A new replica that loads the whole merged history has nothing of its own to lose.
    const fresh = new Y.Doc();
    expect(receive(fresh, alice, ALICE)).toEqual([]);
  });

  it("[C1] counts the values of this browser's earlier page loads of the document as its own", () => {
    const start = base();
    // Alice's page before a reload, offline; a client id that loses to Bob's (Yjs orders by id).
    const before = replica(start, 5);
    updateFields(before, ID, moved(5), { userId: ALICE.user, now: 100 });
    const alice = replica(before, ALICE.client); // the reloaded page: the IndexedDB copy, a new id
    const bob = replica(start, BOB.client);
    updateFields(bob, ID, moved(7), { userId: BOB.user, now: 200 });
    const found: LostValues[] = [];
    alice.on('afterTransaction', (t: Y.Transaction) => {
      if (!t.local) found.push(...lostValues(alice, t, (c) => c === ALICE.client || c === 5, ALICE.user));
    });
    Y.applyUpdate(alice, Y.encodeStateAsUpdate(bob, Y.encodeStateVector(alice)), 'server');
    expect((readRecord(alice, ID)?.['vector'] as { x1: number }).x1).toBe(7);
    expect(found.map((f) => f.fields.map((x) => x.field))).toEqual([['vector']]);
  });
});

describe('ConflictLog (C2)', () => {
  it('[C2] marks a winning edit older than the value it replaced (made offline), newest first', () => {
    const log = new ConflictLog();
    const lost = (at: number): LostValues => ({
      annotation: ID,
      fields: [{ field: 'vector', mine: BOX, theirs: moved(3).vector }],
      winnerClient: BOB.client,
      theirStamp: { by: BOB.user, at },
      mineAt: 500,
    });
    log.add([lost(900)], () => null);
    log.add([lost(100)], (client) => (client === BOB.client ? BOB.user : null));
    const [older, newer] = log.getConflicts();
    expect(older).toMatchObject({ winner: BOB.user, olderThanMine: true, theirsAt: 100, mineAt: 500 });
    expect(newer).toMatchObject({ winner: BOB.user, olderThanMine: false });
    if (older === undefined || newer === undefined) throw new Error('two conflicts expected');
    expect(ConflictLog.mine(newer)).toEqual({ vector: BOX });
    log.markApplied(older.seq);
    expect(log.getConflicts()[0]?.applied).toBe(true);
  });
});
