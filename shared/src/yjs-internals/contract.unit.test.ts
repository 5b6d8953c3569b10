import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  annotationsOf,
  createAnnotation,
  editsOf,
  markDeleted,
  ROOT_NAMES,
  setVerification,
  updateFields,
} from '../annotations/document.js';
import { box } from '../annotations/factories.js';
import { hasPending, mapKeyItem, storedStructAt } from './doc-internals.js';
import { Budget, winnerOf, type Winner } from './map-chain.js';
import { cutDelta, Straddles } from './state-delta.js';
import { advanceStateVector, readStateVector, stateVectorFromUpdate } from './state-vector.js';
import { addsNothing } from './update-content.js';
import {
  decode,
  deletionTest,
  integrationOrder,
  locate,
  newItems,
  type NewItem,
  type Target,
} from './update-structs.js';

/*
 * The contract of this folder: every fast path agrees with Yjs's own functions on random histories
 * of the annotation document (README.md). Replicas with client ids of every varint length edit,
 * soft-delete, verify (and change their minds) and remove edits while offline, then sync in random
 * pairs; every update they make, each replica's whole state, merges of the updates (with gaps), each
 * replica's delta over another's state and the tails of each replica's own log, merged, are read by
 * every fast path and compared with Yjs. A fixed seed runs first, then fresh seeds (fast-check
 * prints the seed of a failure).
 */

type Op =
  | { kind: 'create'; doc: number; description: string }
  | { kind: 'edit'; doc: number; pick: number; description: string; x: number }
  | { kind: 'softDelete'; doc: number; pick: number }
  | { kind: 'verify'; doc: number; pick: number; verified: boolean }
  | { kind: 'reverify'; doc: number; pick: number; to: number; times: number }
  | { kind: 'removeEdit'; doc: number; pick: number }
  | { kind: 'newSession'; doc: number }
  | { kind: 'sync'; from: number; to: number };

const REPLICAS = 3;

/** A client id of `bytes` varint bytes (the 5-byte ones up to 2^32 - 1, Yjs's random ids' range). */
const clientId = (bytes: number) =>
  fc.integer({ min: bytes === 1 ? 0 : 2 ** (7 * (bytes - 1)), max: Math.min(2 ** (7 * bytes), 2 ** 32) - 1 });

const anyClientId = fc.integer({ min: 1, max: 5 }).chain(clientId);
const doc = fc.integer({ min: 0, max: REPLICAS - 1 });
// Small picks: replicas often change the same annotation, so their offline edits conflict.
const pick = fc.nat(3);
const text = fc.string({ unit: 'binary', maxLength: 12 });

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('create' as const), doc, description: text }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('edit' as const),
      doc,
      pick,
      description: text,
      x: fc.integer({ min: 0, max: 1000 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('softDelete' as const), doc, pick }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('verify' as const), doc, pick, verified: fc.boolean() }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('reverify' as const),
      doc,
      pick,
      to: doc,
      times: fc.integer({ min: 2, max: 4 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('removeEdit' as const), doc, pick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('newSession' as const), doc }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('sync' as const), from: doc, to: doc }) },
);

/** Distinct client ids, at least one of each varint length among the first ones. */
const clientIds = fc
  .tuple(
    fc.tuple(clientId(1), clientId(2), clientId(3), clientId(4), clientId(5)),
    fc.array(anyClientId, { maxLength: 10 }),
  )
  .map(([each, more]) => [...new Set([...each, ...more])]);

const history = fc.record({
  ids: clientIds,
  ops: fc.array(op, { minLength: 1, maxLength: 30, size: 'max' }),
});

interface Replicas {
  docs: Y.Doc[];
  /** Every update any replica emitted, in order. */
  log: Uint8Array[];
  /** Per replica, the updates it emitted (its own changes and what it received), in order. */
  logs: Uint8Array[][];
}

