import type { SetTag, SetTagWrite } from '@tessera/shared';
import { invalidPk, TeamAccess } from '../../access/team-access.js';
import { ImageSetsRepo } from '../image-sets/image-sets.repo.js';
import { ResourceService } from '../../api/resource-service.js';
import type { Viewer } from '../../auth/viewer.js';
import type { Database } from '../../db/database.js';
import type { ParsedFilter } from '../../db/filters.js';
import { AppError } from '../../errors/app-error.js';
import { uniqueField } from '../../errors/pg-errors.js';
import { SetTagsRepo, setTagFilters } from './set-tags.repo.js';

/**
 * Set tags are one vocabulary for everyone: anyone may add a tag; superusers rename or delete; team
 * admins link tags to the sets they administer (`imagesets`).
 */
export class SetTagsService extends ResourceService<SetTag> {
  readonly name = 'set_tags';
  readonly filters = setTagFilters;
  readonly relations = { imagesets: 'image_sets' };

  constructor(private readonly db: Database) {
    super();
  }

  async list(viewer: Viewer, filters: readonly ParsedFilter[], page?: { limit: number; offset: number }) {
    const result = await new SetTagsRepo(this.db).list(viewer, filters, page);
    return { count: result.count, rows: result.rows.map((r): SetTag => ({ ...r })) };
  }

  /** Adds a tag, linked to the given sets (each one the caller administers). */
  async create(viewer: Viewer, input: SetTagWrite): Promise<number> {
    await this.requireAdministered(viewer, input.imagesets ?? []);
    return this.db.transaction(async (tx) => {
      const repo = new SetTagsRepo(tx);
      const id = await uniqueField('name', NAME_TAKEN, () => repo.insert(input.name));
      await repo.link(id, input.imagesets ?? []);
      return id;
    });
  }

  /** Superusers rename; a team admin relinks the tag among the sets they administer. */
  async update(viewer: Viewer, id: number, input: Partial<SetTagWrite>): Promise<void> {
    const current = await this.find(viewer, id);
    if (!current) throw AppError.notFound();
    const { name, imagesets } = input;
    if (name !== undefined && name !== current.name && !viewer.isSuperuser)
      throw AppError.forbidden('Only superusers rename tags.');
    if (imagesets) await this.requireAdministered(viewer, imagesets);
    await this.db.transaction(async (tx) => {
      const repo = new SetTagsRepo(tx);
      if (name !== undefined) await uniqueField('name', NAME_TAKEN, () => repo.rename(id, name));
      if (imagesets) {
        await repo.unlinkOthers(id, imagesets, viewer.isSuperuser ? null : viewer.id);
        await repo.link(id, imagesets);
      }
    });
  }

  /** 400 for a set the caller cannot see, 403 for one they see but do not administer. */
  private async requireAdministered(viewer: Viewer, imageSetIds: readonly number[]): Promise<void> {
    const access = new TeamAccess(this.db);
    for (const setId of new Set(imageSetIds)) {
      const team = await new ImageSetsRepo(this.db).teamOf(setId);
      if (team === undefined) throw invalidPk('imagesets', setId);
      await access.requireAdmin(viewer, team, () => invalidPk('imagesets', setId));
    }
  }

  async remove(viewer: Viewer, id: number): Promise<void> {
    if (!(await this.find(viewer, id))) throw AppError.notFound();
    if (!viewer.isSuperuser) throw AppError.forbidden('Only superusers delete tags.');
    await new SetTagsRepo(this.db).delete(id);
  }
}

const NAME_TAKEN = 'set tag with this name already exists.';
