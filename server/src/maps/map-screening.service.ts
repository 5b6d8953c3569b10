import type { AnnotationMapScreening, AnnotationMapScreeningWrite } from '@tessera/shared';
import type { Viewer } from '../auth/viewer.js';
import type { Database } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { MapScreeningRepo, type MapScreeningRow } from './map-screening.repo.js';
import type { MapsService } from './maps.service.js';

/**
 * `annotations/annotation_maps/<id>/screening/`: the caller's own guided screening of a map (M8). Who
 * sees the map (P8) keeps a plan on it; each reads and writes only their own row, superusers included.
 */
export class MapScreeningService {
  constructor(
    private readonly db: Database,
    private readonly maps: MapsService,
  ) {}

  /** The caller's screening of the map, or null before they started one. */
  async mine(viewer: Viewer, mapId: number): Promise<AnnotationMapScreening | null> {
    await this.maps.visibleRow(viewer, mapId);
    const row = await new MapScreeningRepo(this.db).find(mapId, viewer.id);
    return row === null ? null : present(row);
  }

  /** Stores the caller's plan and position on the map (a move sends the plan with the new position). */
  async put(
    viewer: Viewer,
    mapId: number,
    input: AnnotationMapScreeningWrite,
  ): Promise<AnnotationMapScreening> {
    await this.maps.visibleRow(viewer, mapId);
    const fields = Object.keys(input.screening_tiles).length;
    if (fields > 0 && fields !== input.x_steps * input.y_steps) {
      throw AppError.invalidField('screening_tiles', 'A plan has x_steps × y_steps tiles.');
    }
    if (fields > 0 && !(String(input.current_index) in input.screening_tiles)) {
      throw AppError.invalidField('current_index', 'The current index names no tile of the plan.');
    }
    return present(await new MapScreeningRepo(this.db).put(mapId, viewer.id, input));
  }
}

function present({ map_id, user_id, ...state }: MapScreeningRow): AnnotationMapScreening {
  return { annotation_map: map_id, user: user_id, ...state };
}
