import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { Reader, SKIP_REF, skipStruct, UnknownEncoding } from './update-reader.js';

/*
 * What a Yjs update (v1 encoding) holds beyond a state vector, cut out of its bytes: what
 * `Y.diffUpdate(update, stateVector)` answers, without decoding a struct. A later version of a
 * compacted document needs this delta of its whole state (13.6 MB for 50,000 annotations); Yjs
 * decodes every struct for it (0.4 s on an idle core, 1-2 s on a loaded one), this reader only
 * skips over them (README.md, measured). In the v1 encoding a struct's bytes do not depend on
 * where it stands, so each client's new structs are copied as they are under a new header, and the
 * delete set, which Yjs copies whole, follows as it was.
 */

/** An item that starts before the state vector's clock and ends after it (Yjs would slice it). */
export class Straddles extends Error {}

/** Struct refs cut by hand: a GC (a run of collected clocks) and a deleted item (a length). */
const GC_REF = 0;
const DELETED_REF = 1;

/**
 * The part at and after `clock` of the struct at `start` (of client `client`, starting at `from`):
 * what Yjs's `sliceStruct` writes. A GC keeps only its new length; a deleted item gets its left
 * neighbour's id as origin (so it names no parent), keeps its right origin and its new length. Any
 * other item would need its content cut: left to Yjs.
 */
function sliceStruct(
  update: Uint8Array,
  start: number,
  client: number,
  from: number,
  clock: number,
): number[] {
  const r = new Reader(update);
  r.pos = start;
  const info = r.byte();
  const ref = info & 0x1f;
  if (ref !== GC_REF && ref !== DELETED_REF) throw new Straddles();
  if (ref === GC_REF) return [info, ...varUint(from + r.varUint() - clock)];
  if (info & 0x80) r.id();
  const rightStart = r.pos;
  if (info & 0x40) r.id();
  const rightOrigin = update.subarray(rightStart, r.pos);
  const hadOrigins = (info & 0xc0) !== 0;
  if (!hadOrigins) {
    if (r.varUint() === 1) r.string();
    else r.id();
    if (info & 0x20) r.string();
  }
  const length = r.varUint();
  // Yjs knows an item's key (0x20) only when it named its parent, and writes the flag from it.
  const sliced = ref | 0x80 | (info & 0x40) | (hadOrigins ? 0 : info & 0x20);
  return [
    sliced,
    ...varUint(client),
    ...varUint(clock - 1),
    ...rightOrigin,
    ...varUint(from + length - clock),
  ];
}

/** One client's structs from the first one the state vector lacks. */
interface ClientTail {
  readonly client: number;
  readonly clock: number;
  readonly structs: number;
  /** The part after the clock of a struct that spans it (if one does), then the following structs. */
  readonly head: readonly number[];
  readonly bytes: Uint8Array;
}

/** The structs of each client at or after its clock in `known`, and where the delete set starts. */
function readTails(update: Uint8Array, known: Map<number, number>): { tails: ClientTail[]; rest: number } {
  const r = new Reader(update);
  const tails: ClientTail[] = [];
  const clients = r.varUint();
  for (let c = 0; c < clients; c++) {
    const structs = r.varUint();
    const client = r.varUint();
    let clock = r.varUint();
    const knownClock = known.get(client) ?? 0;
    let tail: { clock: number; start: number; first: number; head: number[] } | undefined;
    for (let s = 0; s < structs; s++) {
      const start = r.pos;
      const info = r.byte();
      const length = skipStruct(r, info);
      // As Yjs does: a new client section never starts with a Skip (a gap), so those are dropped.
      if (!tail && clock + length > knownClock && (info & 0x1f) !== SKIP_REF) {
        // A struct on both sides of the known clock (runs of collected or deleted clocks merge)
        // is written from that clock on.
        tail =
          clock >= knownClock
            ? { clock, start, first: s, head: [] }
            : {
                clock: knownClock,
                start: r.pos,
                first: s,
                head: sliceStruct(update, start, client, clock, knownClock),
              };
      }
      clock += length;
    }
    if (tail) {
      const bytes = update.subarray(tail.start, r.pos);
      tails.push({ client, clock: tail.clock, structs: structs - tail.first, head: tail.head, bytes });
    }
  }
  return { tails, rest: r.pos };
}

/** lib0's variable-length unsigned integer, written by lib0's encoder. */
function varUint(value: number): number[] {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, value);
  return Array.from(encoding.toUint8Array(encoder));
}

/** The delta of `update` over `stateVector`, cut from the bytes; throws when it cannot be cut. */
export function cutDelta(update: Uint8Array, stateVector: Uint8Array): Uint8Array {
  const { tails, rest } = readTails(update, Y.decodeStateVector(stateVector));
  const headers = tails.map((t) =>
    Uint8Array.from([...varUint(t.structs), ...varUint(t.client), ...varUint(t.clock), ...t.head]),
  );
  const count = Uint8Array.from(varUint(tails.length));
  const deleteSet = update.subarray(rest);
  const size =
    count.length +
    tails.reduce((n, t, i) => n + (headers[i] as Uint8Array).length + t.bytes.length, 0) +
    deleteSet.length;
  const out = new Uint8Array(size);
  let at = 0;
  const put = (bytes: Uint8Array) => {
    out.set(bytes, at);
    at += bytes.length;
  };
  put(count);
  tails.forEach((t, i) => {
    put(headers[i] as Uint8Array);
    put(t.bytes);
  });
  put(deleteSet);
  return out;
}

/**
 * `Y.diffUpdate(update, stateVector)`: cut from the bytes when it can be (in Tessera's layout every
 * change is a new item, so an item rarely spans a capture), else by `fallback` (Yjs, on a worker).
 */
export async function diffUpdateFast(
  update: Uint8Array,
  stateVector: Uint8Array,
  fallback: (update: Uint8Array, stateVector: Uint8Array) => Promise<Uint8Array>,
): Promise<Uint8Array> {
  try {
    return cutDelta(update, stateVector);
  } catch (error) {
    if (error instanceof UnknownEncoding || error instanceof Straddles) return fallback(update, stateVector);
    throw error;
  }
}
