import type { Queryable } from '../../db/database.js';
import { SqlConditions, type FilterSpec, type ParsedFilter } from '../../db/filters.js';
import { insertedId } from '../../db/inserted-id.js';
import { listPage } from '../../db/list-query.js';
import { updateColumns } from '../../db/update-columns.js';
import { ownOrAdministered } from '../../access/policy/visibility.js';
import type { ListViewer } from '../users/users.repo.js';

export const screeningModeFilters: FilterSpec = {
  id: { type: 'int', lookups: ['exact', 'in'], column: 'm.id' },
  image: { type: 'int', lookups: ['exact', 'in'], column: 'm.image_id' },
  user: { type: 'int', lookups: ['exact', 'in'], column: 'm.user_id' },
};

export interface ScreeningModeRow {
  id: number;
  image_id: number;
  user_id: number;
  screening_tiles: Record<string, unknown>;
  x_steps: number;
  y_steps: number;
  x_resolution: number;
  y_resolution: number;
  current_index: number;
}

export interface ScreeningFields {
  screening_tiles?: Record<string, unknown>;
  x_steps?: number;
  y_steps?: number;
  x_resolution?: number;
  y_resolution?: number;
  current_index?: number;
}

const columnOf: Record<keyof ScreeningFields, string> = {
  screening_tiles: 'screening_tiles',
  x_steps: 'x_steps',
  y_steps: 'y_steps',
  x_resolution: 'x_resolution',
  y_resolution: 'y_resolution',
  current_index: 'current_index',
};

/** Screening state per user and image. */
export class ScreeningModesRepo {
  constructor(private readonly db: Queryable) {}

  async list(viewer: ListViewer, filters: readonly ParsedFilter[], page?: { limit: number; offset: number }) {
    const q = new SqlConditions();
    q.add(ownOrAdministered(q, viewer, 'm'));
    q.addFilters(screeningModeFilters, filters);
    return listPage<ScreeningModeRow>(this.db, {
      select: () =>
        `m.id, m.image_id, m.user_id, m.screening_tiles, m.x_steps, m.y_steps, m.x_resolution, m.y_resolution,
         m.current_index`,
      from: 'screening_modes m JOIN images i ON i.id = m.image_id JOIN image_sets s ON s.id = i.image_set_id',
      conditions: q,
      orderBy: 'm.id',
      page,
    });
  }

  async insert(imageId: number, userId: number, fields: Required<ScreeningFields>): Promise<number> {
    const rows = await this.db.query<{ id: number }>(
      `INSERT INTO screening_modes (image_id, user_id, screening_tiles, x_steps, y_steps, x_resolution, y_resolution,
         current_index) VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7, $8) RETURNING id`,
      [
        imageId,
        userId,
        JSON.stringify(fields.screening_tiles),
        fields.x_steps,
        fields.y_steps,
        fields.x_resolution,
        fields.y_resolution,
        fields.current_index,
      ],
    );
    return insertedId(rows);
  }

  async update(id: number, fields: ScreeningFields): Promise<void> {
    const { screening_tiles: tiles, ...counts } = fields;
    const stored = { ...counts, screening_tiles: tiles === undefined ? undefined : JSON.stringify(tiles) };
    await updateColumns(this.db, 'screening_modes', id, columnOf, stored);
  }

  /** Marks the tile at `index` screened, as EXACT does when the current index moves there. */
  async markScreened(id: number, index: number): Promise<void> {
    await this.db.query(
      `UPDATE screening_modes SET screening_tiles = jsonb_set(screening_tiles, ARRAY[$2::text, 'Screened'], 'true')
       WHERE id = $1 AND screening_tiles ? $2::text`,
      [id, String(index)],
    );
  }

  async delete(id: number): Promise<void> {
    await this.db.query('DELETE FROM screening_modes WHERE id = $1', [id]);
  }
}
