import { createAnnotation } from '@tessera/shared';
// vitest aliases only the package root of @tessera/shared, so the test factories come by path.
import { box, alice } from '../../../shared/src/annotations/factories.js';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createLogger } from '../logging/logger.js';
import { DocumentStore, readDocument } from './document-store.js';
import type { DocumentsRepo } from './documents.repo.js';
import type { UpdateLog } from './update-log.js';

function setup() {
  const compactions: { upTo: number; state: Uint8Array }[] = [];
  const repo = {
    state: () => Promise.resolve(undefined),
    updatesAfter: () => Promise.resolve([]),
    saveCompaction: (_name: string, state: Uint8Array, upTo: number) => {
      compactions.push({ upTo, state });
      return Promise.resolve();
    },
  } as unknown as DocumentsRepo;
  let next = 10;
  const log = { append: () => Promise.resolve(next++) } as unknown as UpdateLog;
  const store = new DocumentStore(repo, log, createLogger('silent'), { compactEvery: 2 });
  return { store, compactions };
}

describe('DocumentStore compaction range', () => {
  it('[P4] never covers an update that is logged but not yet applied', async () => {
    const { store, compactions } = setup();
    const doc = new Y.Doc();
    await store.load('image.1', doc);
    const first = store.accept('image.1', new Uint8Array(), 1);
    const a = await first.written; // 10: logged, not applied yet
    const second = store.accept('image.1', new Uint8Array(), 1);
    const b = await second.written; // 11
    second.markApplied();
    expect(store.wantsCompaction('image.1')).toBe(true);
    await store.compact('image.1', doc);
    expect(compactions.at(-1)?.upTo).toBe(a - 1);
    first.markApplied();
    await store.accept('image.1', new Uint8Array(), 1).written; // 12, in flight again
    await store.compact('image.1', doc);
    expect(compactions.at(-1)?.upTo).toBe(b);
  });

  it('[P4] an update applied before its commit counts as applied once committed', async () => {
    const { store, compactions } = setup();
    const doc = new Y.Doc();
    await store.load('image.3', doc);
    const early = store.accept('image.3', new Uint8Array(), 1);
    early.markApplied(); // applied while the batch is still being written
    const id = await early.written;
    await store.accept('image.3', new Uint8Array(), 1).written; // committed, not applied
    await store.compact('image.3', doc);
    expect(compactions.at(-1)?.upTo).toBe(id);
  });

  it('[P6] a broken document is never compacted again', async () => {
    const { store, compactions } = setup();
    const doc = new Y.Doc();
    await store.load('image.4', doc);
    const accepted = store.accept('image.4', new Uint8Array(), 1);
    accepted.markApplied();
    await accepted.written;
    store.markBroken('image.4');
    expect(store.isBroken('image.4')).toBe(true);
    await store.compact('image.4', doc);
    expect(compactions).toHaveLength(0);
    store.forget('image.4');
    expect(store.isBroken('image.4')).toBe(false);
  });

  it('writes the state of the document as it is, and skips when nothing was logged', async () => {
    const { store, compactions } = setup();
    const doc = new Y.Doc();
    await store.load('image.2', doc);
    await store.compact('image.2', doc);
    expect(compactions).toHaveLength(0);
    createAnnotation(doc, box({ type: 1 }), alice);
    const accepted = store.accept('image.2', Y.encodeStateAsUpdate(doc), 1);
    accepted.markApplied();
    await accepted.written;
    await store.compact('image.2', doc);
    const copy = new Y.Doc();
    Y.applyUpdate(copy, compactions[0]?.state ?? new Uint8Array());
    expect(copy.getMap('annotations').size).toBe(1);
  });

  it('loads a stored document without announcing it to update listeners, which hear what follows', async () => {
    const source = new Y.Doc();
    createAnnotation(source, box({ type: 1 }), alice);
    const stored = Buffer.from(Y.encodeStateAsUpdate(source));
    const logged = Buffer.from(Y.encodeStateAsUpdate(source)); // a log row repeating part of it
    const repo = {
      state: () => Promise.resolve({ state: stored, last_update_id: 4 }),
      updatesAfter: () => Promise.resolve([{ id: 5, update: logged }]),
    } as unknown as DocumentsRepo;
    const doc = new Y.Doc();
    const heard: unknown[] = [];
    doc.on('update', (_update: Uint8Array, origin: unknown) => heard.push(origin));
    expect(await readDocument(repo, 'image.5', doc)).toEqual({ logged: 1, lastId: 5, stateId: 4 });
    expect(doc.getMap('annotations').size).toBe(1);
    expect(heard).toEqual([]);
    createAnnotation(doc, box({ type: 1 }), alice, 'after');
    expect(heard).toEqual(['after']);
  });
});
