import { RecentOutcomes, type MonotonicClock } from '../../auth/recent-credentials.js';
import type { Viewer } from '../../auth/viewer.js';
import type { ImagesService } from './images.service.js';

/**
 * How long a granted right to an image's pixels is remembered: a member removed from the team, an
 * image deleted or a set moved away loses tile access at most this long after the change.
 */
export const PIXEL_ACCESS_TTL_MS = 5_000;

export type { MonotonicClock };

export interface PixelAccessOptions {
  readonly ttlMs?: number;
  /** The most viewer-image-frame grants held; the least recently used go first. */
  readonly maxEntries?: number;
  readonly clock?: MonotonicClock;
}

/**
 * A viewer's right to one frame of an image, remembered for a few seconds. A viewer panning a slide asks
 * for dozens of tiles a second; without this, each one costs a PostgreSQL query for the image row and
 * the viewer's membership. Only grants are remembered: a 404 or a 409 (still processing) is asked
 * again next time, so an image becomes viewable the moment its ingest finishes. Concurrent requests for
 * the same grant share one query.
 */
export class PixelAccess {
  private readonly grants: RecentOutcomes<string>;

  constructor(
    private readonly images: ImagesService,
    options: PixelAccessOptions = {},
  ) {
    this.grants = new RecentOutcomes<string>(options.ttlMs ?? PIXEL_ACCESS_TTL_MS, options);
  }

  /** Grant lookups since start: answered from memory, or asked of the database. */
  get lookups(): { readonly hits: number; readonly misses: number } {
    return this.grants.lookups;
  }

  /** The tiler source of `frame` of image `id`, if `viewer` may see it (else the service's 404/409). */
  source(viewer: Viewer, id: number, frame: number): Promise<string> {
    // Superuser status is part of the key: a demoted superuser is not served from their old grant.
    const key = `${viewer.id}:${viewer.isSuperuser ? 1 : 0}:${id}:${frame}`;
    return this.grants.get(key, () => this.images.pixelSource(viewer, id, { frame }).then(({ src }) => src));
  }
}
