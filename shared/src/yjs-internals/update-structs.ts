import * as Y from 'yjs';
import { storedStructAt } from './doc-internals.js';

/*
 * Reading a binary Yjs update without applying it: which of its structs are new to a document, in
 * which order Yjs would integrate them, and what each of their references (origin, right origin,
 * parent) points at. Mirrors yjs 13.6 `readClientsStructRefs` and `integrateStructs`
 * (src/utils/encoding.js) and `Item.getMissing` (src/structs/Item.js).
 */

/** A decoded delete set (yjs does not export the class's type). */
export type DeleteSet = ReturnType<typeof Y.decodeUpdate>['ds'];
/** An item's content (yjs does not export AbstractContent's type). */
export type Content = Y.Item['content'];

/** A problem that makes an update unacceptable; thrown inside the validator, returned as a reason. */
export class Refusal extends Error {}

/** A struct the update adds, with its clock range. */
export interface NewItem {
  item: Y.Item;
  client: number;
  clock: number;
  length: number;
}

/** What an ID points at: a struct the document has, or an item the update adds. */
export type Target = { kind: 'stored'; struct: Y.Item | Y.GC } | { kind: 'new'; entry: NewItem };

export interface DecodedUpdate {
  /** New items in the order Yjs integrates them (every dependency before its dependants). */
  order: NewItem[];
  /** New items by client, by clock. */
  byClient: Map<number, NewItem[]>;
  ds: DeleteSet;
}

/** Decodes an update (V1 encoding) or throws a Refusal. */
export function decode(update: Uint8Array): { structs: (Y.Item | Y.GC | Y.Skip)[]; ds: DeleteSet } {
  try {
    return Y.decodeUpdate(update);
  } catch (error) {
    throw new Refusal(`malformed update (${error instanceof Error ? error.message : 'unreadable'})`);
  }
}

/**
 * The update's new items, per client and in integration order. Refuses updates with structs the
 * document cannot integrate now (gaps, references to content it lacks, forward references), with
 * new garbage-collected ranges, and with structs that overlap what the document has only in part.
 */
export function newItems(doc: Y.Doc, structs: (Y.Item | Y.GC | Y.Skip)[]): Map<number, NewItem[]> {
  const byClient = new Map<number, NewItem[]>();
  const expected = new Map<number, number>();
  for (const struct of structs) {
    if (struct instanceof Y.Skip) continue;
    const { client, clock } = struct.id;
    const start = expected.get(client) ?? Y.getState(doc.store, client);
    const end = clock + struct.length;
    if (!Number.isSafeInteger(end) || struct.length < 1) throw new Refusal('malformed struct length');
    if (end <= start) continue; // the document has it already
    if (clock > start) throw new Refusal(`depends on changes of client ${client} the server lacks`);
    if (clock < start) throw new Refusal('repeats part of a change the server has');
    if (struct instanceof Y.GC) throw new Refusal('garbage-collected content is not accepted');
    expected.set(client, end);
    let list = byClient.get(client);
    if (list === undefined) byClient.set(client, (list = []));
    list.push({ item: struct, client, clock, length: struct.length });
  }
  return byClient;
}

/** The new item holding `id`, if the update adds it. */
export function findNew(byClient: Map<number, NewItem[]>, id: Y.ID): NewItem | undefined {
  const list = byClient.get(id.client);
  if (list === undefined) return undefined;
  let low = 0;
  let high = list.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const entry = list[mid];
    if (entry === undefined) break;
    if (id.clock < entry.clock) high = mid - 1;
    else if (id.clock >= entry.clock + entry.length) low = mid + 1;
    else return entry;
  }
  return undefined;
}

/** What `id` points at in the document or the update; throws a Refusal if neither has it. */
export function locate(doc: Y.Doc, byClient: Map<number, NewItem[]>, id: Y.ID): Target {
  const struct = storedStructAt(doc, id.client, id.clock);
  if (struct !== undefined) return { kind: 'stored', struct };
  const entry = findNew(byClient, id);
  if (entry !== undefined) return { kind: 'new', entry };
  throw new Refusal(`refers to content of client ${id.client} the server lacks`);
}

