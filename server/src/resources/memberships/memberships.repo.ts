import type { Queryable } from '../../db/database.js';
import { SqlConditions, type FilterSpec, type ParsedFilter } from '../../db/filters.js';
import { listPage } from '../../db/list-query.js';
import type { ListViewer } from '../users/users.repo.js';
import { insertedId } from '../../db/inserted-id.js';

export const membershipFilters: FilterSpec = {
  id: { type: 'int', lookups: ['exact', 'in'], column: 'm.id' },
  is_admin: { type: 'bool', lookups: ['exact'], column: 'm.is_admin' },
  team: { type: 'int', lookups: ['exact', 'in'], column: 'm.team_id' },
  user: { type: 'int', lookups: ['exact', 'in'], column: 'm.user_id' },
};

export interface MembershipRow {
  id: number;
  is_admin: boolean;
  team: number;
  user: number;
}

/** Team memberships; visible to the members of the same team. */
export class MembershipsRepo {
  constructor(private readonly db: Queryable) {}

  async list(viewer: ListViewer, filters: readonly ParsedFilter[], page?: { limit: number; offset: number }) {
    const q = new SqlConditions();
    if (!viewer.isSuperuser) {
      q.add(
        `EXISTS (SELECT 1 FROM team_memberships mv WHERE mv.team_id = m.team_id AND mv.user_id = ${q.param(viewer.id)})`,
      );
    }
    q.addFilters(membershipFilters, filters);
    return listPage<MembershipRow>(this.db, {
      select: () => 'm.id, m.is_admin, m.team_id AS team, m.user_id AS user',
      from: 'team_memberships m',
      conditions: q,
      orderBy: 'm.id',
      page,
    });
  }

  /** The user's membership of the team, or undefined. */
  async of(userId: number, teamId: number): Promise<{ id: number; is_admin: boolean } | undefined> {
    const rows = await this.db.query<{ id: number; is_admin: boolean }>(
      'SELECT id, is_admin FROM team_memberships WHERE team_id = $1 AND user_id = $2',
      [teamId, userId],
    );
    return rows[0];
  }

  /** Of the given teams, those the user administers. */
  async adminTeams(userId: number, teamIds: readonly number[]): Promise<Set<number>> {
    const rows = await this.db.query<{ team_id: number }>(
      'SELECT team_id FROM team_memberships WHERE user_id = $1 AND is_admin AND team_id = ANY($2::int[])',
      [userId, teamIds],
    );
    return new Set(rows.map((r) => r.team_id));
  }

  async insert(teamId: number, userId: number, isAdmin: boolean): Promise<number> {
    const rows = await this.db.query<{ id: number }>(
      'INSERT INTO team_memberships (team_id, user_id, is_admin) VALUES ($1, $2, $3) RETURNING id',
      [teamId, userId, isAdmin],
    );
    return insertedId(rows);
  }

  async setAdmin(id: number, isAdmin: boolean): Promise<void> {
    await this.db.query('UPDATE team_memberships SET is_admin = $2 WHERE id = $1', [id, isAdmin]);
  }

  async delete(id: number): Promise<void> {
    await this.db.query('DELETE FROM team_memberships WHERE id = $1', [id]);
  }

  /** Locks the team's admin rows and counts them, so two demotions cannot both pass the check. */
  async lockAndCountAdmins(teamId: number): Promise<number> {
    const rows = await this.db.query<{ id: number }>(
      'SELECT id FROM team_memberships WHERE team_id = $1 AND is_admin FOR UPDATE',
      [teamId],
    );
    return rows.length;
  }
}
