import type { TeamMembership } from '@tessera/shared';
import { invalidPk, TeamAccess } from '../../access/team-access.js';
import { ResourceService } from '../../api/resource-service.js';
import type { Viewer } from '../../auth/viewer.js';
import type { Database, Queryable } from '../../db/database.js';
import type { ParsedFilter } from '../../db/filters.js';
import { isPgError, SqlState } from '../../db/sqlstate.js';
import { AppError } from '../../errors/app-error.js';
import { UsersRepo } from '../users/users.repo.js';
import { MembershipsRepo, membershipFilters } from './memberships.repo.js';

/** Who belongs to which team: team admins manage it; members may leave. A team keeps one admin. */
export class MembershipsService extends ResourceService<TeamMembership> {
  readonly name = 'team_memberships';
  readonly filters = membershipFilters;
  readonly relations = { team: 'teams', user: 'users' };

  constructor(private readonly db: Database) {
    super();
  }

  async list(viewer: Viewer, filters: readonly ParsedFilter[], page?: { limit: number; offset: number }) {
    const result = await new MembershipsRepo(this.db).list(viewer, filters, page);
    return { count: result.count, rows: result.rows.map((r): TeamMembership => ({ ...r })) };
  }

  async create(viewer: Viewer, input: { team: number; user: number; is_admin: boolean }): Promise<number> {
    await new TeamAccess(this.db).requireAdmin(viewer, input.team, () => invalidPk('team', input.team));
    const users = await new UsersRepo(this.db).list(viewer, [
      { name: 'id', lookup: 'exact', value: input.user },
    ]);
    const user = users.rows[0];
    if (!user) throw invalidPk('user', input.user);
    if (!user.is_active) throw AppError.invalidField('user', 'This user is inactive.');
    try {
      return await new MembershipsRepo(this.db).insert(input.team, input.user, input.is_admin);
    } catch (error) {
      if (isPgError(error, SqlState.uniqueViolation)) {
        throw AppError.invalidField('non_field_errors', 'The fields team, user must make a unique set.');
      }
      if (isPgError(error, SqlState.foreignKeyViolation)) throw invalidPk('team', input.team);
      throw error;
    }
  }

  async update(viewer: Viewer, id: number, input: { is_admin?: boolean }): Promise<void> {
    const isAdmin = input.is_admin;
    await this.db.transaction(async (tx) => {
      const membership = await this.visible(tx, viewer, id);
      await new TeamAccess(tx).requireAdmin(viewer, membership.team);
      if (isAdmin === undefined || isAdmin === membership.is_admin) return;
      if (!isAdmin) await ensureAnotherAdmin(tx, membership.team);
      await new MembershipsRepo(tx).setAdmin(id, isAdmin);
    });
  }

  async remove(viewer: Viewer, id: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      const membership = await this.visible(tx, viewer, id);
      // Leaving a team is everyone's right; removing someone else is an admin's.
      if (membership.user !== viewer.id) await new TeamAccess(tx).requireAdmin(viewer, membership.team);
      if (membership.is_admin) await ensureAnotherAdmin(tx, membership.team);
      await new MembershipsRepo(tx).delete(id);
    });
  }

  private async visible(db: Queryable, viewer: Viewer, id: number): Promise<TeamMembership> {
    const { rows } = await new MembershipsRepo(db).list(viewer, [{ name: 'id', lookup: 'exact', value: id }]);
    const membership = rows[0];
    if (!membership) throw AppError.notFound();
    return membership;
  }
}

async function ensureAnotherAdmin(db: Queryable, teamId: number): Promise<void> {
  if ((await new MembershipsRepo(db).lockAndCountAdmins(teamId)) <= 1) {
    throw AppError.conflict('A team needs at least one admin; make someone else admin first.');
  }
}
