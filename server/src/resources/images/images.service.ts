import type { Image, ImageChange } from '@tessera/shared';
import { invalidPk, TeamAccess } from '../../access/team-access.js';
import { BLIND } from '../../access/policy/modes.js';
import { uniqueField } from '../../errors/pg-errors.js';
import { ImageSetsRepo } from '../image-sets/image-sets.repo.js';
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

  /**
   * A team admin renames an image, corrects its resolution, or moves it to another set of the same
   * team. A move takes the annotations along: documents are named by image, so only their rows'
   * set changes, and the trigger of migration 0015 makes open connections follow (access-sweep.ts).
   * Blind sets keep one document per user and shared sets one per image, so an image moves only
   * between sets of the same kind.
   */
  async update(viewer: Viewer, id: number, input: Partial<ImageChange>): Promise<void> {
    const image = await this.visibleRow(viewer, id);
    await new TeamAccess(this.db).requireAdminOfSeen(viewer, image.team);
    const target = input.image_set;
    if (target !== undefined && target !== image.image_set) await this.checkMove(viewer, image, target);
    await this.db.transaction(async (tx) => {
      const repo = new ImagesRepo(tx);
      await repo.update(id, input);
      if (target !== undefined && target !== image.image_set)
        await uniqueField('image_set', SAME_CONTENT, () => repo.move(id, target));
    });
  }

  private async checkMove(viewer: Viewer, image: ImageRow, target: number): Promise<void> {
    const set = await new ImageSetsRepo(this.db).kindOf(target);
    const access = new TeamAccess(this.db);
    const seen = set && (viewer.isSuperuser || (await access.roleOf(viewer, set.team_id)) !== null);
    if (!set || !seen) throw invalidPk('image_set', target);
    if (set.team_id !== image.team)
      throw AppError.invalidField('image_set', 'Images move only between image sets of the same team.');
    const source = await new ImageSetsRepo(this.db).kindOf(image.image_set);
    if ((source?.collaboration_type === BLIND) !== (set.collaboration_type === BLIND))
      throw AppError.invalidField(
        'image_set',
        'Images move only between blind sets or between shared sets: their annotations are kept differently.',
      );
  }

  async remove(viewer: Viewer, id: number): Promise<void> {
    const image = await this.visibleRow(viewer, id);
    await new TeamAccess(this.db).requireAdminOfSeen(viewer, image.team);
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
    // P5: label and macro images are the team admins'; whoever sees the image but is none gets 403.
    if (associated && !(await this.isAdmin(viewer, row.team)))
      throw AppError.forbidden('Label and macro images are for team admins.');
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
    await new TeamAccess(this.db).requireAdminOfSeen(viewer, row.team);
    if (row.storage_path === null) throw AppError.notFound();
    return { path: this.storage.resolve(row.storage_path), row };
  }

  private async isAdmin(viewer: Viewer, teamId: number): Promise<boolean> {
    if (viewer.isSuperuser) return true;
    return (await new MembershipsRepo(this.db).adminTeams(viewer.id, [teamId])).has(teamId);
  }
}

const SAME_CONTENT = 'The image set already holds an image with the same content.';

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
    annotation_region_size: row.annotation_region_size,
  };
  if (admin || row.show_original_names) image.original_filename = row.original_filename;
  if (admin) {
    image.vendor_properties = row.vendor_properties;
    image.associated_images = row.associated_images;
  }
  return image;
}
