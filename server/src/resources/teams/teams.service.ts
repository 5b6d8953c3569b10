import type { Team } from '@tessera/shared';
import { TeamAccess } from '../../access/team-access.js';
import { ResourceService } from '../../api/resource-service.js';
import type { Viewer } from '../../auth/viewer.js';
import type { Database } from '../../db/database.js';
import type { ParsedFilter } from '../../db/filters.js';
import { AppError } from '../../errors/app-error.js';
import { stillReferenced, uniqueField } from '../../errors/pg-errors.js';
import { MembershipsRepo } from '../memberships/memberships.repo.js';
import { TeamsRepo, teamFilters } from './teams.repo.js';

/** Teams: anyone may found one (and administers it); admins rename and delete it. */
export class TeamsService extends ResourceService<Team> {
  readonly name = 'teams';
  readonly filters = teamFilters;
  readonly relations = {
    members: 'users',
    image_sets: 'image_sets',
    product_set: 'products',
    memberships: 'team_memberships',
  };

  constructor(private readonly db: Database) {
    super();
  }

  async list(viewer: Viewer, filters: readonly ParsedFilter[], page?: { limit: number; offset: number }) {
    const result = await new TeamsRepo(this.db).list(viewer, filters, page);
    return { count: result.count, rows: result.rows.map((r): Team => ({ ...r })) };
  }

  async create(viewer: Viewer, input: { name: string }): Promise<number> {
    return this.db.transaction(async (tx) => {
      const id = await uniqueField('name', NAME_TAKEN, () => new TeamsRepo(tx).insert(input.name));
      await new MembershipsRepo(tx).insert(id, viewer.id, true);
      return id;
    });
  }

  async update(viewer: Viewer, id: number, input: { name?: string }): Promise<void> {
    await new TeamAccess(this.db).requireAdmin(viewer, id);
    if (!(await new TeamsRepo(this.db).exists(id))) throw AppError.notFound();
    const name = input.name;
    if (name !== undefined)
      await uniqueField('name', NAME_TAKEN, () => new TeamsRepo(this.db).rename(id, name));
  }

  async remove(viewer: Viewer, id: number): Promise<void> {
    await new TeamAccess(this.db).requireAdmin(viewer, id);
    if (!(await new TeamsRepo(this.db).exists(id))) throw AppError.notFound();
    await stillReferenced('The team still owns image sets or products; delete or move them first.', () =>
      new TeamsRepo(this.db).delete(id),
    );
  }
}

const NAME_TAKEN = 'team with this name already exists.';
