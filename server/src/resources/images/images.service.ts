import path from 'node:path';
import type { Image } from '@tessera/shared';
import { uploadFields } from '@tessera/shared';
import { invalidPk, TeamAccess } from '../../access/team-access.js';
import { zodFieldErrors } from '../../api/endpoint.js';
import { ResourceService } from '../../api/resource-service.js';
import type { Viewer } from '../../auth/viewer.js';
import type { Database } from '../../db/database.js';
import type { ParsedFilter } from '../../db/filters.js';
import { isPgError, SqlState } from '../../db/sqlstate.js';
import { formatTimestamp } from '../../db/timestamps.js';
import { AppError } from '../../errors/app-error.js';
import { ImageSetsRepo } from '../image-sets/image-sets.repo.js';
import { MembershipsRepo } from '../memberships/memberships.repo.js';
import { ImagesRepo, imageFilters, type ImageRow } from './images.repo.js';
import { JobsRepo } from '../../ingest/jobs.repo.js';
import type { MultipartUpload } from '../../ingest/multipart.js';
import { framePath } from '@tessera/tiler/token';
import { pseudonymFor } from '../../ingest/pseudonym.js';
import type { ImageStorage, StagedFile } from '../../ingest/storage.js';
import { expandZip } from '../../ingest/zip.js';

const DUPLICATE = 'An identical file is already in this set.';

interface UploadTarget {
  readonly set: { id: number; path: string };
  readonly imageType: number;
  readonly viewer: Viewer;
  readonly at: Date;
  readonly result: UploadResult;
}

export interface UploadResult {
  readonly created: number[];
  readonly skipped: { file: string; reason: string; image?: number }[];
}

/** Images: read where their set is readable; team admins upload, delete and see private details. */
export class ImagesService extends ResourceService<Image> {
  readonly name = 'images';
  readonly filters = imageFilters;
  readonly relations = { image_set: 'image_sets', FrameDescriptions: 'frame_descriptions' };

  constructor(
    private readonly db: Database,
    private readonly storage: ImageStorage,
    private readonly maxUploadBytes: number,
    private readonly onQueued: () => void,
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
   * Stores uploaded files in an image set and queues their inspection. Identical bytes already in the
   * set are skipped and reported, not stored twice.
   */
  async upload(viewer: Viewer, upload: MultipartUpload): Promise<UploadResult> {
    try {
      const parsed = uploadFields.safeParse(upload.fields);
      if (!parsed.success) throw AppError.invalid(zodFieldErrors(parsed.error));
      if (upload.files.length === 0) throw AppError.invalidField('file', 'No file was submitted.');
      const setId = parsed.data.image_set;
      const sets = await new ImageSetsRepo(this.db).list(viewer, [
        { name: 'id', lookup: 'exact', value: setId },
      ]);
      const set = sets.rows[0];
      if (!set) throw invalidPk('image_set', setId);
      await new TeamAccess(this.db).requireAdmin(viewer, set.team);
      const result: UploadResult = { created: [], skipped: [] };
      const target: UploadTarget = { set, imageType: parsed.data.image_type, viewer, at: new Date(), result };
      for (const file of upload.files) {
        if (file.originalName.toLowerCase().endsWith('.zip'))
          await this.addZip(target, file.originalName, file.staged);
        else await this.addFile(target, file.originalName, file.staged);
      }
      if (result.created.length > 0) this.onQueued();
      return result;
    } finally {
      // Whatever was not placed (refusals, duplicates handled above, errors) leaves no staged file behind.
      await Promise.all(upload.files.map((f) => this.storage.discard(f.staged)));
    }
  }

  /** Stores one file as one image, unless the same bytes are already in the set. */
  private async addFile(t: UploadTarget, originalName: string, staged: StagedFile): Promise<void> {
    const duplicate = await new ImagesRepo(this.db).findByContent(t.set.id, staged.sha256);
    if (duplicate !== undefined) {
      await this.storage.discard(staged);
      t.result.skipped.push({ file: originalName, reason: DUPLICATE, image: duplicate });
      return;
    }
    const name = pseudonymFor(originalName, t.at);
    const storagePath = `${this.storage.newImageDir(t.set.path)}/${name}`;
    await this.storage.place(staged, storagePath);
    await this.record(t, { name, originalName, staged, storagePath });
  }

  /**
   * A zip is either one multi-file slide (MIRAX and the like: the folder stays together) or a folder
   * of images (each becomes an image of its own).
   */
  private async addZip(t: UploadTarget, originalName: string, staged: StagedFile): Promise<void> {
    const content = await expandZip(staged.file, this.storage.stagingDir, {
      maxTotalBytes: this.maxUploadBytes,
      maxEntries: 10_000,
      maxRatio: 1000,
    });
    try {
      if (content.kind === 'files') {
        for (const file of content.files) await this.addFile(t, file.name, file.staged);
        return;
      }
      const duplicate = await new ImagesRepo(this.db).findByContent(t.set.id, staged.sha256);
      if (duplicate !== undefined) {
        t.result.skipped.push({ file: originalName, reason: DUPLICATE, image: duplicate });
        return;
      }
      const name = pseudonymFor(originalName.replace(/\.zip$/i, path.extname(content.main)), t.at);
      const imageDir = this.storage.newImageDir(t.set.path);
      await this.storage.placeDir(content.dir, imageDir);
      await this.record(t, {
        name,
        originalName,
        staged,
        storagePath: path.posix.join(imageDir, content.main),
      });
    } finally {
      await this.storage.discardDir(content.dir);
      await this.storage.discard(staged);
    }
  }

  /** Inserts the image row and its inspection job for a placed file. */
  private async record(
    t: UploadTarget,
    f: { name: string; originalName: string; staged: StagedFile; storagePath: string },
  ): Promise<void> {
    const id = await this.insertPlaced(f.storagePath, () =>
      this.db.transaction(async (tx) => {
        const imageId = await new ImagesRepo(tx).insert({
          imageSetId: t.set.id,
          name: f.name,
          filename: f.name,
          originalFilename: f.originalName,
          contentSha256: f.staged.sha256,
          sizeBytes: f.staged.size,
          storagePath: f.storagePath,
          imageType: t.imageType,
          uploadedBy: t.viewer.id,
        });
        await new JobsRepo(tx).enqueue(imageId, 'inspect');
        return imageId;
      }),
    );
    if (id === undefined) t.result.skipped.push({ file: f.originalName, reason: DUPLICATE });
    else t.result.created.push(id);
  }

  /**
   * Records a placed file; if that fails the file goes too. A concurrent upload of the same bytes
   * loses the race on the unique index and counts as a duplicate (undefined).
   */
  private async insertPlaced(
    storagePath: string,
    insert: () => Promise<number>,
  ): Promise<number | undefined> {
    try {
      return await insert();
    } catch (error) {
      await this.storage.removeImageDir(storagePath);
      if (isPgError(error, SqlState.uniqueViolation, 'images_set_content_key')) return undefined;
      throw error;
    }
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
