import path from 'node:path';
import {
  MEDIA_FILE_TYPES,
  mediaFileTypeOf,
  restAnnotationMediaFileUpload,
  toStorableText,
  withoutControlCharacters,
  type RestAnnotationMediaFile,
  type RestAnnotationMediaFileChange,
} from '@tessera/shared';
import { ResourceService } from '../../api/resource-service.js';
import { validateBody } from '../../api/endpoint.js';
import { invalidPk } from '../../access/team-access.js';
import type { Viewer } from '../../auth/viewer.js';
import type { Database } from '../../db/database.js';
import type { ParsedFilter } from '../../db/filters.js';
import { AppError } from '../../errors/app-error.js';
import type { MediaStorage } from '../../ingest/media-storage.js';
import type { MultipartUpload } from '../../ingest/multipart.js';
import type { ImageStorage } from '../../ingest/storage.js';
import type { AnnotationsService } from '../annotations/annotations.service.js';
import {
  AnnotationMediaFilesRepo,
  annotationMediaFileFilters,
  type AnnotationMediaFileRow,
} from './annotation-media-files.repo.js';

/** Where a media file's bytes are read (the `file` field). */
export const mediaFileUrl = (id: number) => `/api/v1/annotations/annotation_media_files/${id}/file/`;

/** A syntactically sound MIME type: anything else is stored as opaque bytes. */
const MIME = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,127}$/;
const OPAQUE = 'application/octet-stream';

/**
 * EXACT's `annotations/annotation_media_files/`: files attached to annotations. Seen by whoever sees the
 * annotation (its set, blind copies); attached, renamed and removed by whoever may change it.
 */
export class AnnotationMediaFilesService extends ResourceService<RestAnnotationMediaFile> {
  readonly name = 'annotation_media_files';
  readonly filters = annotationMediaFileFilters;
  readonly relations = { annotation: 'annotations' };

  constructor(
    private readonly db: Database,
    private readonly annotations: AnnotationsService,
    private readonly staging: ImageStorage,
    private readonly media: MediaStorage,
  ) {
    super();
  }

  async list(viewer: Viewer, filters: readonly ParsedFilter[], page?: { limit: number; offset: number }) {
    const { count, rows } = await new AnnotationMediaFilesRepo(this.db).list(viewer, filters, page);
    return { count, rows: rows.map(presentMediaFile) };
  }

  /** Stores an upload's one file for an annotation the viewer may change; answers the new id. */
  async upload(viewer: Viewer, upload: MultipartUpload): Promise<number> {
    try {
      return await this.store(viewer, upload);
    } finally {
      // Whatever was not placed (all of it on failure) is staging litter.
      await Promise.all(upload.files.map((f) => this.staging.discard(f.staged)));
    }
  }

  private async store(viewer: Viewer, upload: MultipartUpload): Promise<number> {
    const fields = validateBody(restAnnotationMediaFileUpload, upload.fields);
    const [file, ...extra] = upload.files;
    if (!file) throw AppError.invalidField('file', 'No file was submitted.');
    if (extra.length > 0) throw AppError.invalidField('file', 'Send one file per upload.');
    if (file.staged.size === 0) throw AppError.invalidField('file', 'The submitted file is empty.');
    await this.annotations.requireEditable(viewer, fields.annotation, () =>
      invalidPk('annotation', fields.annotation),
    );
    const declared = (file.mimeType ?? OPAQUE).trim().toLowerCase();
    const contentType = MIME.test(declared) ? declared : OPAQUE;
    const mediaFileType =
      fields.media_file_type ?? mediaFileTypeOf(contentType) ?? MEDIA_FILE_TYPES.undefined;
    requireMatchingKind(mediaFileType, contentType);
    const stored = await this.media.place(file.staged);
    try {
      return await new AnnotationMediaFilesRepo(this.db).insert({
        annotationId: fields.annotation,
        name: fields.name ?? displayName(file.originalName),
        mediaFileType,
        contentType,
        path: stored,
        size: file.staged.size,
        uploaderId: viewer.id,
      });
    } catch (error) {
      await this.media.remove(stored);
      throw error;
    }
  }

  /** Renames a file or changes its kind (PUT, PATCH). */
  async change(viewer: Viewer, id: number, input: Partial<RestAnnotationMediaFileChange>): Promise<void> {
    const row = await this.editableRow(viewer, id);
    if (input.media_file_type !== undefined) requireMatchingKind(input.media_file_type, row.content_type);
    await new AnnotationMediaFilesRepo(this.db).update(id, {
      ...(input.name === undefined ? {} : { name: input.name }),
      ...(input.media_file_type === undefined ? {} : { mediaFileType: input.media_file_type }),
    });
  }

  /** Deletes a file: its row, then its bytes. */
  async remove(viewer: Viewer, id: number): Promise<void> {
    await this.editableRow(viewer, id);
    const stored = await new AnnotationMediaFilesRepo(this.db).delete(id);
    if (stored !== undefined) await this.media.remove(stored);
  }

  /** A file the viewer may see: where its bytes are, how to label them. */
  async openFile(viewer: Viewer, id: number) {
    const row = await this.visibleRow(viewer, id);
    return {
      absolutePath: this.media.resolve(row.path),
      name: row.name,
      contentType: row.content_type,
      // Only what the kind vouches for is shown in place; anything else is a download of bytes.
      inline: row.media_file_type !== MEDIA_FILE_TYPES.undefined,
    };
  }

  private async visibleRow(viewer: Viewer, id: number): Promise<AnnotationMediaFileRow> {
    const { rows } = await new AnnotationMediaFilesRepo(this.db).list(viewer, [
      { name: 'id', lookup: 'exact', value: id },
    ]);
    const row = rows[0];
    if (!row) throw AppError.notFound();
    return row;
  }

  private async editableRow(viewer: Viewer, id: number): Promise<AnnotationMediaFileRow> {
    const row = await this.visibleRow(viewer, id);
    await this.annotations.requireEditable(viewer, row.annotation_id);
    return row;
  }
}

/** Image, video and audio must be what the content type says; undefined (1) takes anything. */
function requireMatchingKind(kind: number, contentType: string): void {
  if (kind === MEDIA_FILE_TYPES.undefined) return;
  if (mediaFileTypeOf(contentType) !== kind) {
    throw AppError.invalidField(
      'media_file_type',
      `A file of type "${contentType}" cannot be stored as media file type ${kind}.`,
    );
  }
}

/** The uploader's file name as a display name: no folders, no control characters, at most 255. */
function displayName(originalName: string): string {
  const base = path.posix.basename(originalName.replaceAll('\\', '/'));
  const clean = withoutControlCharacters(toStorableText(base)).trim();
  const short = Array.from(clean).slice(0, 255).join('');
  return short === '' ? 'upload' : short;
}

function presentMediaFile(row: AnnotationMediaFileRow): RestAnnotationMediaFile {
  return {
    id: row.id,
    name: row.name,
    media_file_type: row.media_file_type as RestAnnotationMediaFile['media_file_type'],
    file: mediaFileUrl(row.id),
    annotation: row.annotation_id,
  };
}
