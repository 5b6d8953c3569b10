import type { Queryable, SqlValue } from '../../db/database.js';
import { SqlConditions, type FilterSpec, type ParsedFilter } from '../../db/filters.js';
import { listPage } from '../../db/list-query.js';
import { imageSetVisible } from '../../access/policy/visibility.js';
import type { ListViewer } from '../users/users.repo.js';
import { insertedId } from '../../db/inserted-id.js';

/**
 * SQL condition: the viewer may read product `alias`: a member of its team, or anyone who may read
 * an image set that uses it (public sets share their annotation scheme).
 */
export function productVisible(q: SqlConditions, viewer: ListViewer, alias: string): string {
  if (viewer.isSuperuser) return 'true';
  return `(EXISTS (SELECT 1 FROM team_memberships mp WHERE mp.team_id = ${alias}.team_id AND mp.user_id = ${q.param(viewer.id)})
    OR EXISTS (SELECT 1 FROM product_image_sets pv JOIN image_sets sv ON sv.id = pv.image_set_id
      WHERE pv.product_id = ${alias}.id AND ${imageSetVisible(q, viewer, 'sv')}))`;
}

export const productFilters: FilterSpec = {
  id: { type: 'int', lookups: ['exact', 'in'], column: 'p.id' },
  name: { type: 'text', lookups: ['exact', 'contains'], column: 'p.name' },
  description: { type: 'text', lookups: ['exact', 'contains'], column: 'p.description' },
  team: { type: 'int', lookups: ['exact', 'in'], column: 'p.team_id' },
  creator: { type: 'int', lookups: ['exact', 'in'], column: 'p.creator_id' },
  imagesets: {
    type: 'int',
    lookups: ['exact', 'in'],
    where: (c) =>
      `EXISTS (SELECT 1 FROM product_image_sets ps WHERE ps.product_id = p.id AND ${c('ps.image_set_id')})`,
  },
  annotationtype: {
    type: 'int',
    lookups: ['exact', 'in'],
    where: (c) => `EXISTS (SELECT 1 FROM annotation_types at WHERE at.product_id = p.id AND ${c('at.id')})`,
  },
};

export interface ProductRow {
  id: number;
  name: string;
  description: string;
  team: number;
  creator: number | null;
  time: string;
  imagesets: number[];
  annotationtype_set: number[];
}

/** Products: named annotation schemes (sets of annotation types) owned by a team. */
export class ProductsRepo {
  constructor(private readonly db: Queryable) {}

  async list(viewer: ListViewer, filters: readonly ParsedFilter[], page?: { limit: number; offset: number }) {
    const q = new SqlConditions();
    q.add(productVisible(q, viewer, 'p'));
    q.addFilters(productFilters, filters);
    return listPage<ProductRow>(this.db, {
      select: (r) => `p.id, p.name, p.description, p.team_id AS team, p.creator_id AS creator, p.time,
        ARRAY(SELECT ps.image_set_id FROM product_image_sets ps JOIN image_sets s ON s.id = ps.image_set_id
          WHERE ps.product_id = p.id AND ${imageSetVisible(r, viewer, 's')} ORDER BY 1) AS imagesets,
        ARRAY(SELECT at.id FROM annotation_types at WHERE at.product_id = p.id ORDER BY at.sort_order, at.id)
          AS annotationtype_set`,
      from: 'products p',
      conditions: q,
      orderBy: 'p.id',
      page,
    });
  }

  async insert(p: { name: string; description: string; team: number }, creatorId: number): Promise<number> {
    const rows = await this.db.query<{ id: number }>(
      'INSERT INTO products (name, description, team_id, creator_id) VALUES ($1, $2, $3, $4) RETURNING id',
      [p.name, p.description, p.team, creatorId],
    );
    return insertedId(rows);
  }

  async update(id: number, changes: { name?: string; description?: string; team?: number }): Promise<void> {
    const params: SqlValue[] = [id];
    const sets: string[] = [];
    for (const [column, value] of [
      ['name', changes.name],
      ['description', changes.description],
      ['team_id', changes.team],
    ] as const) {
      if (value === undefined) continue;
      params.push(value);
      sets.push(`${column} = $${params.length}`);
    }
    if (sets.length > 0) await this.db.query(`UPDATE products SET ${sets.join(', ')} WHERE id = $1`, params);
  }

  async replaceImageSets(id: number, imageSetIds: readonly number[]): Promise<void> {
    await this.db.query('DELETE FROM product_image_sets WHERE product_id = $1', [id]);
    await this.db.query(
      'INSERT INTO product_image_sets (product_id, image_set_id) SELECT $1, unnest($2::int[]) ON CONFLICT DO NOTHING',
      [id, imageSetIds],
    );
  }

  async teamOf(id: number): Promise<number | undefined> {
    const rows = await this.db.query<{ team_id: number }>('SELECT team_id FROM products WHERE id = $1', [id]);
    return rows[0]?.team_id;
  }

  /** Of the given ids, those that are products of the team. */
  async idsInTeam(teamId: number, ids: readonly number[]): Promise<number[]> {
    const rows = await this.db.query<{ id: number }>(
      'SELECT id FROM products WHERE team_id = $1 AND id = ANY($2::int[])',
      [teamId, ids],
    );
    return rows.map((r) => r.id);
  }

  async delete(id: number): Promise<void> {
    await this.db.query('DELETE FROM products WHERE id = $1', [id]);
  }
}
