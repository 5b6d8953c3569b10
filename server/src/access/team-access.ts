import type { Viewer } from '../auth/viewer.js';
import type { Queryable } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { MembershipsRepo } from '../resources/memberships/memberships.repo.js';
import { TeamsRepo } from '../resources/teams/teams.repo.js';

export type TeamRole = 'admin' | 'member';

/** The viewer's role in a team: the basis of every permission in Tessera. */
export class TeamAccess {
  constructor(private readonly db: Queryable) {}

  async roleOf(viewer: Viewer, teamId: number): Promise<TeamRole | null> {
    const row = await new MembershipsRepo(this.db).of(viewer.id, teamId);
    if (!row) return null;
    return row.is_admin ? 'admin' : 'member';
  }

  /**
   * Demands that the viewer administers the team. A superuser always does; a member who is not an
   * admin gets 403; someone outside the team gets `outsider` (404 for a thing they cannot see, or a
   * 400 naming the field when the team was given in the request body); so does a superuser naming a
   * team that does not exist, which would otherwise reach the INSERT as a foreign-key violation.
   */
  async requireAdmin(
    viewer: Viewer,
    teamId: number,
    outsider: () => AppError = () => AppError.notFound(),
  ): Promise<void> {
    if (viewer.isSuperuser) return this.requireExisting(teamId, outsider);
    const role = await this.roleOf(viewer, teamId);
    if (role === null) throw outsider();
    if (role !== 'admin') throw AppError.forbidden('Only team admins may do this.');
  }

  /**
   * Demands that the viewer administers the team of an object they already see (rule P5 of
   * access/policy): whoever sees it but is no team admin gets 403, a reader of a public set included.
   */
  async requireAdminOfSeen(viewer: Viewer, teamId: number): Promise<void> {
    await this.requireAdmin(viewer, teamId, () => AppError.forbidden('Only team admins may do this.'));
  }

  /** Demands membership (any role) or superuser (of a team that exists). */
  async requireMember(
    viewer: Viewer,
    teamId: number,
    outsider: () => AppError = () => AppError.notFound(),
  ): Promise<void> {
    if (viewer.isSuperuser) return this.requireExisting(teamId, outsider);
    if ((await this.roleOf(viewer, teamId)) === null) throw outsider();
  }

  private async requireExisting(teamId: number, missing: () => AppError): Promise<void> {
    if (!(await new TeamsRepo(this.db).exists(teamId))) throw missing();
  }
}

/** DRF's answer for a related id that does not exist (or that the caller may not see). */
export function invalidPk(field: string, id: number): AppError {
  return AppError.invalidField(field, `Invalid pk "${id}" - object does not exist.`);
}
