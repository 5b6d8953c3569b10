import type { ScreeningMode, ScreeningModeWrite } from '@tessera/shared';
import { invalidPk } from '../../access/team-access.js';
import { ResourceService } from '../../api/resource-service.js';
import type { Viewer } from '../../auth/viewer.js';
import type { Database } from '../../db/database.js';
import type { ParsedFilter } from '../../db/filters.js';
import { AppError } from '../../errors/app-error.js';
import { uniqueField } from '../../errors/pg-errors.js';
import { ImagesRepo } from '../images/images.repo.js';
import { ScreeningModesRepo, screeningModeFilters, type ScreeningModeRow } from './screening-modes.repo.js';

/**
 * EXACT's `images/screening_modes/`: one user's progress through an image's tiles. Users create,
 * change and delete their own; team admins read all of their teams'.
 */
export class ScreeningModesService extends ResourceService<ScreeningMode> {
  readonly name = 'screening_modes';
  readonly filters = screeningModeFilters;
  readonly relations = { image: 'images', user: 'users' };

  constructor(private readonly db: Database) {
    super();
  }

  async list(viewer: Viewer, filters: readonly ParsedFilter[], page?: { limit: number; offset: number }) {
    const { count, rows } = await new ScreeningModesRepo(this.db).list(viewer, filters, page);
    return { count, rows: rows.map(presentScreeningMode) };
  }

  async create(viewer: Viewer, input: ScreeningModeWrite): Promise<number> {
    if (input.user !== undefined && input.user !== viewer.id)
      throw AppError.forbidden('You may only keep your own screening state.');
    const { rows } = await new ImagesRepo(this.db).list(viewer, [
      { name: 'id', lookup: 'exact', value: input.image },
    ]);
    if (rows.length === 0) throw invalidPk('image', input.image);
    const { image, ...fields } = input;
    return uniqueField('image', ALREADY, () =>
      new ScreeningModesRepo(this.db).insert(image, viewer.id, fields),
    );
  }

  /** Changes one's own state; moving `current_index` marks that tile screened. */
  async update(viewer: Viewer, id: number, input: Partial<ScreeningModeWrite>): Promise<void> {
    const current = await this.own(viewer, id);
    const { image, user, ...fields } = input;
    if (image !== undefined && image !== current.image)
      throw AppError.invalidField('image', 'A screening state stays with its image.');
    if (user !== undefined && user !== viewer.id)
      throw AppError.forbidden('You may only keep your own screening state.');
    await this.db.transaction(async (tx) => {
      const repo = new ScreeningModesRepo(tx);
      await repo.update(id, fields);
      if (fields.current_index !== undefined) await repo.markScreened(id, fields.current_index);
    });
  }

  async remove(viewer: Viewer, id: number): Promise<void> {
    await this.own(viewer, id);
    await new ScreeningModesRepo(this.db).delete(id);
  }

  /** The caller's own screening state: 404 when they do not see it, 403 when it is someone else's. */
  private async own(viewer: Viewer, id: number): Promise<ScreeningMode> {
    const row = await this.find(viewer, id);
    if (!row) throw AppError.notFound();
    if (row.user !== viewer.id) throw AppError.forbidden('This is not your screening state.');
    return row;
  }
}

const ALREADY = 'You already have a screening state for this image.';

function presentScreeningMode(row: ScreeningModeRow): ScreeningMode {
  return {
    id: row.id,
    image: row.image_id,
    user: row.user_id,
    screening_tiles: row.screening_tiles,
    x_steps: row.x_steps,
    y_steps: row.y_steps,
    x_resolution: row.x_resolution,
    y_resolution: row.y_resolution,
    current_index: row.current_index,
  };
}
