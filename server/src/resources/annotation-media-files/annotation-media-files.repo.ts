import type { Queryable } from '../../db/database.js';
import { SqlConditions, type FilterSpec, type ParsedFilter } from '../../db/filters.js';
import { listPage } from '../../db/list-query.js';
import { addAnnotationVisibility } from '../../access/policy/visibility.js';
import type { ListViewer } from '../users/users.repo.js';

/** EXACT's media file filters, plus the annotation's image for a whole image's files at once. */
export const annotationMediaFileFilters: FilterSpec = {
  id: { type: 'int', lookups: ['exact', 'in'], column: 'm.id' },
  name: { type: 'text', lookups: ['exact', 'contains'], column: 'm.name' },
  media_file_type: { type: 'int', lookups: ['exact', 'in'], column: 'm.media_file_type' },
  annotation: { type: 'int', lookups: ['exact', 'in'], column: 'm.annotation_id' },
  annotation__image: { type: 'int', lookups: ['exact', 'in'], column: 'a.image_id' },
};

export interface AnnotationMediaFileRow {
  id: number;
  annotation_id: number;
  name: string;
  media_file_type: number;
  content_type: string;
  path: string;
  size: number;
}

export interface NewAnnotationMediaFile {
  readonly annotationId: number;
  readonly name: string;
  readonly mediaFileType: number;
  readonly contentType: string;
  readonly path: string;
  readonly size: number;
  readonly uploaderId: number;
}

const COLUMNS =
  'm.id, m.annotation_id, m.name, m.media_file_type, m.content_type, m.path, m.size::float8 AS size';

/** The media file table: a file is seen wherever its annotation is (the annotations' visibility). */
export class AnnotationMediaFilesRepo {
  constructor(private readonly db: Queryable) {}

  async list(viewer: ListViewer, filters: readonly ParsedFilter[], page?: { limit: number; offset: number }) {
    const q = new SqlConditions();
    addAnnotationVisibility(q, viewer);
    q.addFilters(annotationMediaFileFilters, filters);
    return listPage<AnnotationMediaFileRow>(this.db, {
      select: () => COLUMNS,
      from: 'annotation_media_files m JOIN annotations a ON a.id = m.annotation_id',
      conditions: q,
      orderBy: 'm.id',
      page,
    });
  }

  async insert(file: NewAnnotationMediaFile): Promise<number> {
    const rows = await this.db.query<{ id: number }>(
      `INSERT INTO annotation_media_files
         (annotation_id, name, media_file_type, content_type, path, size, uploader_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [
        file.annotationId,
        file.name,
        file.mediaFileType,
        file.contentType,
        file.path,
        file.size,
        file.uploaderId,
      ],
    );
    const row = rows[0];
    if (!row) throw new Error('INSERT ... RETURNING answered no row');
    return row.id;
  }

  async update(id: number, change: { name?: string; mediaFileType?: number }): Promise<void> {
    await this.db.query(
      `UPDATE annotation_media_files
         SET name = COALESCE($2, name), media_file_type = COALESCE($3, media_file_type)
       WHERE id = $1`,
      [id, change.name ?? null, change.mediaFileType ?? null],
    );
  }

  /** Deletes the row and answers the stored path of its file (undefined when it was gone already). */
  async delete(id: number): Promise<string | undefined> {
    const rows = await this.db.query<{ path: string }>(
      'DELETE FROM annotation_media_files WHERE id = $1 RETURNING path',
      [id],
    );
    return rows[0]?.path;
  }
}
