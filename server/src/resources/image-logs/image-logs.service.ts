import { isIP } from 'node:net';
import type { ImageActionLog, ImageActionLogWrite } from '@tessera/shared';
import { invalidPk } from '../../access/team-access.js';
import { ResourceService } from '../../api/resource-service.js';
import type { Viewer } from '../../auth/viewer.js';
import type { Database } from '../../db/database.js';
import type { ParsedFilter } from '../../db/filters.js';
import { formatTimestamp, requestMillis } from '../../db/timestamps.js';
import { AppError } from '../../errors/app-error.js';
import { ImagesRepo } from '../images/images.repo.js';
import { ImageLogsRepo, imageLogFilters, type ImageLogRow } from './image-logs.repo.js';

/**
 * EXACT's `annotations/log_image_actions/`: the workspace records when a user opens and leaves an
 * image. Users read their own rows, team admins all of their teams'; everyone writes only their own.
 */
export class ImageLogsService extends ResourceService<ImageActionLog> {
  readonly name = 'log_image_actions';
  readonly filters = imageLogFilters;
  readonly relations = { image: 'images', user: 'users' };

  constructor(private readonly db: Database) {
    super();
  }

  async list(viewer: Viewer, filters: readonly ParsedFilter[], page?: { limit: number; offset: number }) {
    const { count, rows } = await new ImageLogsRepo(this.db).list(viewer, filters, page);
    return { count, rows: rows.map(presentLog) };
  }

  /** Records the caller's action on an image they may see, from the address the request came from. */
  async create(viewer: Viewer, input: ImageActionLogWrite, ip: string): Promise<number> {
    if (input.user !== undefined && input.user !== viewer.id)
      throw AppError.forbidden('You may only record your own image actions.');
    const { rows } = await new ImagesRepo(this.db).list(viewer, [
      { name: 'id', lookup: 'exact', value: input.image },
    ]);
    if (rows.length === 0) throw invalidPk('image', input.image);
    return new ImageLogsRepo(this.db).insert({
      imageId: input.image,
      userId: viewer.id,
      action: input.action,
      at: new Date(requestMillis(input.time)),
      ip: isIP(ip) === 0 ? null : ip,
    });
  }
}

function presentLog(row: ImageLogRow): ImageActionLog {
  return {
    id: row.id,
    image: row.image_id,
    user: row.user_id,
    action: row.action,
    time: formatTimestamp(row.time) ?? '',
    ip: row.ip,
  };
}
