import type { AnnotationMapScreeningWrite } from '@tessera/shared';
import type { Queryable } from '../db/database.js';
import type { ScreeningModeRow } from '../resources/screening-modes/screening-modes.repo.js';

/** The stored row: an image's screening state's columns, keyed by map and user instead. */
export type MapScreeningRow = Omit<ScreeningModeRow, 'id' | 'image_id'> & { map_id: number };

const COLUMNS = `map_id, user_id, screening_tiles, x_steps, y_steps, x_resolution, y_resolution, current_index`;

/** One user's screening of a map, keyed by (map, user): a query names both, so no one reads another's. */
export class MapScreeningRepo {
  constructor(private readonly db: Queryable) {}

  async find(mapId: number, userId: number): Promise<MapScreeningRow | null> {
    const rows = await this.db.query<MapScreeningRow>(
      `SELECT ${COLUMNS} FROM annotation_map_screenings WHERE map_id = $1 AND user_id = $2`,
      [mapId, userId],
    );
    return rows[0] ?? null;
  }

  /** Stores the user's plan and position on the map, replacing any earlier one. */
  async put(mapId: number, userId: number, fields: AnnotationMapScreeningWrite): Promise<MapScreeningRow> {
    const rows = await this.db.query<MapScreeningRow>(
      `INSERT INTO annotation_map_screenings (${COLUMNS}) VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7, $8)
       ON CONFLICT (map_id, user_id) DO UPDATE SET screening_tiles = EXCLUDED.screening_tiles,
         x_steps = EXCLUDED.x_steps, y_steps = EXCLUDED.y_steps, x_resolution = EXCLUDED.x_resolution,
         y_resolution = EXCLUDED.y_resolution, current_index = EXCLUDED.current_index
       RETURNING ${COLUMNS}`,
      [
        mapId,
        userId,
        JSON.stringify(fields.screening_tiles),
        fields.x_steps,
        fields.y_steps,
        fields.x_resolution,
        fields.y_resolution,
        fields.current_index,
      ],
    );
    const row = rows[0];
    if (!row) throw new Error('the screening was not stored');
    return row;
  }
}
