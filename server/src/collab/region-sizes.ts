import type { Placement } from '@tessera/shared';
import { BriefCache } from './brief-cache.js';
import type { DocumentName } from './document-names.js';

/** Loads an image's region size (null: one document per image; undefined: no such image). */
export type LoadRegionSize = (imageId: number) => Promise<number | null | undefined>;

/**
 * Images' region sizes (collab rules G1-G2), cached like the allowed types: every update of a region's
 * or index document is checked against its placement. A size is set once, when the image is converted.
 */
export class RegionSizes {
  private readonly cache: BriefCache<number, number | null | undefined>;

  constructor(load: LoadRegionSize, ttlMs = 5_000) {
    this.cache = new BriefCache(load, ttlMs);
  }

  forImage(imageId: number): Promise<number | null | undefined> {
    return this.cache.get(imageId);
  }

  /**
   * G2: where a document's new annotations must lie; undefined for the whole document of an image
   * (no placement), null when the name has a part but the image has no regions (refuse).
   */
  async placementOf(name: DocumentName): Promise<Placement | null | undefined> {
    if (name.part === undefined) return undefined;
    const size = await this.forImage(name.imageId);
    if (size === null || size === undefined) return null;
    return name.part.kind === 'index'
      ? { kind: 'index' }
      : { kind: 'region', region: name.part.region, size };
  }
}
