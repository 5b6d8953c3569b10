import type { RestAnnotation, RestAnnotationChange, RestAnnotationWrite } from '@tessera/shared';
import {
  annotationProblem,
  createAnnotation,
  readRecord,
  updateFields,
  type AnnotationRecord,
  type FieldChanges,
} from '@tessera/shared';
import { randomUUID } from 'node:crypto';
import { ResourceService } from '../api/resource-service.js';
import type { Viewer } from '../auth/viewer.js';
import { grantFor } from '../collab/document-access.js';
import { formatDocumentName, parseDocumentName } from '../collab/document-names.js';
import { DocumentsRepo } from '../collab/documents.repo.js';
import type { LiveDocumentsPort } from '../collab/live-documents.js';
import type { Database } from '../db/database.js';
import type { ParsedFilter } from '../db/filters.js';
import { formatTimestamp } from '../db/timestamps.js';
import { AppError } from '../errors/app-error.js';
import { AnnotationsRepo, annotationFilters, type AnnotationRow } from './annotations.repo.js';

/**
 * EXACT's annotations over REST, through the one write path: reads come from the SQL projection,
 * writes are validated here with the documents' own schema and rights, then made in the image's live
 * document (open browsers see them at once) and answered once they are logged and projected.
 */
export class AnnotationsService extends ResourceService<RestAnnotation> {
  readonly name = 'annotations';
  readonly filters = annotationFilters;
  readonly relations = {
    image: 'images',
    annotation_type: 'annotation_types',
    user: 'users',
    last_editor: 'users',
  };

  constructor(
    private readonly db: Database,
    private readonly documents: LiveDocumentsPort,
  ) {
    super();
  }

  async list(viewer: Viewer, filters: readonly ParsedFilter[], page?: { limit: number; offset: number }) {
    const { count, rows } = await new AnnotationsRepo(this.db).list(viewer, filters, page);
    return { count, rows: rows.map(presentAnnotation) };
  }

  /** Creates an annotation, or updates the one with the same unique_identifier on that image (upsert). */
  async save(viewer: Viewer, input: RestAnnotationWrite): Promise<{ id: number; created: boolean }> {
    const target = await this.writable(viewer, input.image);
    const uuid = input.unique_identifier ?? randomUUID();
    let created = false;
    await this.documents.write(
      target.document,
      (doc) => {
        const existing = readRecord(doc, uuid) as AnnotationRecord | null;
        const at = { created: millis(input.time), edited: millis(input.last_edit_time ?? input.time) };
        const record: AnnotationRecord = existing
          ? {
              ...existing,
              type: input.annotation_type,
              vector: input.vector,
              deleted: input.deleted,
              description: input.description,
              meta: input.meta_data ?? existing.meta,
              edited: { by: viewer.id, at: at.edited },
            }
          : {
              type: input.annotation_type,
              vector: input.vector,
              deleted: input.deleted,
              description: input.description,
              meta: input.meta_data ?? null,
              created: { by: viewer.id, at: at.created, generated: input.generated, score: input.score },
              edited: { by: viewer.id, at: at.edited },
            };
        check(record, target.types);
        if (existing) {
          updateFields(doc, uuid, fieldsOf(record), { userId: viewer.id, now: at.edited });
        } else {
          createAnnotation(
            doc,
            {
              id: uuid,
              type: record.type,
              vector: record.vector,
              description: record.description,
              meta: record.meta,
              generated: input.generated,
              score: input.score,
            },
            { userId: viewer.id, now: at.created },
          );
          if (record.deleted)
            updateFields(doc, uuid, { deleted: true }, { userId: viewer.id, now: at.edited });
          created = true;
        }
      },
      viewer.id,
    );
    const id = await new AnnotationsRepo(this.db).byDocument(target.document, uuid);
    if (id === undefined) throw new Error(`annotation ${uuid} is not in the projection after its write`);
    return { id, created };
  }

