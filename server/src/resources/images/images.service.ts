import type { Image } from '@tessera/shared';
import { TeamAccess } from '../../access/team-access.js';
import { ResourceService } from '../../api/resource-service.js';
import type { Viewer } from '../../auth/viewer.js';
import type { Database } from '../../db/database.js';
import type { ParsedFilter } from '../../db/filters.js';
import { formatTimestamp } from '../../db/timestamps.js';
import { AppError } from '../../errors/app-error.js';
import { MembershipsRepo } from '../memberships/memberships.repo.js';
import { ImagesRepo, imageFilters, type ImageRow } from './images.repo.js';
import { framePath } from '@tessera/tiler/token';
import type { ImageStorage } from '../../ingest/storage.js';

/** Images: read where their set is readable; team admins delete and see private details (uploads: ingest/). */
export class ImagesService extends ResourceService<Image> {
  readonly name = 'images';
  readonly filters = imageFilters;
  readonly relations = { image_set: 'image_sets', FrameDescriptions: 'frame_descriptions' };

  constructor(
    private readonly db: Database,
    private readonly storage: ImageStorage,
  ) {
    super();
  }

  async list(viewer: Viewer, filters: readonly ParsedFilter[], page?: { limit: number; offset: number }) {
    const { count, rows } = await new ImagesRepo(this.db).list(viewer, filters, page);
    const adminOf = viewer.isSuperuser
      ? undefined
      : await new MembershipsRepo(this.db).adminTeams(viewer.id, [...new Set(rows.map((r) => r.team))]);
    return { count, rows: rows.map((r) => presentImage(r, adminOf?.has(r.team) ?? true)) };
  }

  async remove(viewer: Viewer, id: number): Promise<void> {
    const image = await this.visibleRow(viewer, id);
    await new TeamAccess(this.db).requireAdmin(viewer, image.team);
    await new ImagesRepo(this.db).delete(id);
    if (image.storage_path !== null) await this.storage.removeImageDir(image.storage_path);
  }

  /** The row of a visible image (404 otherwise), for pixel access and downloads. */
  async visibleRow(viewer: Viewer, id: number): Promise<ImageRow> {
    const { rows } = await new ImagesRepo(this.db).list(viewer, [{ name: 'id', lookup: 'exact', value: id }]);
    const row = rows[0];
    if (!row) throw AppError.notFound();
    return row;
  }

  /**
   * The pixel source of one frame (1-based) of a visible, ready image; label and macro images need a
   * team admin. A frame the image does not have is a 404.
   */
  async pixelSource(
    viewer: Viewer,
    id: number,
    options: { associated?: boolean; frame?: number } = {},
  ): Promise<{ row: ImageRow; src: string }> {
    const { associated = false, frame = 1 } = options;
    const row = await this.visibleRow(viewer, id);
    if (associated && !(await this.isAdmin(viewer, row.team))) throw AppError.notFound();
    if (row.state === 'processing') throw AppError.conflict('The image is still being processed.');
    if (row.state === 'failed')
      throw AppError.conflict(`The image failed to process: ${row.failure_reason ?? ''}`);
    const pyramid = row.pyramid_path ?? row.storage_path;
    if (pyramid === null || frame < 1 || frame > row.frames) throw AppError.notFound();
    return { row, src: framePath(pyramid, frame) };
  }

  /** The original upload's absolute path; downloading originals is a team admin's right. */
  async originalFile(viewer: Viewer, id: number): Promise<{ path: string; row: ImageRow }> {
    const row = await this.visibleRow(viewer, id);
    await new TeamAccess(this.db).requireAdmin(viewer, row.team);
    if (row.storage_path === null) throw AppError.notFound();
    return { path: this.storage.resolve(row.storage_path), row };
  }

  private async isAdmin(viewer: Viewer, teamId: number): Promise<boolean> {
    if (viewer.isSuperuser) return true;
    return (await new MembershipsRepo(this.db).adminTeams(viewer.id, [teamId])).has(teamId);
  }
}

function presentImage(row: ImageRow, admin: boolean): Image {
  const image: Image = {
    id: row.id,
    name: row.name,
    filename: row.filename,
    time: formatTimestamp(row.time) ?? '',
    height: row.height,
    width: row.width,
    depth: row.depth,
    frames: row.frames,
    channels: row.channels,
    mpp: row.mpp,
    objectivePower: row.objective_power,
    image_type: row.image_type,
    image_set: row.image_set,
    FrameDescriptions: row.frame_descriptions,
    defaultFrame: 1,
    state: row.state,
    failure_reason: row.failure_reason,
    vendor: row.vendor,
    size_bytes: row.size_bytes,
  };
  if (admin) {
    image.original_filename = row.original_filename;
    image.vendor_properties = row.vendor_properties;
    image.associated_images = row.associated_images;
  }
  return image;
}
