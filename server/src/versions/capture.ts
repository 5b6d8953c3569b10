import { createHash } from 'node:crypto';
import { advanceStateVector, diffUpdateFast, stateVectorFromUpdate } from '@tessera/shared';
import * as Y from 'yjs';
import type { YjsOps } from './yjs-workers.js';

/*
 * The document state of a version, as layers of Yjs updates (README.md "Storage"). A version's
 * document is the application of its layers in order: the first is a whole state, each later one
 * holds only what was added since the capture before. Layers are content-addressed, so a document
 * that did not change reuses its previous layers and costs nothing, and one that changed stores its
 * delta only. Pure: the caller reads the stored document and writes the new blobs.
 */

/** After this many layers the next change stores a whole state again, so loads stay short. */
export const MAX_LAYERS = 16;

/**
 * What PostgreSQL holds of a live document: its compacted state and the log rows after it. The
 * state's bytes are left unread (`undefined`) when the prior capture covers them (`coversState`).
 */
export interface StoredDocument {
  readonly state: { readonly state: Uint8Array | undefined; readonly last_update_id: number } | undefined;
  readonly log: readonly { readonly id: number; readonly update: Uint8Array }[];
}

/** A document as an earlier version captured it. */
export interface DocumentCapture {
  /** SHA-256 of each layer's uncompressed bytes, in application order. */
  readonly layers: readonly Buffer[];
  readonly stateVector: Uint8Array;
  /** The compacted state's last log id and the last log row read (where storage stood). */
  readonly stateLastId: number;
  readonly lastLogId: number;
}

/** A capture and the layers it added (to be stored unless stored already). */
export interface NewCapture extends DocumentCapture {
  readonly added: readonly { readonly hash: Buffer; readonly update: Uint8Array }[];
}

/** The SHA-256 that names a layer. */
export function layerHash(update: Uint8Array): Buffer {
  return createHash('sha256').update(update).digest();
}

/** The Yjs operations in this thread. */
export const localYjs: YjsOps = {
  mergeUpdates: (updates) => Promise.resolve(Y.mergeUpdates([...updates])),
  diffUpdate: (update, stateVector) => Promise.resolve(Y.diffUpdate(update, stateVector)),
  stateVectorFromUpdate: (update) => Promise.resolve(Y.encodeStateVectorFromUpdate(update)),
};

/** `prior` if a new capture may add layers to it (else the next capture starts a whole state). */
function extensible(prior: DocumentCapture | undefined): DocumentCapture | undefined {
  return prior !== undefined && prior.layers.length < MAX_LAYERS ? prior : undefined;
}

/**
 * Whether `prior` already holds the compacted state (ending at log id `stateLastId`, the log after it
 * ending at `lastLogId`): the document was not compacted since, so a capture needs only the log rows
 * after the ones read then, never the state's bytes (9.6 MB per benchmark document).
 */
export function coversState(
  prior: DocumentCapture | undefined,
  stateLastId: number,
  lastLogId: number,
): boolean {
  const usable = extensible(prior);
  return usable !== undefined && usable.stateLastId === stateLastId && usable.lastLogId <= lastLogId;
}

/** The log ids up to which `prior` holds a document, if a new capture may build on it. */
export function coverageOf(
  prior: DocumentCapture | undefined,
): { stateLastId: number; lastLogId: number } | undefined {
  const usable = extensible(prior);
  return usable && { stateLastId: usable.stateLastId, lastLogId: usable.lastLogId };
}

/** Captures a stored document, reusing what `prior` (its latest earlier capture) holds already. */
export async function captureDocument(
  stored: StoredDocument,
  prior: DocumentCapture | undefined,
  ops: YjsOps = localYjs,
): Promise<NewCapture> {
  const stateLastId = stored.state?.last_update_id ?? 0;
  const lastLogId = stored.log.at(-1)?.id ?? stateLastId;
  const ids = { stateLastId, lastLogId };
  const usable = extensible(prior);
  if (usable && coversState(usable, stateLastId, lastLogId)) {
    // Not compacted since: what is new is exactly the log rows after the ones read then.
    const fresh = stored.log.filter((row) => row.id > usable.lastLogId).map((row) => row.update);
    if (fresh.length === 0) return { ...usable, ...ids, added: [] };
    return extend(usable, fresh.length === 1 ? (fresh[0] as Uint8Array) : await ops.mergeUpdates(fresh), ids);
  }
  const state = stored.state?.state;
  if (stored.state && !state)
    throw new Error(`capture: the state of a document was not read (${stateLastId})`);
  const parts = [...(state ? [state] : []), ...stored.log.map((row) => row.update)];
  if (parts.length === 0) {
    return { layers: [], stateVector: Y.encodeStateVector(new Map()), ...ids, added: [] };
  }
  if (usable) {
    // Compacted since: each part's delta over the last capture, cut from its bytes without decoding
    // the big state (state-delta.ts), then the small deltas merged.
    const fallback = (update: Uint8Array, sv: Uint8Array) => ops.diffUpdate(update, sv);
    const deltas = await Promise.all(parts.map((part) => diffUpdateFast(part, usable.stateVector, fallback)));
    return extend(
      usable,
      deltas.length === 1 ? (deltas[0] as Uint8Array) : await ops.mergeUpdates(deltas),
      ids,
    );
  }
  const whole = parts.length === 1 ? (parts[0] as Uint8Array) : await ops.mergeUpdates(parts);
  const hash = layerHash(whole);
  return {
    layers: [hash],
    // Read by skipping over the structs (state-vector.ts): ten times faster than decoding them.
    stateVector: stateVectorFromUpdate(whole),
    ...ids,
    added: [{ hash, update: whole }],
  };
}

/** `prior` plus one delta layer, or `prior` itself when the delta adds no struct. */
function extend(
  prior: DocumentCapture,
  delta: Uint8Array,
  ids: { stateLastId: number; lastLogId: number },
): NewCapture {
  const before = Y.decodeStateVector(prior.stateVector);
  const after = advanceStateVector(before, delta);
  // In Tessera's layout every change writes a new value (deletions included), so an unchanged state
  // vector means an unchanged document.
  if ([...after].every(([client, clock]) => before.get(client) === clock)) {
    return { ...prior, ...ids, added: [] };
  }
  const hash = layerHash(delta);
  return {
    layers: [...prior.layers, hash],
    stateVector: Y.encodeStateVector(after),
    ...ids,
    added: [{ hash, update: delta }],
  };
}

/** Builds the document a capture describes from its layers' bytes (in layer order). */
export function buildDocument(layers: readonly Uint8Array[]): Y.Doc {
  const doc = new Y.Doc();
  Y.transact(doc, () => {
    for (const layer of layers) Y.applyUpdate(doc, layer);
  });
  return doc;
}