/** Plays a history; replica i takes its client ids from `ids` at i, i + REPLICAS, ... in turn. */
function play(ids: number[], ops: Op[]): Replicas {
  const pools = Array.from({ length: REPLICAS }, (_, i) => ids.filter((_, at) => at % REPLICAS === i));
  const log: Uint8Array[] = [];
  const logs: Uint8Array[][] = pools.map(() => []);
  const docs = pools.map((pool, i) => {
    const replica = new Y.Doc();
    replica.clientID = pool[0] ?? 1_000_000 + i;
    replica.on('update', (update: Uint8Array) => {
      log.push(update);
      logs[i]?.push(update);
    });
    return replica;
  });
  const sessions = docs.map(() => 0);
  for (const [step, next] of ops.entries()) {
    const actor = { userId: 1 + (step % 3), now: 1_764_000_000_000 + step };
    if (next.kind === 'sync') {
      const from = docs[next.from] as Y.Doc;
      const to = docs[next.to] as Y.Doc;
      Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
      continue;
    }
    const replica = docs[next.doc] as Y.Doc;
    const ids = [...annotationsOf(replica).keys()].sort();
    const id = ids.length > 0 ? ids[('pick' in next ? next.pick : 0) % ids.length] : undefined;
    if (next.kind === 'create') createAnnotation(replica, box({ description: next.description }), actor);
    else if (next.kind === 'newSession') {
      const pool = pools[next.doc] ?? [];
      sessions[next.doc] = ((sessions[next.doc] ?? 0) + 1) % Math.max(1, pool.length);
      replica.clientID = pool[sessions[next.doc] ?? 0] ?? replica.clientID;
    } else if (id === undefined) continue;
    else if (next.kind === 'edit') {
      updateFields(
        replica,
        id,
        { description: next.description, vector: { x1: next.x, y1: 1, x2: next.x + 5, y2: 9 } },
        actor,
      );
    } else if (next.kind === 'softDelete') markDeleted(replica, id, actor);
    else if (next.kind === 'verify') setVerification(replica, id, next.verified, actor);
    else if (next.kind === 'reverify') {
      // One user changing their mind: overwritten values of one key merge into one deleted run,
      // which another replica, synced after the first, knows only in part (a delta cuts it).
      for (let k = 0; k < next.times; k++) {
        setVerification(replica, id, k % 2 === 0, actor);
        const to = docs[next.to] as Y.Doc;
        if (k === 0) Y.applyUpdate(to, Y.encodeStateAsUpdate(replica, Y.encodeStateVector(to)));
      }
    } else {
      const keys = [...editsOf(replica).keys()].sort();
      const key = keys[next.pick % Math.max(1, keys.length)];
      if (key !== undefined) editsOf(replica).delete(key);
    }
  }
  return { docs, log, logs };
}

/** The updates every fast path reads: each logged one, whole states, merges (with gaps), deltas. */
function corpus({ docs, log }: Replicas): Uint8Array[] {
  const states = docs.map((replica) => Y.encodeStateAsUpdate(replica));
  const deltas = docs.flatMap((from, i) =>
    docs.filter((_, j) => j !== i).map((to) => Y.encodeStateAsUpdate(from, Y.encodeStateVector(to))),
  );
  const merges =
    log.length > 0 ? [Y.mergeUpdates(log), Y.mergeUpdates(log.filter((_, i) => i % 2 === 0))] : [];
  return [...log, ...states, ...merges, ...deltas];
}

const sorted = (vector: Map<number, number>) => [...vector].sort((a, b) => a[0] - b[0]);
const yjsVector = (update: Uint8Array) => sorted(Y.decodeStateVector(Y.encodeStateVectorFromUpdate(update)));
const copyOf = (replica: Y.Doc) => {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(replica));
  return copy;
};
const stateBytes = (replica: Y.Doc) => Buffer.from(Y.encodeStateAsUpdate(replica));
const layoutJson = (replica: Y.Doc) =>
  Object.fromEntries(ROOT_NAMES.map((name) => [name, replica.getMap(name).toJSON()]));

