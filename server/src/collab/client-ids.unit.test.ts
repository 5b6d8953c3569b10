import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { newWriters } from './client-ids.js';

/** A document whose one client (`clientID`) wrote `count` map entries. */
function writer(clientID: number, count: number): Y.Doc {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  for (let i = 0; i < count; i++) doc.getMap('m').set(`${clientID}-${i}`, i);
  return doc;
}

describe('newWriters', () => {
  it('[V4] names the client ids whose changes the document does not have yet', () => {
    const server = new Y.Doc();
    const a = writer(1, 2);
    Y.applyUpdate(server, Y.encodeStateAsUpdate(a));
    a.getMap('m').set('later', 1);
    expect(newWriters(server, Y.encodeStateAsUpdate(a))).toEqual([1]);
  });

  it('[V4] a relayed state holding only changes the document has names nobody', () => {
    const server = new Y.Doc();
    const a = writer(1, 2);
    const b = writer(2, 3);
    Y.applyUpdate(server, Y.encodeStateAsUpdate(a));
    Y.applyUpdate(server, Y.encodeStateAsUpdate(b));
    // A third replica that received both and re-sends all it has (a local copy on reconnect).
    const relay = new Y.Doc();
    Y.applyUpdate(relay, Y.mergeUpdates([Y.encodeStateAsUpdate(a), Y.encodeStateAsUpdate(b)]));
    expect(newWriters(server, Y.encodeStateAsUpdate(relay))).toEqual([]);
    // With its own new change in the same update, only its own id is new.
    relay.clientID = 3;
    relay.getMap('m').set('own', 1);
    expect(newWriters(server, Y.encodeStateAsUpdate(relay))).toEqual([3]);
  });

  it('[V4] an update that only deletes names nobody (a delete set carries no client clocks)', () => {
    const server = writer(1, 2);
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(server));
    const before = Y.encodeStateVector(other);
    other.getMap('m').delete('1-0');
    expect(newWriters(server, Y.encodeStateAsUpdate(other, before))).toEqual([]);
  });
});
