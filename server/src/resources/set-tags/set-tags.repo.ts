import type { Queryable } from '../../db/database.js';
import { SqlConditions, type FilterSpec, type ParsedFilter } from '../../db/filters.js';
import { listPage } from '../../db/list-query.js';
import { imageSetVisible } from '../../access/policy/visibility.js';
import type { ListViewer } from '../users/users.repo.js';
import { insertedId } from '../../db/inserted-id.js';

export const setTagFilters: FilterSpec = {
  id: { type: 'int', lookups: ['exact', 'in'], column: 'g.id' },
  name: { type: 'text', lookups: ['exact', 'contains'], column: 'g.name' },
  imagesets: {
    type: 'int',
    lookups: ['exact', 'in'],
    where: (c) =>
      `EXISTS (SELECT 1 FROM image_set_tags st WHERE st.set_tag_id = g.id AND ${c('st.image_set_id')})`,
  },
};

export interface SetTagRow {
  id: number;
  name: string;
  imagesets: number[];
}

/** Set tags: one shared vocabulary; each tag lists only the image sets the viewer may see. */
export class SetTagsRepo {
  constructor(private readonly db: Queryable) {}

  async list(viewer: ListViewer, filters: readonly ParsedFilter[], page?: { limit: number; offset: number }) {
    const q = new SqlConditions();
    q.addFilters(setTagFilters, filters);
    return listPage<SetTagRow>(this.db, {
      select: (
        r,
      ) => `g.id, g.name, ARRAY(SELECT st.image_set_id FROM image_set_tags st JOIN image_sets s ON s.id = st.image_set_id
        WHERE st.set_tag_id = g.id AND ${imageSetVisible(r, viewer, 's')} ORDER BY 1) AS imagesets`,
      from: 'set_tags g',
      conditions: q,
      orderBy: 'g.id',
      page,
    });
  }

  async insert(name: string): Promise<number> {
    const rows = await this.db.query<{ id: number }>('INSERT INTO set_tags (name) VALUES ($1) RETURNING id', [
      name,
    ]);
    return insertedId(rows);
  }

  async rename(id: number, name: string): Promise<void> {
    await this.db.query('UPDATE set_tags SET name = $2 WHERE id = $1', [id, name]);
  }

  async delete(id: number): Promise<boolean> {
    const rows = await this.db.query<{ id: number }>('DELETE FROM set_tags WHERE id = $1 RETURNING id', [id]);
    return rows.length > 0;
  }

  /** Links the tag to these image sets (existing links stay). */
  async link(id: number, imageSetIds: readonly number[]): Promise<void> {
    await this.db.query(
      `INSERT INTO image_set_tags (image_set_id, set_tag_id) SELECT unnest($2::int[]), $1 ON CONFLICT DO NOTHING`,
      [id, imageSetIds],
    );
  }

  /**
   * Removes the tag from the image sets `userId` administers (every set for a superuser, null) other
   * than `keep`: links to sets of other teams are theirs to change.
   */
  async unlinkOthers(id: number, keep: readonly number[], userId: number | null): Promise<void> {
    await this.db.query(
      `DELETE FROM image_set_tags st WHERE st.set_tag_id = $1 AND NOT (st.image_set_id = ANY($2::int[]))
         AND ($3::int IS NULL OR EXISTS (SELECT 1 FROM image_sets s JOIN team_memberships m ON m.team_id = s.team_id
           WHERE s.id = st.image_set_id AND m.user_id = $3 AND m.is_admin))`,
      [id, keep, userId],
    );
  }

  async existing(ids: readonly number[]): Promise<number[]> {
    const rows = await this.db.query<{ id: number }>('SELECT id FROM set_tags WHERE id = ANY($1::int[])', [
      ids,
    ]);
    return rows.map((r) => r.id);
  }
}
