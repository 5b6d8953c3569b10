import * as Y from 'yjs';
import { createAnnotation, type Actor, type NewAnnotation } from './document.js';
import type { AnnotationTypes } from './schema.js';
import { VectorType } from './vector.js';

/*
 * Factories for tests and measurements: small documents, users and annotations. Not exported from
 * the package root.
 */

/** Annotation types used by the tests: 1 and 5 boxes, 2 polygon, 3 global label, 4 triangle (node count 3). */
export const types: AnnotationTypes = new Map([
  [1, { vectorType: VectorType.box }],
  [2, { vectorType: VectorType.polygon }],
  [3, { vectorType: VectorType.global }],
  [4, { vectorType: VectorType.polygon, nodeCount: 3 }],
  [5, { vectorType: VectorType.box }],
]);

export const alice: Actor = { userId: 1, now: 1_764_000_000_000 };
export const bob: Actor = { userId: 2, now: 1_764_000_001_000 };

let counter = 0;
/** A fresh UUID that is stable across runs. */
export function uuid(): string {
  counter++;
  return `00000000-0000-4000-8000-${counter.toString(16).padStart(12, '0')}`;
}

/** A box annotation with a new id. */
export function box(overrides: Partial<NewAnnotation> = {}): NewAnnotation {
  return { id: uuid(), type: 1, vector: { x1: 10, y1: 20, x2: 30, y2: 40 }, ...overrides };
}

/** A server document with `count` boxes by alice, and their ids. */
export function serverDoc(count = 1): { doc: Y.Doc; ids: string[] } {
  const doc = new Y.Doc();
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push(createAnnotation(doc, box(), alice));
  return { doc, ids };
}

/** A client copy of a document. */
export function clientOf(server: Y.Doc): Y.Doc {
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
  return client;
}

/** The update a client's change produces, as its provider would send it. */
export function captureUpdate(client: Y.Doc, change: (doc: Y.Doc) => void): Uint8Array {
  const updates: Uint8Array[] = [];
  const listener = (update: Uint8Array) => updates.push(update);
  client.on('update', listener);
  try {
    change(client);
  } finally {
    client.off('update', listener);
  }
  return Y.mergeUpdates(updates);
}

/**
 * Encodes structs (grouped by client, in clock order) and deletions as a V1 update: lets tests craft
 * updates no well-behaved client would send, e.g. from decoded structs with a field changed.
 */
export function encodeUpdate(
  structs: readonly Y.Item[],
  deletions: readonly { client: number; clock: number; len: number }[] = [],
): Uint8Array {
  const encoder = new Y.UpdateEncoderV1();
  // writeClient writes a variable-length unsigned integer, which is what the header fields are.
  const writeUint = (value: number) => {
    encoder.writeClient(value);
  };
  const byClient = groupBy(structs, (struct) => struct.id.client);
  writeUint(byClient.size);
  for (const [client, list] of byClient) {
    writeUint(list.length);
    writeUint(client);
    writeUint(list[0]?.id.clock ?? 0);
    for (const struct of list) struct.write(encoder, 0);
  }
  const deleted = groupBy(deletions, (range) => range.client);
  writeUint(deleted.size);
  for (const [client, ranges] of deleted) {
    writeUint(client);
    writeUint(ranges.length);
    for (const { clock, len } of ranges) {
      writeUint(clock);
      writeUint(len);
    }
  }
  return encoder.toUint8Array();
}

function groupBy<T>(items: readonly T[], key: (item: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group === undefined) groups.set(key(item), [item]);
    else group.push(item);
  }
  return groups;
}

/** Yjs declares its content classes apart from AbstractContent; this names one as item content. */
export function itemContent(content: object): Y.Item['content'] {
  return content as Y.Item['content'];
}

/** Two replicas exchange everything they are missing, both ways (a sync, or a reconnect after offline work). */
export function exchange(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}
