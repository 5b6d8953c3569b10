import type { Queryable } from '../../db/database.js';
import { SqlConditions, type FilterSpec, type ParsedFilter } from '../../db/filters.js';
import { insertedId } from '../../db/inserted-id.js';
import { listPage } from '../../db/list-query.js';
import { ownOrAdministered } from '../../access/policy/visibility.js';
import type { ListViewer } from '../users/users.repo.js';

export const imageLogFilters: FilterSpec = {
  id: { type: 'int', lookups: ['exact', 'in'], column: 'l.id' },
  image: { type: 'int', lookups: ['exact', 'in'], column: 'l.image_id' },
  user: { type: 'int', lookups: ['exact', 'in'], column: 'l.user_id' },
  action: { type: 'int', lookups: ['exact', 'in'], column: 'l.action' },
  time: { type: 'timestamp', lookups: ['exact', 'lte', 'gte', 'range'], column: 'l.time' },
};

export interface ImageLogRow {
  id: number;
  image_id: number;
  user_id: number;
  action: 1 | 2;
  time: string;
  ip: string | null;
}

/** EXACT's record of who opened and closed which image when. */
export class ImageLogsRepo {
  constructor(private readonly db: Queryable) {}

  async list(viewer: ListViewer, filters: readonly ParsedFilter[], page?: { limit: number; offset: number }) {
    const q = new SqlConditions();
    q.add(ownOrAdministered(q, viewer, 'l'));
    q.addFilters(imageLogFilters, filters);
    return listPage<ImageLogRow>(this.db, {
      select: () => 'l.id, l.image_id, l.user_id, l.action, l.time, host(l.ip) AS ip',
      from: 'image_action_logs l JOIN images i ON i.id = l.image_id JOIN image_sets s ON s.id = i.image_set_id',
      conditions: q,
      orderBy: 'l.id',
      page,
    });
  }

  async insert(row: { imageId: number; userId: number; action: number; at: Date; ip: string | null }) {
    const rows = await this.db.query<{ id: number }>(
      `INSERT INTO image_action_logs (image_id, user_id, action, time, ip) VALUES ($1, $2, $3, $4, $5::inet)
       RETURNING id`,
      [row.imageId, row.userId, row.action, row.at, row.ip],
    );
    return insertedId(rows);
  }
}
