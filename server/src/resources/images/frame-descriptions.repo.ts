import type { FrameDescription } from '@tessera/shared';
import type { Queryable } from '../../db/database.js';
import { SqlConditions, type FilterSpec, type ParsedFilter } from '../../db/filters.js';
import { listPage } from '../../db/list-query.js';
import { imageSetVisible } from '../../access/policy/visibility.js';
import type { ListViewer } from '../users/users.repo.js';

export const frameDescriptionFilters: FilterSpec = {
  id: { type: 'int', lookups: ['exact', 'in'], column: 'f.id' },
  image: { type: 'int', lookups: ['exact', 'in'], column: 'f.image_id' },
  frame_id: { type: 'int', lookups: ['exact', 'in', 'lte', 'gte', 'range'], column: 'f.frame_id' },
};

/** Frame labels of multi-frame images; visible where the image is. */
export class FrameDescriptionsRepo {
  constructor(private readonly db: Queryable) {}

  async list(viewer: ListViewer, filters: readonly ParsedFilter[], page?: { limit: number; offset: number }) {
    const q = new SqlConditions();
    q.add(imageSetVisible(q, viewer, 's'));
    q.addFilters(frameDescriptionFilters, filters);
    return listPage<FrameDescription>(this.db, {
      select: () => 'f.id, f.frame_id, f.description, f.image_id AS image',
      from: 'frame_descriptions f JOIN images i ON i.id = f.image_id JOIN image_sets s ON s.id = i.image_set_id',
      conditions: q,
      orderBy: 'f.image_id, f.frame_id',
      page,
    });
  }
}
