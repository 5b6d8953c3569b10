// Where the browser's writes go in an image with regions (docs/SPEC-collab.md, G1-G2, W4): every
// update a document's client sends is checked by the server's own validator with that document's
// placement rule, as it would be over the wire.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  VectorType,
  readRecord,
  readVerifications,
  validateUpdate,
  type AnnotationTypes,
  type Placement,
} from '@tessera/shared';
import { AnnotationEditor } from './annotation-editor';
import { AnnotationIndex } from './annotation-index';
import { mirrorPart } from './document-binding';
import { regionRouter } from './document-router';
import { VerdictIndex } from './verdict-index';
import { castRoutedVerdicts } from './verdicts';

const SIZE = 4096;
const ME = 1;
const TYPES: AnnotationTypes = new Map([
  [1, { vectorType: VectorType.box }],
  [2, { vectorType: VectorType.box }],
  [4, { vectorType: VectorType.global }],
]);

/** An image with regions in one browser: the index document, region documents opened on demand. */
function image() {
  const refusals: string[] = [];
  const docs = new Map<string, Y.Doc>();
  const index = new AnnotationIndex(5 * SIZE, 5 * SIZE);
  const verdicts = new VerdictIndex();
  const owners = new Map<string, Y.Doc>();
  const stops = new Map<string, () => void>();
  /** A document whose every local update passes the validator with its placement (G2). */
  const open = (key: string, placement: Placement) => {
    const server = new Y.Doc();
    const doc = new Y.Doc();
    doc.on('update', (update: Uint8Array) => {
      const verdict = validateUpdate(server, update, {
        sender: { userId: ME, role: 'annotator' },
        types: TYPES,
        placement,
      });
      if (verdict.ok) Y.applyUpdate(server, update);
      else refusals.push(`${key}: ${verdict.reason}`);
    });
    docs.set(key, doc);
    const stopShapes = mirrorPart(doc, index, owners, () => undefined);
    const stopVerdicts = verdicts.followPart(doc, () => undefined);
    stops.set(key, () => {
      stopShapes();
      stopVerdicts();
    });
    return doc;
  };
  const indexDoc = open('index', { kind: 'index' });
  const region = (key: string) => {
    const [x, y] = key.split('.').map(Number);
    return docs.get(key) ?? open(key, { kind: 'region', region: { x: x ?? 0, y: y ?? 0 }, size: SIZE });
  };
  const router = regionRouter({ index: () => indexDoc, size: SIZE, owners, region });
  const editor = new AnnotationEditor(router, ME, TYPES);
  const close = (key: string) => {
    stops.get(key)?.();
    docs.delete(key);
  };
  return { docs, index, verdicts, owners, router, editor, refusals, indexDoc, close };
}

const created = (result: { id: string } | { problem: string }): string => {
  if (!('id' in result)) throw new Error(result.problem);
  return result.id;
};

describe('writes in an image with regions', () => {
  it('G1: a shape drawn across a border goes to the region of its centre, a label to the index', () => {
    const s = image();
    // From region 0.0 into 1.0, centre at x = 4150: region 1.0, opened for the write.
    const id = created(s.editor.create(1, { x1: 4000, y1: 10, x2: 4300, y2: 40 }));
    const label = created(s.editor.create(4, null));
    expect(s.refusals).toEqual([]);
    expect([...s.docs.keys()].sort()).toEqual(['1.0', 'index']);
    expect(readRecord(s.docs.get('1.0') as Y.Doc, id)).not.toBeNull();
    expect(readRecord(s.indexDoc, id)).toBeNull();
    expect(readRecord(s.indexDoc, label)).not.toBeNull();
    // The index sees both, and knows where each lives.
    expect(s.index.get(id)?.minX).toBe(4000);
    expect(s.owners.get(label)).toBe(s.indexDoc);
  });

  it('G1: edits, deletes and verdicts go to the document holding the annotation, wherever it moved', () => {
    const s = image();
    const id = created(s.editor.create(1, { x1: 10, y1: 10, x2: 20, y2: 20 }));
    const home = s.docs.get('0.0') as Y.Doc;
    // Moved deep into region 2.0: still an edit of its own document.
    s.editor.change(new Map([[id, { vector: { x1: 9000, y1: 10, x2: 9010, y2: 20 } }]]));
    s.editor.relabel([id], 2);
    expect(castRoutedVerdicts(s.router, [id, 'not-loaded'], ME, true)).toEqual([id]);
    expect(s.verdicts.verdictOf(id, ME)).toBe(true);
    s.editor.remove([id]);
    expect(s.refusals).toEqual([]);
    expect([...s.docs.keys()].sort()).toEqual(['0.0', 'index']);
    expect(readRecord(home, id)).toMatchObject({ type: 2, deleted: true, vector: { x1: 9000 } });
    expect(readVerifications(home, id)).toHaveLength(1);
    expect(s.index.get(id)).toBeUndefined();
  });

  it('W4: one undo history across documents, each entry written back into its own document', () => {
    const s = image();
    const a = created(s.editor.create(1, { x1: 10, y1: 10, x2: 20, y2: 20 }));
    const b = created(s.editor.create(1, { x1: SIZE + 10, y1: 10, x2: SIZE + 20, y2: 20 }));
    // One action over both regions: one undo step.
    expect(s.editor.relabel([a, b], 2).sort()).toEqual([a, b].sort());
    expect(s.editor.undo()).toBe(true);
    expect(readRecord(s.docs.get('0.0') as Y.Doc, a)?.['type']).toBe(1);
    expect(readRecord(s.docs.get('1.0') as Y.Doc, b)?.['type']).toBe(1);
    expect(s.editor.redo()).toBe(true);
    expect(s.index.get(a)?.record.type).toBe(2);
    expect(s.index.get(b)?.record.type).toBe(2);
    // Undoing b's creation deletes it in region 1.0, after a's relabel and creation are undone too.
    s.editor.undo();
    s.editor.undo();
    expect(readRecord(s.docs.get('1.0') as Y.Doc, b)?.['deleted']).toBe(true);
    expect(s.refusals).toEqual([]);
  });

  it('G4: a closed region leaves the index; its annotations are then not written to', () => {
    const s = image();
    const a = created(s.editor.create(1, { x1: 10, y1: 10, x2: 20, y2: 20 }));
    const b = created(s.editor.create(1, { x1: SIZE + 10, y1: 10, x2: SIZE + 20, y2: 20 }));
    s.close('1.0');
    expect(s.index.get(b)).toBeUndefined();
    expect(s.index.get(a)).toBeDefined();
    expect(s.router.docOf(b)).toBeNull();
    expect(s.editor.remove([a, b])).toEqual([a]);
  });
});