  /** Changes some fields of an annotation (PATCH, PUT); deleting is `deleted: true`. */
  async change(viewer: Viewer, id: number, input: RestAnnotationChange): Promise<void> {
    const row = await this.visibleRow(viewer, id);
    const target = await this.writable(viewer, row.image_id, row.document);
    await this.documents.write(
      row.document,
      (doc) => {
        const existing = readRecord(doc, row.unique_identifier) as AnnotationRecord | null;
        if (!existing) throw AppError.notFound();
        const changes: FieldChanges = {
          ...(input.annotation_type === undefined ? {} : { type: input.annotation_type }),
          ...(input.vector === undefined ? {} : { vector: input.vector }),
          ...(input.deleted === undefined ? {} : { deleted: input.deleted }),
          ...(input.description === undefined ? {} : { description: input.description }),
          ...(input.meta_data === undefined ? {} : { meta: input.meta_data }),
        };
        check({ ...existing, ...changes }, target.types, existing.type);
        updateFields(doc, row.unique_identifier, changes, {
          userId: viewer.id,
          now: millis(input.last_edit_time),
        });
      },
      viewer.id,
    );
  }

  /** Soft-deletes annotations (they stay in the document, flagged, as everywhere in Tessera). */
  async remove(viewer: Viewer, id: number): Promise<void> {
    await this.change(viewer, id, { deleted: true });
  }

  private async visibleRow(viewer: Viewer, id: number): Promise<AnnotationRow> {
    const { rows } = await new AnnotationsRepo(this.db).list(viewer, [
      { name: 'id', lookup: 'exact', value: id },
    ]);
    const row = rows[0];
    if (!row) throw AppError.notFound();
    return row;
  }

  /** The document the viewer writes to on this image, and the types allowed there; refuses readers. */
  private async writable(viewer: Viewer, imageId: number, document?: string) {
    const repo = new DocumentsRepo(this.db);
    const image = await repo.imageAccess(imageId, viewer.id);
    const blind = image?.collaboration_type === 1;
    const name = document ?? formatDocumentName({ imageId, userId: blind ? viewer.id : null });
    const parsed = parseDocumentName(name);
    const grant = parsed && grantFor(viewer, parsed, image);
    if (!grant || !image)
      throw AppError.invalidField('image', `Invalid pk "${imageId}" - object does not exist.`);
    if (grant.readOnly) throw AppError.forbidden('You may read this image set but not annotate it.');
    return { document: name, types: await repo.allowedTypes(image.image_set_id) };
  }
}

function check(
  record: AnnotationRecord,
  types: Awaited<ReturnType<DocumentsRepo['allowedTypes']>>,
  previousType?: number,
) {
  const problem = annotationProblem(record, types, { allowRetiredType: previousType === record.type });
  if (problem === null) return;
  const [field, ...rest] = problem.split(': ');
  const name =
    field === 'type' ? 'annotation_type' : field === 'meta' ? 'meta_data' : (field ?? 'non_field_errors');
  throw AppError.invalidField(name, rest.join(': ') || problem);
}

function fieldsOf(record: AnnotationRecord): FieldChanges {
  return {
    type: record.type,
    vector: record.vector,
    deleted: record.deleted,
    description: record.description,
    meta: record.meta,
  };
}

/** EXACT's time overrides: ISO 8601, UTC when no zone is given; now when absent. */
function millis(value: string | undefined): number {
  if (value === undefined) return Date.now();
  return Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(value) ? value : `${value}Z`);
}

function presentAnnotation(row: AnnotationRow): RestAnnotation {
  return {
    id: row.id,
    unique_identifier: row.unique_identifier,
    annotation_type: row.annotation_type_id,
    image: row.image_id,
    vector: row.vector,
    deleted: row.deleted,
    description: row.description,
    meta_data: row.meta_data,
    user: row.user_id,
    time: formatTimestamp(row.time) ?? '',
    last_editor: row.last_editor_id,
    last_edit_time: formatTimestamp(row.last_edit_time) ?? '',
    generated: row.generated,
    score: row.score,
  };
}
