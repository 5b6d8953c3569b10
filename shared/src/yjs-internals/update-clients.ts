import * as Y from 'yjs';
import { Reader, SKIP_REF, skipStruct, UnknownEncoding } from './update-reader.js';

/*
 * Which client ids an update (v1 encoding) writes under, and which of their clocks: what the structs
 * of `Y.decodeUpdate(update)` cover, read by skipping over them. Deletions are not writes here: a
 * delete set names other clients' clocks without writing under their ids.
 */

/** A run of one client's clocks: `[clock, clock + length)`. */
export interface ClockRange {
  clock: number;
  length: number;
}

/**
 * Per client id, the clock ranges the update's structs write (items and collected runs; gaps, Yjs's
 * Skips, left out), sorted and merged where they touch. Throws if Yjs cannot read the update either.
 */
export function writtenClockRanges(update: Uint8Array): Map<number, ClockRange[]> {
  let runs: [number, ClockRange][];
  try {
    runs = readRuns(update);
  } catch (error) {
    if (!(error instanceof UnknownEncoding)) throw error;
    runs = Y.decodeUpdate(update)
      .structs.filter((struct) => !(struct instanceof Y.Skip))
      .map((struct) => [struct.id.client, { clock: struct.id.clock, length: struct.length }]);
  }
  return mergeRuns(runs);
}

/** Every non-Skip struct's client and range, by skipping over the structs. */
function readRuns(update: Uint8Array): [number, ClockRange][] {
  const r = new Reader(update);
  const runs: [number, ClockRange][] = [];
  const clients = r.varUint();
  for (let c = 0; c < clients; c++) {
    const structs = r.varUint();
    const client = r.varUint();
    let clock = r.varUint();
    for (let s = 0; s < structs; s++) {
      const info = r.byte();
      const length = skipStruct(r, info);
      if ((info & 0x1f) !== SKIP_REF && length > 0) runs.push([client, { clock, length }]);
      clock += length;
    }
  }
  return runs;
}

function mergeRuns(runs: [number, ClockRange][]): Map<number, ClockRange[]> {
  const byClient = new Map<number, ClockRange[]>();
  for (const [client, range] of runs) {
    let list = byClient.get(client);
    if (list === undefined) byClient.set(client, (list = []));
    list.push(range);
  }
  for (const [client, list] of byClient) {
    const merged: ClockRange[] = [];
    for (const range of list.sort((a, b) => a.clock - b.clock)) {
      const last = merged.at(-1);
      if (last !== undefined && range.clock <= last.clock + last.length) {
        last.length = Math.max(last.length, range.clock + range.length - last.clock);
      } else merged.push({ ...range });
    }
    byClient.set(client, merged);
  }
  return byClient;
}
