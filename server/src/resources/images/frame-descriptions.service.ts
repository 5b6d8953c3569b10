import type { FrameDescription } from '@tessera/shared';
import { ResourceService } from '../../api/resource-service.js';
import type { Viewer } from '../../auth/viewer.js';
import type { Database } from '../../db/database.js';
import type { ParsedFilter } from '../../db/filters.js';
import { FrameDescriptionsRepo, frameDescriptionFilters } from './frame-descriptions.repo.js';

/** EXACT's FrameDescription, read-only: the tiler writes them when it takes a video or a stack apart. */
export class FrameDescriptionsService extends ResourceService<FrameDescription> {
  readonly name = 'frame_descriptions';
  readonly filters = frameDescriptionFilters;
  readonly relations = { image: 'images' };

  constructor(private readonly db: Database) {
    super();
  }

  list(viewer: Viewer, filters: readonly ParsedFilter[], page?: { limit: number; offset: number }) {
    return new FrameDescriptionsRepo(this.db).list(viewer, filters, page);
  }
}
