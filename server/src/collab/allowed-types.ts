import type { AnnotationTypes } from '@tessera/shared';

/** Loads the allowed annotation types of an image set. */
export type LoadTypes = (imageSetId: number) => Promise<AnnotationTypes>;

/**
 * The allowed annotation types per image set, cached briefly: every update is checked against
 * them, and a type added or retired in the REST API takes effect within `ttlMs`.
 */
export class AllowedTypes {
  private readonly cache = new Map<number, { at: number; types: Promise<AnnotationTypes> }>();

  constructor(
    private readonly load: LoadTypes,
    private readonly ttlMs = 5_000,
  ) {}

  forSet(imageSetId: number): Promise<AnnotationTypes> {
    const now = Date.now();
    const hit = this.cache.get(imageSetId);
    if (hit !== undefined && now - hit.at < this.ttlMs) return hit.types;
    const types = this.load(imageSetId);
    this.cache.set(imageSetId, { at: now, types });
    // A failed load must not be cached.
    types.catch(() => this.cache.delete(imageSetId));
    return types;
  }
}
