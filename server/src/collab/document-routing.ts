import { regionOfVector, type Vector } from '@tessera/shared';
import { formatDocumentName } from './document-names.js';

/** The image and copy a new annotation is written for (the owner of a blind copy, else null). */
export interface RoutingTarget {
  readonly imageId: number;
  readonly userId: number | null;
  /** The image's region size, null when it keeps one document. */
  readonly regionSize: number | null;
}

/**
 * Rule G1: the document a NEW annotation is created in. The image's (or copy's) one document without
 * regions; with regions, the index document for an image-level label (no vector) and the region of
 * its bounding box's centre for a shape. An existing annotation is never routed: it is written where
 * it is (its projection row's document), so a move never changes its document.
 */
export function documentForNew(target: RoutingTarget, vector: Vector | null): string {
  const base = { imageId: target.imageId, userId: target.userId };
  if (target.regionSize === null) return formatDocumentName(base);
  const region = regionOfVector(vector, target.regionSize);
  return formatDocumentName({
    ...base,
    part: region === null ? { kind: 'index' } : { kind: 'region', region },
  });
}
