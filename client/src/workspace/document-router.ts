// Where each write goes. An image without regions has one document for everything. An image with
// regions (docs/SPEC-collab.md, G1) writes a new shape into the document of the region holding its
// centre, an image-level label into the index document, and every edit, delete, verdict or undo into
// the document that holds the annotation (the binding remembers it: document-binding.ts mirrorPart).
import type * as Y from 'yjs';
import { annotationsOf, regionKey, regionOfVector, type Vector } from '@tessera/shared';

export interface DocumentRouter {
  /** The document holding annotation `id`, or null when no open document has it. */
  docOf(id: string): Y.Doc | null;
  /** The document a new annotation with `vector` is created in (null vector: an image-level label). */
  docForNew(vector: Vector | null): Y.Doc;
}

/** The one document of an image without regions. */
export function singleDocument(doc: Y.Doc): DocumentRouter {
  return {
    docOf: (id) => (annotationsOf(doc).has(id) ? doc : null),
    docForNew: () => doc,
  };
}

export interface RegionRouterOptions {
  /** The index document (image-level labels). */
  readonly index: () => Y.Doc;
  /** The region size in level-0 pixels. */
  readonly size: number;
  /** Which open document holds each loaded annotation. */
  readonly owners: ReadonlyMap<string, Y.Doc>;
  /** The document of a region by key, opened when it is not open yet (its sync sends the write). */
  readonly region: (key: string) => Y.Doc;
}

/** The documents of an image with regions (G1). */
export function regionRouter(options: RegionRouterOptions): DocumentRouter {
  return {
    docOf: (id) => options.owners.get(id) ?? null,
    docForNew: (vector) => {
      const region = regionOfVector(vector, options.size);
      return region === null ? options.index() : options.region(regionKey(region));
    },
  };
}

/** Groups ids by the document holding them (ids no open document holds are left out). */
export function byDocument(router: DocumentRouter, ids: Iterable<string>): Map<Y.Doc, string[]> {
  const groups = new Map<Y.Doc, string[]>();
  for (const id of ids) {
    const doc = router.docOf(id);
    if (doc === null) continue;
    const group = groups.get(doc);
    if (group === undefined) groups.set(doc, [id]);
    else group.push(id);
  }
  return groups;
}