/** The IDs a new item depends on: its origin, right origin and parent (when given by ID). */
export function references(item: Y.Item): Y.ID[] {
  const ids: Y.ID[] = [];
  if (item.origin !== null) ids.push(item.origin);
  if (item.rightOrigin !== null) ids.push(item.rightOrigin);
  if (item.parent instanceof Y.ID) ids.push(item.parent);
  return ids;
}

/**
 * The order in which Yjs would integrate the new items: a port of `integrateStructs` where a
 * struct Yjs would leave pending (its dependency is neither stored nor integrable) is a Refusal.
 */
export function integrationOrder(doc: Y.Doc, byClient: Map<number, NewItem[]>): NewItem[] {
  const state = new Map<number, number>();
  const stateOf = (client: number): number => state.get(client) ?? Y.getState(doc.store, client);
  const readers = new Map([...byClient].map(([client, refs]) => [client, { i: 0, refs }]));
  const clients = [...byClient.keys()].sort((a, b) => a - b);
  const nextReader = () => {
    for (let client = clients.at(-1); client !== undefined; client = clients.at(-1)) {
      const reader = readers.get(client);
      if (reader !== undefined && reader.i < reader.refs.length) return reader;
      clients.pop();
    }
    return undefined;
  };
  const order: NewItem[] = [];
  const stack: NewItem[] = [];
  let reader = nextReader();
  let head = reader?.refs[reader.i++];
  while (head !== undefined) {
    if (stateOf(head.client) !== head.clock) throw new Refusal('depends on changes the server lacks');
    const missing = missingClient(head, stateOf);
    if (missing !== null) {
      stack.push(head);
      const source = readers.get(missing);
      const next = source?.refs[source.i];
      if (source === undefined || next === undefined)
        throw new Refusal('depends on changes the server lacks');
      source.i++;
      head = next;
      continue;
    }
    order.push(head);
    state.set(head.client, head.clock + head.length);
    head = stack.pop();
    if (head === undefined) {
      if (reader === undefined || reader.i >= reader.refs.length) reader = nextReader();
      head = reader?.refs[reader.i++];
    }
  }
  return order;
}

/** The client whose change `entry` waits for, or null; refuses references forward in time. */
function missingClient(entry: NewItem, stateOf: (client: number) => number): number | null {
  for (const id of references(entry.item)) {
    if (id.client === entry.client) {
      if (id.clock >= entry.clock) throw new Refusal('refers to a later change of its own client');
    } else if (id.clock >= stateOf(id.client)) return id.client;
  }
  return null;
}

/** A test for "does the update's delete set cover this id", by binary search per client. */
export function deletionTest(ds: DeleteSet): (id: Y.ID) => boolean {
  const sorted = new Map([...ds.clients].map(([client, ranges]) => [client, mergeRanges(ranges)]));
  return (id) => {
    const ranges = sorted.get(id.client) ?? [];
    let low = 0;
    let high = ranges.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const range = ranges[mid];
      if (range === undefined) return false;
      if (id.clock < range.clock) high = mid - 1;
      else if (id.clock >= range.clock + range.len) low = mid + 1;
      else return true;
    }
    return false;
  };
}

/** Sorted, non-overlapping ranges (a hostile delete set may be neither). */
function mergeRanges(ranges: readonly { clock: number; len: number }[]): { clock: number; len: number }[] {
  const merged: { clock: number; len: number }[] = [];
  for (const { clock, len } of [...ranges].sort((a, b) => a.clock - b.clock)) {
    const last = merged.at(-1);
    if (last !== undefined && clock <= last.clock + last.len) {
      last.len = Math.max(last.len, clock + len - last.clock);
    } else merged.push({ clock, len });
  }
  return merged;
}
