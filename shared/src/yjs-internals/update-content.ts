import * as Y from 'yjs';

/**
 * Whether applying `update` would change nothing in `doc`: all its structs are known and all its
 * deletions already done. A reconnecting client's sync step 2 often is such an update (it carries
 * the client's whole delete set); it need not be logged.
 */
export function addsNothing(doc: Y.Doc, update: Uint8Array): boolean {
  const { structs, ds } = Y.decodeUpdate(update);
  for (const struct of structs) {
    if (struct.id.clock + struct.length > Y.getState(doc.store, struct.id.client)) return false;
  }
  for (const [client, ranges] of ds.clients) {
    const known = doc.store.clients.get(client);
    for (const { clock, len } of ranges) {
      if (known === undefined || clock + len > Y.getState(doc.store, client)) return false;
      for (let i = Y.findIndexSS(known, clock); i < known.length; i++) {
        const struct = known[i];
        if (struct === undefined || struct.id.clock >= clock + len) break;
        if (!struct.deleted) return false;
      }
    }
  }
  return true;
}
