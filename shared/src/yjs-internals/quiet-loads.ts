// Whole-document loads without Yjs's 'update' event (the browser's and the server's).
import type * as Y from 'yjs';

type UpdateListeners = ReturnType<Y.Doc['_observers']['get']>;

/**
 * Lets the transactions whose origin `isLoad` accepts skip the document's 'update' event. Yjs encodes
 * every transaction once more as an update for its 'update' listeners; for the load of a whole
 * document that costs as much again as the load itself, and no listener needs it. In the browser
 * (IndexedDB's copy, the server's snapshot) the provider must not send a load back to the server,
 * y-indexeddb ignores its own loads, and the snapshot's bytes are stored as they came; on the server
 * (the stored state) Hocuspocus's broadcast has no connection to send it to while the document
 * loads. Returns the function that stops it.
 */
export function quietLoads(doc: Y.Doc, isLoad: (origin: unknown) => boolean): () => void {
  let held: UpdateListeners;
  const restore = () => {
    if (held === undefined) return;
    doc._observers.set('update', held);
    held = undefined;
  };
  const before = (transaction: Y.Transaction) => {
    // Any other transaction is announced as usual (one started by an observer of the load included).
    if (!isLoad(transaction.origin)) {
      restore();
      return;
    }
    // Yjs encodes only when the map has an 'update' entry, after 'afterTransactionCleanup'.
    held ??= doc._observers.get('update');
    doc._observers.delete('update');
  };
  doc.on('beforeTransaction', before);
  doc.on('afterAllTransactions', restore);
  return () => {
    doc.off('beforeTransaction', before);
    doc.off('afterAllTransactions', restore);
    restore();
  };
}
