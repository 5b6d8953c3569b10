// The editor's writes, undo and redo checked by the server's own validator: every update a client
// sends here must pass `validateUpdate` against a server copy, as it would over the wire.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { VectorType, readRecord, updateFields, validateUpdate, type AnnotationTypes } from '@tessera/shared';
import { AnnotationEditor } from './annotation-editor';

const TYPES: AnnotationTypes = new Map([
  [1, { vectorType: VectorType.box }],
  [2, { vectorType: VectorType.box }],
  [3, { vectorType: VectorType.line }],
  [4, { vectorType: VectorType.global }],
]);
const BOX = { x1: 0, y1: 0, x2: 10, y2: 10 };

/** A server document and clients whose every update is validated, then applied everywhere. */
function network() {
  const server = new Y.Doc();
  const clients = new Map<number, Y.Doc>();
  const refusals: string[] = [];
  const join = (userId: number) => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(server), 'remote');
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === 'remote') return;
      const verdict = validateUpdate(server, update, { sender: { userId, role: 'annotator' }, types: TYPES });
      if (!verdict.ok) {
        refusals.push(verdict.reason);
        return;
      }
      Y.applyUpdate(server, update, 'remote');
      for (const [id, other] of clients) if (id !== userId) Y.applyUpdate(other, update, 'remote');
    });
    clients.set(userId, doc);
    return { doc, editor: new AnnotationEditor(doc, userId, TYPES) };
  };
  return { server, join, refusals };
}

describe('AnnotationEditor', () => {
  it('creates only what the schema accepts', () => {
    const { join, server, refusals } = network();
    const me = join(1);
    expect(me.editor.create(1, BOX)).toHaveProperty('id');
    const reversed = me.editor.create(1, { x1: 10, y1: 0, x2: 0, y2: 10 });
    expect('problem' in reversed ? reversed.problem : '').toContain('x1 <= x2');
    expect(me.editor.create(99, BOX)).toEqual({ problem: 'annotation type 99 is not available here' });
    expect(me.editor.create(4, null)).toHaveProperty('id'); // an image-level label
    expect(refusals).toEqual([]);
    expect(server.getMap('annotations').size).toBe(2);
  });

  it('relabels only to types of the same geometry, in one undo step', () => {
    const { join, server, refusals } = network();
    const me = join(1);
    const box = me.editor.create(1, BOX) as { id: string };
    const line = me.editor.create(3, { x1: 0, y1: 0, x2: 5, y2: 5 }) as { id: string };
    expect(me.editor.relabel([box.id, line.id], 2)).toEqual([box.id]);
    expect(readRecord(server, box.id)?.['type']).toBe(2);
    expect(readRecord(server, line.id)?.['type']).toBe(3);
    expect(me.editor.undo()).toBe(true);
    expect(readRecord(server, box.id)?.['type']).toBe(1);
    expect(me.editor.redo()).toBe(true);
    expect(readRecord(server, box.id)?.['type']).toBe(2);
    expect(refusals).toEqual([]);
  });

  it("undoes a creation as a soft delete and an edit over another user's stamp, both accepted", () => {
    const { join, server, refusals } = network();
    const other = join(2);
    const me = join(1);
    const theirs = other.editor.create(1, BOX) as { id: string };
    me.editor.change(new Map([[theirs.id, { vector: { x1: 5, y1: 5, x2: 15, y2: 15 } }]]));
    const mine = me.editor.create(1, BOX) as { id: string };
    me.editor.undo(); // the creation
    expect(readRecord(server, mine.id)?.['deleted']).toBe(true);
    me.editor.undo(); // the move of their box: their vector comes back under my stamp
    expect(readRecord(server, theirs.id)?.['vector']).toEqual(BOX);
    expect(readRecord(server, theirs.id)?.['edited']).toMatchObject({ by: 1 });
    me.editor.redo();
    expect(readRecord(server, theirs.id)?.['vector']).toEqual({ x1: 5, y1: 5, x2: 15, y2: 15 });
    expect(refusals).toEqual([]);
  });

  it("never undoes over a later edit by someone else (undo is scoped to one's own edits)", () => {
    const { join, server } = network();
    const me = join(1);
    const other = join(2);
    const box = me.editor.create(1, BOX) as { id: string };
    me.editor.relabel([box.id], 2);
    updateFields(other.doc, box.id, { type: 1, description: 'theirs' }, { userId: 2 });
    updateFields(other.doc, box.id, { type: 2 }, { userId: 2 });
    // My relabel 1 -> 2 is undone only where the field still holds my value: it does (2), so it goes back.
    me.editor.undo();
    expect(readRecord(server, box.id)?.['type']).toBe(1);
    updateFields(other.doc, box.id, { type: 2 }, { userId: 2 });
    me.editor.redo(); // expects 1, finds their 2: left alone
    expect(readRecord(server, box.id)?.['type']).toBe(2);
    expect(readRecord(server, box.id)?.['description']).toBe('theirs');
    expect(me.editor.history.canRedo).toBe(false);
  });
});
