import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createAnnotation } from '../annotations/document.js';
import { advanceStateVector, readStateVector, stateVectorFromUpdate } from './state-vector.js';
import { UnknownEncoding } from './update-reader.js';

const decoded = (sv: Uint8Array) => [...Y.decodeStateVector(sv)].sort((a, b) => a[0] - b[0]);

/** This reader (itself, not its fallback) and Yjs agree on the update: the same clients and clocks. */
function expectSame(update: Uint8Array): void {
  const yjs = decoded(Y.encodeStateVectorFromUpdate(update));
  expect([...readStateVector(update)].sort((a, b) => a[0] - b[0])).toEqual(yjs);
  expect(decoded(stateVectorFromUpdate(update))).toEqual(yjs);
}

describe('state vectors read by skipping structs', () => {
  it('match Yjs on annotation documents, with edits, deletions and several clients', () => {
    const a = new Y.Doc();
    a.transact(() => {
      for (let i = 0; i < 300; i++) {
        createAnnotation(
          a,
          {
            id: `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
            type: 3,
            vector: { x1: i, y1: i * 0.5, x2: i + 10.25, y2: i + 12 },
          },
          { userId: 1, now: 1_700_000_000_000 + i },
        );
      }
    });
    expectSame(Y.encodeStateAsUpdate(a));
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    b.transact(() => {
      const map = b.getMap('any');
      map.set('text 😀 ü', 'emoji 😀 and ü and 𝄞');
      map.set('nested', { list: [1, 2.5, -3, null, true, 'x'], big: 2 ** 40, obj: { k: [] } });
      map.set('bytes', new Uint8Array([1, 2, 3]));
      map.delete('text 😀 ü');
      const text = b.getText('t');
      text.insert(0, 'hello 😀 world');
      text.format(0, 5, { bold: true });
      text.delete(2, 3);
      const arr = b.getArray('arr');
      arr.insert(0, [1, 'two', { three: 3 }]);
      arr.insert(1, [new Y.Map()]);
      b.getXmlFragment('x').insert(0, [new Y.XmlElement('p'), new Y.XmlText('t')]);
    });
    expectSame(Y.encodeStateAsUpdate(b));
    // A delta (clocks not starting at 0) and a merge of both.
    const delta = Y.diffUpdate(Y.encodeStateAsUpdate(b), Y.encodeStateVector(a));
    expectSame(delta);
    expectSame(Y.mergeUpdates([Y.encodeStateAsUpdate(a), delta]));
    // An update with a gap (Skip) from merging non-adjacent pieces.
    const c = new Y.Doc();
    const pieces: Uint8Array[] = [];
    c.on('update', (u: Uint8Array) => pieces.push(u));
    for (let i = 0; i < 5; i++) c.getMap('m').set(`k${i}`, i);
    expectSame(Y.mergeUpdates([pieces[0] as Uint8Array, pieces[3] as Uint8Array]));
    expectSame(Y.encodeStateAsUpdate(new Y.Doc()));
  });

  it('fall back to Yjs for what they cannot read, and refuse garbage like it', () => {
    // One client, one struct of content ref 11 (unknown): the reader gives up, Yjs refuses too.
    const garbage = new Uint8Array([1, 1, 5, 0, 11]);
    expect(() => readStateVector(garbage)).toThrow(UnknownEncoding);
    expect(() => stateVectorFromUpdate(garbage)).toThrow();
    expect(() => readStateVector(new Uint8Array([1, 1]))).toThrow(UnknownEncoding);
  });

  it('advance a known state vector by a delta as applying it to the document does', () => {
    const doc = new Y.Doc();
    const pieces: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => pieces.push(u));
    for (let i = 0; i < 4; i++) doc.getMap('m').set(`k${i}`, i);
    const viewer = new Y.Doc();
    Y.applyUpdate(viewer, pieces[0] as Uint8Array);
    const at = () => new Map(Y.decodeStateVector(Y.encodeStateVector(viewer)));
    // The same client going on (clocks not starting at 0): Yjs's own reading ignores it.
    const before = at();
    const next = pieces[1] as Uint8Array;
    expect(new Map(Y.decodeStateVector(Y.encodeStateVectorFromUpdate(next)))).toEqual(new Map());
    Y.applyUpdate(viewer, next);
    expect(advanceStateVector(before, next)).toEqual(at());
    // A gap: the piece after the next one stays pending and moves no clock.
    const gap = pieces[3] as Uint8Array;
    const beforeGap = at();
    Y.applyUpdate(viewer, gap);
    expect(advanceStateVector(beforeGap, gap)).toEqual(at());
    expect(advanceStateVector(beforeGap, gap)).toEqual(beforeGap);
    // A new client next to a known one, in one merged delta.
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(viewer));
    other.getMap('m').set('z', 1);
    const merged = Y.mergeUpdates([
      pieces[2] as Uint8Array,
      Y.encodeStateAsUpdate(other, Y.encodeStateVector(viewer)),
    ]);
    const beforeMerged = at();
    Y.applyUpdate(viewer, merged);
    expect(advanceStateVector(beforeMerged, merged)).toEqual(at());
  });
});
