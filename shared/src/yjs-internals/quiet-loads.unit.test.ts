import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { quietLoads } from './quiet-loads.js';

const LOAD = Symbol('load');

describe('quietLoads', () => {
  it('skips the update event for loads only, and keeps every listener for what follows', () => {
    const source = new Y.Doc();
    source.getMap('m').set('a', 1);
    const doc = new Y.Doc();
    const seen: unknown[] = [];
    doc.on('update', (_update: Uint8Array, origin: unknown) => seen.push(origin));
    const stop = quietLoads(doc, (origin) => origin === LOAD);
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(source), LOAD);
    expect(doc.getMap('m').get('a')).toBe(1); // applied,
    expect(seen).toEqual([]); // but not announced
    doc.getMap('m').set('b', 2);
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(source), 'remote');
    source.getMap('m').set('c', 3);
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(source), 'remote');
    expect(seen).toEqual([null, 'remote']);
    stop();
    source.getMap('m').set('d', 4);
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(source), LOAD);
    expect(seen).toEqual([null, 'remote', LOAD]);
  });

  it('restores the listeners when a load throws', () => {
    const doc = new Y.Doc();
    const seen: unknown[] = [];
    doc.on('update', () => seen.push(1));
    quietLoads(doc, (origin) => origin === LOAD);
    expect(() => {
      doc.transact(() => {
        throw new Error('broken load');
      }, LOAD);
    }).toThrow(/broken load/);
    doc.getMap('m').set('x', 1);
    expect(seen).toEqual([1]);
  });
});
