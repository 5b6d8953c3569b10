import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { captureDocument, coversState, MAX_LAYERS, type DocumentCapture } from './capture.js';

/** A capture of a document whose state ended at log id `stateLastId` and log at `lastLogId`. */
function capture(stateLastId: number, lastLogId: number, layers = 1): DocumentCapture {
  return {
    layers: Array.from({ length: layers }, (_, i) => Buffer.from([i])),
    stateVector: Y.encodeStateVector(new Map()),
    stateLastId,
    lastLogId,
  };
}

describe('captures that need no state bytes', () => {
  it('the prior capture covers the state only if not compacted since and still extensible', () => {
    expect(coversState(capture(7, 9), 7, 9)).toBe(true);
    expect(coversState(capture(7, 9), 7, 12)).toBe(true);
    // Compacted since: the new state holds changes no log row shows any more.
    expect(coversState(capture(7, 9), 12, 12)).toBe(false);
    // Log rows read then are gone without a compaction: nothing to build on.
    expect(coversState(capture(7, 9), 7, 8)).toBe(false);
    expect(coversState(capture(7, 9, MAX_LAYERS), 7, 9)).toBe(false);
    expect(coversState(undefined, 0, 0)).toBe(false);
  });

  it('a covered document is captured from its new log rows alone; an uncovered unread state is refused', async () => {
    const doc = new Y.Doc();
    doc.getMap('m').set('a', 1);
    const first = Y.encodeStateAsUpdate(doc);
    const v1 = await captureDocument({ state: { state: first, last_update_id: 3 }, log: [] }, undefined);
    const before = Y.encodeStateVector(doc);
    doc.getMap('m').set('b', 2);
    const row = Y.encodeStateAsUpdate(doc, before);
    const v2 = await captureDocument(
      { state: { state: undefined, last_update_id: 3 }, log: [{ id: 4, update: row }] },
      v1,
    );
    expect(v2.layers).toHaveLength(2);
    expect(v2.added.map((a) => Buffer.from(a.update))).toEqual([Buffer.from(row)]);
    expect(v2.lastLogId).toBe(4);
    await expect(
      captureDocument({ state: { state: undefined, last_update_id: 5 }, log: [] }, v1),
    ).rejects.toThrow(/not read/);
  });
});