/** Whether a struct of the update starts before the state vector's clock of its client and ends after it. */
function spansClock(update: Uint8Array, stateVector: Uint8Array): boolean {
  const known = Y.decodeStateVector(stateVector);
  return Y.decodeUpdate(update).structs.some(({ id, length }) => {
    const clock = known.get(id.client) ?? 0;
    return id.clock < clock && id.clock + length > clock;
  });
}

/** How often the byte-cut delta was taken rather than left to Yjs (the contract must exercise it). */
const counts = { cut: 0, sliced: 0, predicted: 0 };

/** The state-vector and delta fast paths on one update, against Yjs. */
function checkUpdate(update: Uint8Array, replicas: Y.Doc[]): void {
  expect(sorted(readStateVector(update))).toEqual(yjsVector(update));
  expect(sorted(Y.decodeStateVector(stateVectorFromUpdate(update)))).toEqual(yjsVector(update));
  for (const replica of replicas) {
    const stateVector = Y.encodeStateVector(replica);
    const yjs = Y.diffUpdate(update, stateVector);
    let cut: Uint8Array | null = null;
    try {
      cut = cutDelta(update, stateVector);
    } catch (error) {
      // An item spans the state vector's clock: left to Yjs (diffUpdateFast's fallback).
      if (!(error instanceof Straddles)) throw error;
    }
    if (cut !== null) {
      counts.cut++;
      if (spansClock(update, stateVector)) counts.sliced++;
      expect(cut.length).toBe(yjs.length);
      expect(yjsVector(cut)).toEqual(yjsVector(yjs));
      const viaCut = copyOf(replica);
      const viaYjs = copyOf(replica);
      Y.applyUpdate(viaCut, cut);
      Y.applyUpdate(viaYjs, yjs);
      expect(stateBytes(viaCut).equals(stateBytes(viaYjs))).toBe(true);
      expect(layoutJson(viaCut)).toEqual(layoutJson(viaYjs));
    }
    checkAddsNothing(replica, update);
  }
}

/** `addsNothing` is true exactly when Yjs, applying the update, announces no change and holds none back. */
function checkAddsNothing(replica: Y.Doc, update: Uint8Array): void {
  const copy = copyOf(replica);
  const heard = { update: false };
  copy.on('update', () => (heard.update = true));
  Y.applyUpdate(copy, update);
  expect(addsNothing(replica, update)).toBe(!heard.update && !hasPending(copy));
}

/** A delta of one replica over another: the advanced state vector and each key's winner, against Yjs. */
function checkDelta(from: Y.Doc, to: Y.Doc): void {
  const before = Y.decodeStateVector(Y.encodeStateVector(to));
  const delta = Y.encodeStateAsUpdate(from, Y.encodeStateVector(to));
  const winners = predictedWinners(to, delta);
  const after = copyOf(to);
  Y.applyUpdate(after, delta);
  expect(sorted(advanceStateVector(before, delta))).toEqual(
    sorted(Y.decodeStateVector(Y.encodeStateVector(after))),
  );
  for (const [place, winner] of winners) {
    counts.predicted++;
    const [root, key] = splitPlace(place);
    const map = after.getMap<unknown>(root);
    expect(map.has(key), place).toBe(winner.live);
    if (winner.live) expect(map.get(key), place).toEqual(winner.value);
  }
}

const splitPlace = (place: string): [string, string] => {
  const at = place.indexOf('/');
  return [place.slice(0, at), place.slice(at + 1)];
};

/**
 * The value each key the delta touches will hold, by the folder's own reading (update-structs.ts,
 * map-chain.ts), keyed `<root>/<key>`: as the validator reads an update, without its rules.
 */
