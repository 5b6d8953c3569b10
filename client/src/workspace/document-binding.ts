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
