import type { SetTag } from '@tessera/shared';
import { ResourceService } from '../../api/resource-service.js';
import type { Viewer } from '../../auth/viewer.js';
import type { Database } from '../../db/database.js';
import type { ParsedFilter } from '../../db/filters.js';
import { AppError } from '../../errors/app-error.js';
import { uniqueField } from '../../errors/pg-errors.js';
import { SetTagsRepo, setTagFilters } from './set-tags.repo.js';

/** Set tags are one vocabulary for everyone: anyone may add a tag; superusers rename or delete. */
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

  async create(_viewer: Viewer, input: { name: string }): Promise<number> {
    return uniqueField('name', NAME_TAKEN, () => new SetTagsRepo(this.db).insert(input.name));
  }

  async update(viewer: Viewer, id: number, input: { name?: string }): Promise<void> {
    if (!(await this.find(viewer, id))) throw AppError.notFound();
    if (!viewer.isSuperuser) throw AppError.forbidden('Only superusers rename tags.');
    const name = input.name;
    if (name !== undefined)
      await uniqueField('name', NAME_TAKEN, () => new SetTagsRepo(this.db).rename(id, name));
  }

  async remove(viewer: Viewer, id: number): Promise<void> {
    if (!(await this.find(viewer, id))) throw AppError.notFound();
    if (!viewer.isSuperuser) throw AppError.forbidden('Only superusers delete tags.');
    await new SetTagsRepo(this.db).delete(id);
  }
}

const NAME_TAKEN = 'set tag with this name already exists.';
