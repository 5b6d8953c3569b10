import type { FrameDescription } from '@tessera/shared';
import type { ExpandableResource } from '../api/expansion.js';
import type { ReadableResource } from '../api/listing.js';
import type { Viewer } from '../auth/viewer.js';
import type { Database } from '../db/database.js';
import type { ParsedFilter } from '../db/filters.js';
import { FrameDescriptionsRepo, frameDescriptionFilters } from './frame-descriptions.repo.js';

/** EXACT's FrameDescription, read-only: the tiler writes them when it takes a video or a stack apart. */
export class FrameDescriptionsService implements ReadableResource, ExpandableResource {
  readonly name = 'frame_descriptions';
  readonly filters = frameDescriptionFilters;
  readonly relations = { image: 'images' };

  constructor(private readonly db: Database) {}

  list(viewer: Viewer, filters: readonly ParsedFilter[], page?: { limit: number; offset: number }) {
    return new FrameDescriptionsRepo(this.db).list(viewer, filters, page);
  }

  async find(viewer: Viewer, id: number): Promise<FrameDescription | undefined> {
    return (await this.list(viewer, [{ name: 'id', lookup: 'exact', value: id }])).rows[0];
  }

  async load(viewer: Viewer, ids: readonly number[]) {
    return (await this.list(viewer, [{ name: 'id', lookup: 'in', value: ids }])).rows;
  }
}
