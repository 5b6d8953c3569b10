import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import {
  annotationsOf,
  createAnnotation,
  latestEditTime,
  documentProblems,
  editKey,
  editsOf,
  listAnnotations,
  markDeleted,
  observeAnnotations,
  readAnnotation,
  readRecord,
  readVerifications,
  setVerification,
  updateFields,
} from './document.js';
import { alice, bob, box, clientOf, serverDoc, types, exchange } from './factories.js';

describe('annotation documents', () => {
  it('creates and reads an annotation with stamps filled in', () => {
    const doc = new Y.Doc();
    const input = box({ description: 'mitosis', meta: { confidence: 'high' } });
    const id = createAnnotation(doc, input, alice);
    expect(readAnnotation(doc, id, types)).toEqual({
      id,
      type: 1,
      vector: input.vector,
      deleted: false,
      description: 'mitosis',
      meta: { confidence: 'high' },
      created: { by: 1, at: alice.now, generated: false, score: null },
      edited: { by: 1, at: alice.now },
    });
    expect(readAnnotation(doc, 'missing', types)).toBeNull();
    expect(() => createAnnotation(doc, { ...input }, alice)).toThrow(/exists already/);
  });

  it('writes only changed fields, stamps the editor, and tags the transaction with its origin', () => {
    const { doc, ids } = serverDoc(1);
    const id = ids[0] ?? '';
    const keys: string[] = [];
    const origins: unknown[] = [];
    const seen: Set<string>[] = [];
    editsOf(doc).observe((event, transaction) => {
      origins.push(transaction.origin);
      keys.push(...event.changes.keys.keys());
    });
    observeAnnotations(doc, (changed) => seen.push(changed));
    expect(updateFields(doc, id, { type: 1, description: 'new' }, bob, 'local')).toEqual(['description']);
    expect(keys.sort()).toEqual([editKey(id, 'description'), editKey(id, 'edited')]);
    expect(origins).toEqual(['local']);
    expect(seen).toEqual([new Set([id])]);
    // The record as created stays as it was; the edits lie over it.
    expect(JSON.parse(annotationsOf(doc).get(id) as string)).toMatchObject({
      description: '',
      edited: { by: 1 },
    });
    expect(updateFields(doc, id, { description: 'new' }, bob)).toEqual([]);
    expect(readAnnotation(doc, id, types)?.edited).toEqual({ by: 2, at: bob.now });
  });

  it('soft-deletes: the annotation stays in the document, flagged', () => {
    const { doc, ids } = serverDoc(2);
    const id = ids[0] ?? '';
    expect(markDeleted(doc, id, bob)).toBe(true);
    expect(markDeleted(doc, id, bob)).toBe(false);
    expect(listAnnotations(doc).map((a) => a.id)).toEqual([ids[1]]);
    expect(listAnnotations(doc, { includeDeleted: true })).toHaveLength(2);
    expect(readAnnotation(doc, id, types)?.deleted).toBe(true);
  });

  it('keeps verifications per annotation and user', () => {
    const { doc, ids } = serverDoc(1);
    const id = ids[0] ?? '';
    setVerification(doc, id, true, alice);
    setVerification(doc, id, false, bob);
    expect(readVerifications(doc, id)).toEqual([
      { annotation: id, user: 1, verified: true, at: alice.now },
      { annotation: id, user: 2, verified: false, at: bob.now },
    ]);
    expect(() => {
      setVerification(doc, 'nope', true, alice);
    }).toThrow(/does not exist/);
    expect(documentProblems(doc, types)).toEqual([]);
  });

  it('[merge] three clients editing one annotation concurrently converge, keeping edits of distinct fields', () => {
    const { doc: server, ids } = serverDoc(1);
    const id = ids[0] ?? '';
    const mover = clientOf(server);
    const relabeler = clientOf(server);
    const moved = { x1: 100, y1: 100, x2: 150, y2: 160 };
    updateFields(mover, id, { vector: moved }, alice);
    updateFields(relabeler, id, { type: 4, vector: { x1: 1, y1: 1, x2: 2, y2: 2, x3: 3, y3: 1 } }, bob);
    const other = clientOf(server);
    updateFields(other, id, { description: 'checked' }, bob);
    exchange(mover, relabeler);
    exchange(relabeler, other);
    exchange(mover, other);
    const states = [mover, relabeler, other].map((doc) => readRecord(doc, id));
    expect(states[0]).toEqual(states[1]);
    expect(states[1]).toEqual(states[2]);
    expect(states[0]?.['description']).toBe('checked');
    expect(states[0]?.['type']).toBe(4);
  });

  it('[merge] a move and a relabel on two clients both survive', () => {
    const { doc: server, ids } = serverDoc(1);
    const id = ids[0] ?? '';
    const a = clientOf(server);
    const b = clientOf(server);
    const moved = { x1: 100, y1: 100, x2: 150, y2: 160 };
    updateFields(a, id, { vector: moved }, alice);
    updateFields(b, id, { type: 5 }, bob);
    exchange(a, b);
    for (const doc of [a, b]) {
      const annotation = readRecord(doc, id);
      expect(annotation?.['vector']).toEqual(moved);
      expect(annotation?.['type']).toBe(5);
    }
  });

  it('documentProblems reports invalid annotations, foreign types and unknown top-level entries', () => {
    const { doc, ids } = serverDoc(2);
    editsOf(doc).set(editKey(ids[0] ?? '', 'vector'), { x1: 1 });
    editsOf(doc).set(editKey(ids[1] ?? '', 'description'), new Y.Text('hi'));
    editsOf(doc).set('not-an-annotation/type', 1);
    doc.getMap('other').set('x', 1);
    const problems = documentProblems(doc, types);
    expect(problems).toContain('other: unknown top-level entry');
    expect(problems.some((p) => p.startsWith(`${ids[0] ?? ''}: vector`))).toBe(true);
    expect(problems).toContain(
      `${editKey(ids[1] ?? '', 'description')}: holds a shared type instead of JSON`,
    );
    expect(problems).toContain('not-an-annotation/type: not an edit key');
  });

  it('follows changes to maps it first meets in a remote update', () => {
    const { doc: server, ids } = serverDoc(1);
    const id = ids[0] ?? '';
    updateFields(server, id, { description: 'remote' }, bob);
    const client = new Y.Doc();
    const seen: Set<string>[] = [];
    observeAnnotations(client, (changed) => seen.push(changed));
    Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
    updateFields(server, id, { description: 'again' }, bob);
    Y.applyUpdate(client, Y.encodeStateAsUpdate(server, Y.encodeStateVector(client)));
    expect(seen).toEqual([new Set([id]), new Set([id])]);
  });

  it('reads documents written before the edits map (a Y.Map per annotation), and edits them through it', () => {
    const doc = new Y.Doc();
    const id = box().id;
    const legacy = new Y.Map<unknown>();
    annotationsOf(doc).set(id, legacy);
    const record = {
      type: 1,
      vector: { x1: 1, y1: 2, x2: 3, y2: 4 },
      deleted: false,
      description: 'old',
      meta: null,
      created: { by: 1, at: 5, generated: false, score: null },
      edited: { by: 1, at: 5 },
    };
    for (const [key, value] of Object.entries(record)) legacy.set(key, value);
    expect(readAnnotation(doc, id, types)).toEqual({ id, ...record });
    const changes: Set<string>[] = [];
    observeAnnotations(doc, (ids) => changes.push(ids));
    legacy.set('description', 'older');
    updateFields(doc, id, { type: 5 }, bob);
    expect(changes).toEqual([new Set([id]), new Set([id])]);
    expect(readAnnotation(doc, id, types)).toMatchObject({
      type: 5,
      description: 'older',
      edited: { by: 2 },
    });
    expect(documentProblems(doc, types)).toEqual([]);
  });

  it('finds the latest edit time over records as text, as objects and as maps, and over the edits', () => {
    const doc = new Y.Doc();
    expect(latestEditTime(doc)).toBe(0);
    const first = createAnnotation(doc, box(), { userId: 1, now: 10 });
    createAnnotation(doc, box(), { userId: 1, now: 30 });
    expect(latestEditTime(doc)).toBe(30);
    updateFields(doc, first, { description: 'later' }, { userId: 2, now: 50 });
    expect(latestEditTime(doc)).toBe(50);
    const stamp = (at: number) => ({ by: 1, at });
    const record = (edited: number, meta: unknown) => ({
      type: 1,
      vector: { x1: 1, y1: 2, x2: 3, y2: 4 },
      deleted: false,
      description: '"edited":{"by":1,"at":900}',
      meta,
      created: { by: 1, at: 1, generated: false, score: null },
      edited: stamp(edited),
    });
    annotationsOf(doc).set(box().id, record(60, null));
    expect(latestEditTime(doc)).toBe(60);
    // Written by another writer, keys in another order: an `edited` inside the meta data comes
    // last, and must not be taken for the record's own.
    const { edited, ...rest } = record(70, { edited: stamp(800) });
    annotationsOf(doc).set(box().id, JSON.stringify({ edited, ...rest }));
    expect(latestEditTime(doc)).toBe(70);
    annotationsOf(doc).set(box().id, JSON.stringify(record(40, { edited: stamp(700) })));
    expect(latestEditTime(doc)).toBe(70);
    const legacy = new Y.Map<unknown>();
    annotationsOf(doc).set(box().id, legacy);
    legacy.set('edited', stamp(90));
    expect(latestEditTime(doc)).toBe(90);
  });

  it('stores a record as its JSON text, and reads records stored as objects (documents of 2026-11-27)', () => {
    const { doc, ids } = serverDoc(1);
    const id = ids[0] ?? '';
    expect(typeof annotationsOf(doc).get(id)).toBe('string');
    const older = box().id;
    const record = {
      type: 1,
      vector: { x1: 1, y1: 2, x2: 3, y2: 4 },
      deleted: false,
      description: 'as an object',
      meta: { source: 'earlier client' },
      created: { by: 1, at: 5, generated: true, score: 0.5 },
      edited: { by: 1, at: 5 },
    };
    annotationsOf(doc).set(older, record);
    expect(readAnnotation(doc, older, types)).toEqual({ id: older, ...record });
    updateFields(doc, older, { description: 'edited' }, bob);
    expect(readAnnotation(doc, older, types)?.description).toBe('edited');
    // The stored object is not changed by reading or editing it.
    expect(annotationsOf(doc).get(older)).toEqual(record);
    expect(documentProblems(doc, types)).toEqual([]);
    annotationsOf(doc).set(box().id, '[1, 2]');
    annotationsOf(doc).set(box().id, '{"type": 1');
    expect(documentProblems(doc, types).filter((p) => p.endsWith('not a record'))).toHaveLength(2);
  });
});
