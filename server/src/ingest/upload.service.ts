import path from 'node:path';
import { uploadFields } from '@tessera/shared';
import { invalidPk, TeamAccess } from '../access/team-access.js';
import { DRF_MESSAGES, zodFieldErrors } from '../api/endpoint.js';
import type { Viewer } from '../auth/viewer.js';
import type { Database } from '../db/database.js';
import { isPgError, SqlState } from '../db/sqlstate.js';
import { AppError } from '../errors/app-error.js';
import { ImageSetsRepo } from '../resources/image-sets/image-sets.repo.js';
import { ImagesRepo } from '../resources/images/images.repo.js';
import { JobsRepo } from './jobs.repo.js';
import type { MultipartUpload } from './multipart.js';
import { pseudonymFor } from './pseudonym.js';
import type { ImageStorage, StagedFile } from './storage.js';
import { expandZip } from './zip.js';

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

/** Uploads: files (and zips of them) into an image set, each with its inspection job queued. */
export class UploadService {
  constructor(
    private readonly db: Database,
    private readonly storage: ImageStorage,
    private readonly maxUploadBytes: number,
    private readonly onQueued: () => void,
  ) {}

  /**
   * Stores uploaded files in an image set and queues their inspection. Identical bytes already in the
   * set are skipped and reported, not stored twice.
   */
  async upload(viewer: Viewer, upload: MultipartUpload): Promise<UploadResult> {
    try {
      const parsed = uploadFields.safeParse(upload.fields, DRF_MESSAGES);
      if (!parsed.success) throw AppError.invalid(zodFieldErrors(parsed.error));
      if (upload.files.length === 0) throw AppError.invalidField('file', 'No file was submitted.');
      const setId = parsed.data.image_set;
      const sets = await new ImageSetsRepo(this.db).list(viewer, [
        { name: 'id', lookup: 'exact', value: setId },
      ]);
      const set = sets.rows[0];
      if (!set) throw invalidPk('image_set', setId);
      await new TeamAccess(this.db).requireAdminOfSeen(viewer, set.team);
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
}
