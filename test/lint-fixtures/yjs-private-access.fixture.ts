// Lint fixture (not part of the build or the normal lint run): every line marked "breaks" uses one
// of Yjs's internals (eslint.yjs-fence.js); shared/src/yjs-internals/fence-lint.unit.test.ts expects
// one error on each of them and none elsewhere.
import * as decoding from 'lib0/decoding'; // breaks
import * as Y from 'yjs';

type Listeners = ReturnType<Y.Doc['_observers']['get']>; // breaks

export function breaksTheFence(doc: Y.Doc, listeners: Listeners): number {
  const map = doc.getMap('annotations');
  doc._observers.set('update', listeners); // breaks
  const parent = map._item?.parent; // breaks
  const structs = doc.store.clients.get(doc.clientID) ?? []; // breaks
  const pending = doc.store.pendingStructs; // breaks
  const keys = map._map.size; // breaks
  const first = decoding.readVarUint(decoding.createDecoder(new Uint8Array([1])));
  return keys + structs.length + first + (parent === pending ? 1 : 0);
}
