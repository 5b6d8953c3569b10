import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createAnnotation, markDeleted, updateFields } from '@tessera/shared';
import { AnnotationIndex } from './annotation-index';
import { mirrorDocument } from './document-binding';

const ID = '00000000-0000-4000-8000-000000000001';

describe('mirrorDocument', () => {
  it('loads the document, then follows creations, edits from other replicas and deletions', () => {
    const doc = new Y.Doc();
    createAnnotation(doc, { id: ID, type: 1, vector: { x1: 0, y1: 0, x2: 10, y2: 10 } }, { userId: 1 });
    const index = new AnnotationIndex(1000, 1000);
    let changes = 0;
    const stop = mirrorDocument(doc, index, () => changes++);
    expect(index.get(ID)?.maxX).toBe(10);

    const remote = new Y.Doc();
    Y.applyUpdate(remote, Y.encodeStateAsUpdate(doc));
    remote.on('update', (u: Uint8Array) => {
      Y.applyUpdate(doc, u);
    });
    updateFields(remote, ID, { vector: { x1: 500, y1: 500, x2: 510, y2: 510 } }, { userId: 2 });
    expect(index.search({ minX: 400, minY: 400, maxX: 600, maxY: 600 }, null).map((a) => a.id)).toEqual([ID]);
    expect(index.search({ minX: 0, minY: 0, maxX: 100, maxY: 100 }, null)).toHaveLength(0);
    markDeleted(doc, ID, { userId: 1 });
    expect(index.get(ID)).toBeUndefined();
    expect(changes).toBe(2);

    stop();
    createAnnotation(doc, { id: crypto.randomUUID(), type: 1, vector: null }, { userId: 1 });
    expect(changes).toBe(2);
    expect(index.size).toBe(0);
  });
});
