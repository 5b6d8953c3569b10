import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import {
  annotationsOf,
  createAnnotation,
  documentProblems,
  listAnnotations,
  markDeleted,
  readAnnotation,
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
    annotationsOf(doc).observeDeep((events, transaction) => {
      origins.push(transaction.origin);
      for (const event of events) keys.push(...event.changes.keys.keys());
    });
    expect(updateFields(doc, id, { type: 1, description: 'new' }, bob, 'local')).toEqual(['description']);
    expect(keys.sort()).toEqual(['description', 'edited']);
    expect(origins).toEqual(['local']);
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
    const states = [mover, relabeler, other].map((doc) => annotationsOf(doc).get(id)?.toJSON());
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
      const annotation = annotationsOf(doc).get(id);
      expect(annotation?.get('vector')).toEqual(moved);
      expect(annotation?.get('type')).toBe(5);
    }
  });

  it('documentProblems reports invalid annotations, foreign types and unknown top-level entries', () => {
    const { doc, ids } = serverDoc(2);
    annotationsOf(doc)
      .get(ids[0] ?? '')
      ?.set('vector', { x1: 1 });
    annotationsOf(doc)
      .get(ids[1] ?? '')
      ?.set('description', new Y.Text('hi'));
    doc.getMap('other').set('x', 1);
    const problems = documentProblems(doc, types);
    expect(problems).toContain('other: unknown top-level entry');
    expect(problems.some((p) => p.startsWith(`${ids[0] ?? ''}: vector`))).toBe(true);
    expect(problems).toContain(`${ids[1] ?? ''}: holds a shared type instead of JSON`);
  });
});
