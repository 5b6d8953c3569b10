// Keeps the spatial index a mirror of the live document: loaded whole once, then only the annotations
// each transaction touched (local or remote) are re-read.
import type * as Y from 'yjs';
import { annotationsOf, observeAnnotations, readRecord, type AnnotationRecord } from '@tessera/shared';
import type { AnnotationIndex } from './annotation-index';

/** Above this many changed annotations in one transaction, the index is rebuilt whole. */
const BULK_RELOAD = 5000;

/** Loads `doc` into `index` and follows its changes; returns the function that stops following. */
export function mirrorDocument(doc: Y.Doc, index: AnnotationIndex, onChange: () => void): () => void {
  const root = annotationsOf(doc);
  // The validator keeps stored records valid, so they are read without a second schema check.
  const read = (id: string) => readRecord(doc, id) as unknown as AnnotationRecord | null;
  const load = () => {
    performance.mark('tessera:index-load-start'); // read by bench/client, as the others
    index.reset([...root.keys()].map((id) => [id, read(id)] as [string, AnnotationRecord]));
    performance.mark('tessera:index-loaded');
  };
  load();
  return observeAnnotations(doc, (touched) => {
    // A first sync or a long offline merge touches many: bulk-loading the tree again is faster then.
    if (touched.size > BULK_RELOAD) load();
    else for (const id of touched) index.set(id, read(id));
    onChange();
  });
}

/**
 * Adds `doc`'s annotations to an index that other documents share (an image with regions, G4) and
 * follows their changes, remembering in `owners` which document holds each annotation (where its
 * edits, verdicts and undos are written). Stopping removes them from the index and from `owners`.
 */
export function mirrorPart(
  doc: Y.Doc,
  index: AnnotationIndex,
  owners: Map<string, Y.Doc>,
  onChange: () => void,
): () => void {
  const root = annotationsOf(doc);
  const read = (id: string) => readRecord(doc, id) as unknown as AnnotationRecord | null;
  const mine = new Set<string>();
  const take = (id: string) => {
    mine.add(id);
    owners.set(id, doc);
  };
  index.addMany(
    [...root.keys()].flatMap((id) => {
      const record = read(id);
      if (record === null) return [];
      take(id);
      return [[id, record] as [string, AnnotationRecord]];
    }),
  );
  const stop = observeAnnotations(doc, (touched) => {
    // A region's first sync brings thousands at once: new shapes go into the tree in one bulk load.
    const present: [string, AnnotationRecord][] = [];
    for (const id of touched) {
      take(id);
      const record = read(id);
      if (record === null) index.set(id, null);
      else present.push([id, record]);
    }
    if (present.length > 0) index.addMany(present);
    onChange();
  });
  return () => {
    stop();
    for (const id of mine) {
      if (owners.get(id) !== doc) continue;
      owners.delete(id);
      index.set(id, null);
    }
    onChange();
  };
}
