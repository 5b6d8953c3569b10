import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createAnnotation, markDeleted, updateFields } from '../annotations/document.js';
import { cutDelta, diffUpdateFast } from './state-delta.js';

const uuid = (i: number) => `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;

function annotate(doc: Y.Doc, from: number, to: number, userId: number): void {
  doc.transact(() => {
    for (let i = from; i < to; i++) {
      createAnnotation(
        doc,
        { id: uuid(i), type: 3, vector: { x1: i, y1: i * 0.5, x2: i + 10.25, y2: i + 12 } },
        { userId, now: 1_700_000_000_000 + i },
      );
    }
  });
}

/** The document a list of updates makes, as one canonical update. */
function stateOf(updates: readonly Uint8Array[]): Uint8Array {
  const doc = new Y.Doc();
  for (const u of updates) Y.applyUpdate(doc, u);
  return Y.encodeStateAsUpdate(doc);
}

/**
 * The cut delta holds what Yjs's does (the same size, the same state vector) and completes the
 * earlier state to the later one. Its bytes may differ in one flag: an item with an origin is copied
 * as it was, while Yjs, re-encoding it, drops its "has a key" bit (which readers ignore there).
 */
function expectSameAsYjs(update: Uint8Array, earlier: Uint8Array): void {
  const stateVector = Y.encodeStateVectorFromUpdate(earlier);
  const cut = cutDelta(update, stateVector);
  const yjs = Y.diffUpdate(update, stateVector);
  expect(cut.length).toBe(yjs.length);
  expect(Y.encodeStateVectorFromUpdate(cut)).toEqual(Y.encodeStateVectorFromUpdate(yjs));
  const whole = stateOf([update]);
  expect(Buffer.from(stateOf([earlier, cut])).equals(Buffer.from(whole))).toBe(true);
  expect(Buffer.from(stateOf([earlier, yjs])).equals(Buffer.from(whole))).toBe(true);
}

describe('deltas cut from an update by skipping structs', () => {
  it('match Yjs on annotation documents edited by several clients, with overwrites and deletions', () => {
    const live = new Y.Doc();
    annotate(live, 0, 200, 1);
    const captured = Y.encodeStateAsUpdate(live);
    // The same client goes on (the clock continues), another client joins, values are overwritten
    // (the old ones are collected into GC runs) and a whole annotation is removed.
    annotate(live, 200, 230, 1);
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(live));
    other.on('update', (u: Uint8Array) => {
      Y.applyUpdate(live, u);
    });
    annotate(other, 1000, 1020, 2);
    for (let i = 0; i < 30; i++) updateFields(live, uuid(i), { description: `edited ${i}` }, { userId: 1 });
    for (let i = 0; i < 5; i++) updateFields(other, uuid(i), { description: `again ${i}` }, { userId: 2 });
    for (let i = 40; i < 45; i++) markDeleted(live, uuid(i), { userId: 1 });
    live.transact(() => {
      const root = live.getMap('annotations');
      for (const key of [...root.keys()].slice(50, 55)) root.delete(key);
    });
    expectSameAsYjs(Y.encodeStateAsUpdate(live), captured);
    // Nothing new: only the delete set travels.
    expectSameAsYjs(captured, captured);
    // Against an empty state vector: everything.
    expectSameAsYjs(Y.encodeStateAsUpdate(live), Y.encodeStateAsUpdate(new Y.Doc()));
  });

  // Client ids of every varint length: each shifts where the structs fall in the bytes.
  it.each([1, 300, 70_000, 174_991_475, 4_000_000_000])(
    'cut the deleted items and collected runs that span the capture, as Yjs slices them (client %i)',
    (clientID) => {
      const docFor = (offset: number) => {
        const doc = new Y.Doc();
        doc.clientID = clientID + offset;
        return doc;
      };
      const live = docFor(0);
      const map = live.getMap('m');
      map.set('k', 0);
      const captured = Y.encodeStateAsUpdate(live);
      // Overwriting a key deletes its old value; the next overwrite deletes the value set after the
      // capture too, and the two deleted items merge into one across the capture.
      map.set('k', 1);
      map.set('k', 2);
      const sv = Y.encodeStateVectorFromUpdate(captured);
      const sliced = Y.encodeStateAsUpdate(live);
      // The same structs as Yjs's slice (compared decoded: the bytes may differ in the flag above).
      expect(Y.decodeUpdate(cutDelta(sliced, sv))).toEqual(Y.decodeUpdate(Y.diffUpdate(sliced, sv)));
      expectSameAsYjs(sliced, captured);
      // Deleting a nested map collects its content into a GC run, which merges the same way.
      const doc = docFor(1);
      const nested = new Y.Map<number>();
      doc.getMap('m').set('nested', nested);
      nested.set('a', 0);
      nested.set('b', 0);
      const withNested = Y.encodeStateAsUpdate(doc);
      nested.set('c', 1);
      doc.getMap('m').delete('nested');
      const collected = Y.encodeStateAsUpdate(doc);
      expect(cutDelta(collected, Y.encodeStateVectorFromUpdate(withNested))).toEqual(
        Y.diffUpdate(collected, Y.encodeStateVectorFromUpdate(withNested)),
      );
      expectSameAsYjs(collected, withNested);
      // A key chain with right origins: a second client wrote between the first client's values.
      const other = docFor(2);
      Y.applyUpdate(other, Y.encodeStateAsUpdate(live));
      other.getMap('m').set('k', 3);
      Y.applyUpdate(live, Y.encodeStateAsUpdate(other));
      const before = Y.encodeStateAsUpdate(live);
      map.set('k', 4);
      map.set('k', 5);
      expectSameAsYjs(Y.encodeStateAsUpdate(live), before);
    },
  );

  it('leave to Yjs the items it would have to slice, and what they cannot read', async () => {
    const live = new Y.Doc();
    live.getText('t').insert(0, 'hello');
    const captured = Y.encodeStateVector(live);
    live.getText('t').insert(5, ' world');
    // One text item of 11 characters now spans the captured clock 5.
    const update = Y.mergeUpdates([Y.encodeStateAsUpdate(live)]);
    let fellBack = 0;
    const fallback = (u: Uint8Array, sv: Uint8Array) => {
      fellBack++;
      return Promise.resolve(Y.diffUpdate(u, sv));
    };
    const delta = await diffUpdateFast(update, captured, fallback);
    expect(Buffer.from(delta).equals(Buffer.from(Y.diffUpdate(update, captured)))).toBe(true);
    const garbage = new Uint8Array([1, 1, 5, 0, 11]);
    await expect(diffUpdateFast(garbage, captured, fallback)).rejects.toThrow();
    expect(fellBack).toBe(2);
  });
});
