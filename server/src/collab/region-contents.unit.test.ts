import { randomUUID } from 'node:crypto';
import { changedAnnotations, createAnnotation, markDeleted, updateFields } from '@tessera/shared';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { RegionContents, summarizeDocument } from './region-contents.js';

const region = { x: 1, y: 0 };
const SIZE = 4096;
const box = (x: number) => ({ x1: x, y1: 10, x2: x + 20, y2: 30 });

describe('a region summary kept up to date (G3)', () => {
  it('[G3] re-reading only changed annotations gives the summary a whole read gives', () => {
    const doc = new Y.Doc();
    const contents = new RegionContents(doc, region, SIZE);
    doc.on('afterTransaction', (transaction: Y.Transaction) => {
      contents.touch(changedAnnotations(doc, transaction));
    });
    const ids = [5000, 5100, 5200].map((x) =>
      createAnnotation(doc, { id: randomUUID(), type: 1, vector: box(x) }, { userId: 1 }),
    );
    expect(contents.summary()).toEqual(summarizeDocument(doc, region, SIZE));
    expect(contents.summary().count).toBe(3);

    // A move across the border, a relabel, a deletion and a new one: each only touched.
    updateFields(doc, ids[0] ?? '', { vector: box(9000) }, { userId: 2 });
    updateFields(doc, ids[1] ?? '', { type: 2 }, { userId: 2 });
    markDeleted(doc, ids[2] ?? '', { userId: 2 });
    createAnnotation(doc, { id: randomUUID(), type: 2, vector: box(4100) }, { userId: 1 });
    const summary = contents.summary();
    expect(summary).toEqual(summarizeDocument(doc, region, SIZE));
    expect(summary).toMatchObject({ count: 3, extent: [4100, 10, 9020, 30], types: { 1: 1, 2: 2 } });
  });

  it('[G3] changes before the first summary are read with the whole document', () => {
    const doc = new Y.Doc();
    const contents = new RegionContents(doc, region, SIZE);
    createAnnotation(doc, { id: randomUUID(), type: 1, vector: box(5000) }, { userId: 1 });
    contents.touch(['not-an-annotation']);
    expect(contents.summary().count).toBe(1);
  });
});
