import * as Y from 'yjs';

/*
 * The document's own bookkeeping, read where Yjs has no public call for it: a map's entries by key
 * (deleted ones included), a nested type's place in its parent, a client's structs in the store,
 * and the structs Yjs holds back until their dependencies arrive. Each is a field Yjs declares
 * (its .d.ts types it) but does not document as API; README.md lists them.
 */

/**
 * How many keys a Y.Map has ever held, removed ones included: a count (`_map.size`), where Y.Map's
 * `size` walks every entry to skip the removed ones. Zero means the map was never written.
 */
export function mapKeyCount<T>(map: Y.Map<T>): number {
  return map._map.size;
}

/**
 * The item that holds a key's current value (`_map.get`), deleted or not: the rightmost item of the
 * key's history. Undefined if the key was never set.
 */
export function mapKeyItem<T>(map: Y.Map<T>, key: string): Y.Item | undefined {
  return map._map.get(key);
}

/** Where a nested shared type lives (`_item`): its parent type and its key there; null for a root. */
export function nestingOf<T>(type: Y.AbstractType<T>): { parent: object; key: string | null } | null {
  const item = type._item;
  if (item === null) return null;
  return { parent: item.parent as object, key: item.parentSub };
}

/** The structs the document has of one client (`store.clients`), ordered by clock; empty if none. */
export function storedStructs(doc: Y.Doc, client: number): readonly (Y.Item | Y.GC)[] {
  return doc.store.clients.get(client) ?? [];
}

/**
 * The struct that holds clock `clock` of `client` in the document, if the document has it (found by
 * Yjs's own binary search, `findIndexSS`).
 */
export function storedStructAt(doc: Y.Doc, client: number, clock: number): Y.Item | Y.GC | undefined {
  if (clock >= Y.getState(doc.store, client)) return undefined;
  const structs = doc.store.clients.get(client);
  if (structs === undefined) return undefined;
  return structs[Y.findIndexSS(structs, clock)];
}

/** Whether Yjs holds structs or deletions back (`store.pendingStructs`, `pendingDs`) for lack of a dependency. */
export function hasPending(doc: Y.Doc): boolean {
  return doc.store.pendingStructs !== null || doc.store.pendingDs !== null;
}