function predictedWinners(doc: Y.Doc, update: Uint8Array): Map<string, Winner> {
  const { structs, ds } = decode(update);
  const byClient = newItems(doc, structs);
  const places = new Map<NewItem, string>();
  const storedPlace = (struct: Y.Item | Y.GC): string => {
    if (!(struct instanceof Y.Item)) throw new Error('a delta of the annotation layout names no GC');
    const root = ROOT_NAMES.find((name) => (doc.getMap(name) as object) === struct.parent);
    return `${root ?? '?'}/${struct.parentSub ?? '?'}`;
  };
  const placeOf = (target: Target): string => {
    if (target.kind === 'stored') return storedPlace(target.struct);
    const known = places.get(target.entry);
    if (known !== undefined) return known;
    const { item } = target.entry;
    const ref = item.origin ?? item.rightOrigin;
    // Decoded, not integrated: a top-level parent is its name.
    const parent: unknown = item.parent;
    const root = typeof parent === 'string' ? parent : '?';
    const place = ref !== null ? placeOf(locate(doc, byClient, ref)) : `${root}/${item.parentSub ?? '?'}`;
    places.set(target.entry, place);
    return place;
  };
  const fresh = new Map<string, NewItem[]>();
  for (const entry of integrationOrder(doc, byClient)) {
    const place = placeOf({ kind: 'new', entry });
    fresh.set(place, [...(fresh.get(place) ?? []), entry]);
  }
  for (const [client, ranges] of ds.clients) {
    for (const { clock, len } of ranges) {
      // Deletions of stored entries: their keys are touched too (new entries' keys are in already).
      for (let at = clock; at < clock + len;) {
        const struct = storedStructAt(doc, client, at);
        if (struct === undefined) break;
        if (!fresh.has(storedPlace(struct))) fresh.set(storedPlace(struct), []);
        at = struct.id.clock + struct.length;
      }
    }
  }
  const isDeleted = deletionTest(ds);
  const budget = new Budget(Number.MAX_SAFE_INTEGER);
  const winners = new Map<string, Winner>();
  for (const [place, entries] of fresh) {
    const [root, key] = splitPlace(place);
    winners.set(place, winnerOf(mapKeyItem(doc.getMap<unknown>(root), key), entries, isDeleted, budget));
  }
  return winners;
}

/**
 * A replica's own log merged from some point on (what a version capture merges from the server's
 * update log): its state vector at that point, advanced by the merge, is the replica's state vector.
 */
function checkLogTail(replica: Y.Doc, log: Uint8Array[], from: number): void {
  const earlier = new Y.Doc();
  for (const update of log.slice(0, from)) Y.applyUpdate(earlier, update);
  const before = Y.decodeStateVector(Y.encodeStateVector(earlier));
  const tail = Y.mergeUpdates(log.slice(from));
  expect(sorted(advanceStateVector(before, tail))).toEqual(
    sorted(Y.decodeStateVector(Y.encodeStateVector(replica))),
  );
}

function contract({ ids, ops }: { ids: number[]; ops: Op[] }): void {
  const replicas = play(ids, ops);
  for (const update of corpus(replicas)) checkUpdate(update, replicas.docs);
  for (const from of replicas.docs) for (const to of replicas.docs) if (from !== to) checkDelta(from, to);
  replicas.docs.forEach((replica, i) => {
    const log = replicas.logs[i] ?? [];
    for (const from of [0, log.length >> 1, log.length - 1]) if (from >= 0) checkLogTail(replica, log, from);
  });
}

describe('the Yjs internals agree with Yjs', () => {
  it('on a fixed seed', { timeout: 120_000 }, () => {
    fc.assert(fc.property(history, contract), { seed: 20_261_207, numRuns: 40 });
    expect(counts.cut).toBeGreaterThan(0);
    expect(counts.predicted).toBeGreaterThan(0);
    expect(counts.sliced).toBeGreaterThan(0);
  });

  it('on fresh seeds', { timeout: 120_000 }, () => {
    fc.assert(fc.property(history, contract), { numRuns: 20 });
  });
});
