// The merge rules of docs/SPEC-collab.md (M1-M5), on documents that edit apart and then exchange their
// changes, as clients do when they reconnect after working offline.
import type * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import {
  annotationsOf,
  createAnnotation,
  listAnnotations,
  markDeleted,
  readRecord,
  readVerifications,
  setVerification,
  updateFields,
} from './document.js';
import { alice, bob, box, clientOf, serverDoc, exchange } from './factories.js';

function twoOfflineClients() {
  const { doc: server, ids } = serverDoc(1);
  return { id: ids[0] ?? '', a: clientOf(server), b: clientOf(server) };
}

describe('merging concurrent and offline edits', () => {
  it('[M1] a move offline and a relabel and description online both survive', () => {
    const { id, a, b } = twoOfflineClients();
    updateFields(a, id, { vector: { x1: 5, y1: 5, x2: 25, y2: 30 } }, alice);
    updateFields(b, id, { type: 2, description: 'atypical' }, bob);
    exchange(a, b);
    for (const doc of [a, b]) {
      expect(readRecord(doc, id)).toMatchObject({
        vector: { x1: 5, y1: 5, x2: 25, y2: 30 },
        type: 2,
        description: 'atypical',
      });
    }
  });

  it('[M2] two moves of one annotation keep one of them everywhere, with its writer in the stamp', () => {
    const { id, a, b } = twoOfflineClients();
    const fromA = { x1: 1, y1: 1, x2: 9, y2: 9 };
    const fromB = { x1: 50, y1: 50, x2: 90, y2: 90 };
    updateFields(a, id, { vector: fromA }, alice);
    updateFields(b, id, { vector: fromB }, bob);
    exchange(a, b);
    const [left, right] = [readRecord(a, id), readRecord(b, id)];
    expect(left).toEqual(right);
    const winner = (left?.vector as { x1: number }).x1 === 1 ? alice : bob;
    expect([fromA, fromB]).toContainEqual(left?.vector);
    expect(left?.edited).toEqual({ by: winner.userId, at: winner.now });
  });

  it('[M2] time does not decide: an older offline edit can win over a newer online one, on every replica', () => {
    const { id, a, b } = twoOfflineClients();
    updateFields(a, id, { description: 'written offline first' }, { userId: 1, now: 1_000 });
    updateFields(b, id, { description: 'written online later' }, { userId: 2, now: 9_000_000_000_000 });
    exchange(a, b);
    expect(readRecord(a, id)?.description).toBe(readRecord(b, id)?.description);
  });

  it('[M3] a delete and a concurrent move: the annotation stays deleted, and a restore shows the move', () => {
    const { id, a, b } = twoOfflineClients();
    markDeleted(a, id, alice);
    updateFields(b, id, { vector: { x1: 70, y1: 70, x2: 80, y2: 80 } }, bob);
    exchange(a, b);
    for (const doc of [a, b]) {
      expect(annotationsOf(doc).has(id)).toBe(true);
      expect(readRecord(doc, id)).toMatchObject({
        deleted: true,
        vector: { x1: 70, y1: 70, x2: 80, y2: 80 },
      });
      expect(listAnnotations(doc)).toHaveLength(0);
    }
    updateFields(a, id, { deleted: false }, alice);
    exchange(a, b);
    expect(listAnnotations(b).map((x) => x.vector)).toEqual([{ x1: 70, y1: 70, x2: 80, y2: 80 }]);
  });

  it('[M4] annotations created offline by two clients all appear after reconnecting', () => {
    const { a, b } = twoOfflineClients();
    const fromA = [createAnnotation(a, box(), alice), createAnnotation(a, box(), alice)];
    const fromB = [createAnnotation(b, box(), bob)];
    exchange(a, b);
    const ids = (doc: Y.Doc) => [...annotationsOf(doc).keys()].sort();
    expect(ids(a)).toEqual(ids(b));
    expect(ids(a)).toEqual(expect.arrayContaining([...fromA, ...fromB]));
    expect(ids(a)).toHaveLength(4);
  });

  it('[M5] two reviewers verifying at once both count', () => {
    const { id, a, b } = twoOfflineClients();
    setVerification(a, id, true, alice);
    setVerification(b, id, false, bob);
    exchange(a, b);
    for (const doc of [a, b]) {
      const byUser = Object.fromEntries(readVerifications(doc, id).map((v) => [v.user, v.verified]));
      expect(byUser).toEqual({ [alice.userId]: true, [bob.userId]: false });
    }
  });
});
