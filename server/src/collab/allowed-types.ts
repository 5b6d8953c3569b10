import type { AnnotationTypes } from '@tessera/shared';
import { BriefCache } from './brief-cache.js';

/** Loads the allowed annotation types of an image set. */
export type LoadTypes = (imageSetId: number) => Promise<AnnotationTypes>;

/**
 * The allowed annotation types per image set, cached briefly: every update is checked against
 * them, and a type added or retired in the REST API takes effect within `ttlMs`.
 */
export class AllowedTypes {
  private readonly cache: BriefCache<number, AnnotationTypes>;

  constructor(load: LoadTypes, ttlMs = 5_000) {
    this.cache = new BriefCache(load, ttlMs);
  }

  forSet(imageSetId: number): Promise<AnnotationTypes> {
    return this.cache.get(imageSetId);
  }
}
