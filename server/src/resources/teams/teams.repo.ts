import type { Queryable } from '../../db/database.js';
import { SqlConditions, type FilterSpec, type ParsedFilter } from '../../db/filters.js';
import { listPage } from '../../db/list-query.js';
import type { ListViewer } from '../users/users.repo.js';
import { insertedId } from '../../db/inserted-id.js';

export const teamFilters: FilterSpec = {
  id: { type: 'int', lookups: ['exact', 'in'], column: 't.id' },
  name: { type: 'text', lookups: ['exact', 'contains'], column: 't.name' },
  members: {
    type: 'int',
    lookups: ['exact', 'in'],
    where: (c) => `EXISTS (SELECT 1 FROM team_memberships m WHERE m.team_id = t.id AND ${c('m.user_id')})`,
  },
  image_sets: {
    type: 'int',
    lookups: ['exact', 'in'],
    where: (c) => `EXISTS (SELECT 1 FROM image_sets s WHERE s.team_id = t.id AND ${c('s.id')})`,
  },
  memberships: {
    type: 'int',
    lookups: ['exact', 'in'],
    where: (c) => `EXISTS (SELECT 1 FROM team_memberships m WHERE m.team_id = t.id AND ${c('m.id')})`,
  },
};

export interface TeamRow {
  id: number;
  name: string;
  members: number[];
  image_sets: number[];
  product_set: number[];
  memberships: number[];
}

/** Teams; a viewer sees the teams they belong to (superusers see all). */
export class TeamsRepo {
  constructor(private readonly db: Queryable) {}

  async list(viewer: ListViewer, filters: readonly ParsedFilter[], page?: { limit: number; offset: number }) {
    const q = new SqlConditions();
    if (!viewer.isSuperuser) {
      q.add(
        `EXISTS (SELECT 1 FROM team_memberships mv WHERE mv.team_id = t.id AND mv.user_id = ${q.param(viewer.id)})`,
      );
    }
    q.addFilters(teamFilters, filters);
    return listPage<TeamRow>(this.db, {
      select: () => `t.id, t.name,
        ARRAY(SELECT m.user_id FROM team_memberships m WHERE m.team_id = t.id ORDER BY m.user_id) AS members,
        ARRAY(SELECT s.id FROM image_sets s WHERE s.team_id = t.id ORDER BY s.id) AS image_sets,
        ARRAY(SELECT p.id FROM products p WHERE p.team_id = t.id ORDER BY p.id) AS product_set,
        ARRAY(SELECT m.id FROM team_memberships m WHERE m.team_id = t.id ORDER BY m.id) AS memberships`,
      from: 'teams t',
      conditions: q,
      orderBy: 't.id',
      page,
    });
  }

  async insert(name: string): Promise<number> {
    const rows = await this.db.query<{ id: number }>('INSERT INTO teams (name) VALUES ($1) RETURNING id', [
      name,
    ]);
    return insertedId(rows);
  }

  async rename(id: number, name: string): Promise<void> {
    await this.db.query('UPDATE teams SET name = $2 WHERE id = $1', [id, name]);
  }

  async exists(id: number): Promise<boolean> {
    const rows = await this.db.query<{ id: number }>('SELECT id FROM teams WHERE id = $1', [id]);
    return rows.length > 0;
  }

  async delete(id: number): Promise<void> {
    await this.db.query('DELETE FROM teams WHERE id = $1', [id]);
  }
}
