import type { RestAnnotation, RestAnnotationChange, RestAnnotationWrite } from '@tessera/shared';
import {
  annotationProblem,
  createAnnotation,
  readRecord,
  setVerification,
  updateFields,
  verificationKey,
  verificationsOf,
  type AnnotationRecord,
  type FieldChanges,
} from '@tessera/shared';
import { randomUUID } from 'node:crypto';
import type * as Y from 'yjs';
import { ResourceService } from '../../api/resource-service.js';
import type { Viewer } from '../../auth/viewer.js';
import { grantFor } from '../../access/policy/document-grant.js';
import { BLIND } from '../../access/policy/modes.js';
import { formatDocumentName, parseDocumentName } from '../../collab/document-names.js';
import { documentForNew } from '../../collab/document-routing.js';
import { DocumentsRepo } from '../../collab/documents.repo.js';
import type { LiveDocumentsPort } from '../../collab/live-documents.js';
import type { Database } from '../../db/database.js';
import type { PageRequest } from '../../api/pagination.js';
import type { ParsedFilter } from '../../db/filters.js';
import { formatTimestamp, requestMillis as millis } from '../../db/timestamps.js';
import { AppError } from '../../errors/app-error.js';
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

  /**
   * One page as the JSON text of EXACT's objects (exactly what `list` presents), with its count and
   * last id: the list route sends it as it is (annotations.list.ts).
   */
  async listJson(viewer: Viewer, filters: readonly ParsedFilter[], page: PageRequest) {
    return new AnnotationsRepo(this.db).listJson(viewer, filters, page);
  }

  /**
   * Creates annotations, or updates those whose unique_identifier the image's document has (upsert).
   * One document write per image: all of an image's items are checked first, then applied in one
   * transaction, so a list is taken whole or refused whole (the error names the item by its index).
   */
  async saveMany(
    viewer: Viewer,
    inputs: readonly RestAnnotationWrite[],
  ): Promise<{ id: number; created: boolean }[]> {
    const results = new Array<{ id: number; created: boolean }>(inputs.length);
    const byImage = new Map<number, number[]>();
    inputs.forEach((input, index) => {
      byImage.set(input.image, [...(byImage.get(input.image) ?? []), index]);
    });
    for (const [imageId, indexes] of byImage) {
      const target = await this.writable(viewer, imageId);
      const items = indexes.map((index) => {
        const input = inputs[index] as RestAnnotationWrite;
        return { index, input, uuid: input.unique_identifier ?? randomUUID(), created: false };
      });
      for (const [document, group] of await this.route(target, items, viewer.id, inputs.length > 1)) {
        await this.documents.write(
          document,
          (doc) => {
            const planned = group.map((item) => {
              const existing = readRecord(doc, item.uuid) as AnnotationRecord | null;
              const record = recordFor(item.input, existing, viewer.id);
              check(record, target.types, undefined, inputs.length > 1 ? item.index : undefined);
              return { item, existing, record };
            });
            for (const { item, existing, record } of planned) apply(doc, item, existing, record, viewer.id);
          },
          viewer.id,
        );
        const ids = await new AnnotationsRepo(this.db).idsByDocument(
          document,
          group.map((i) => i.uuid),
        );
        for (const item of group) {
          const id = ids.get(item.uuid);
          if (id === undefined)
            throw new Error(`annotation ${item.uuid} is not in the projection after its write`);
          results[item.index] = { id, created: item.created };
        }
      }
    }
    return results;
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

  /**
   * Sets the viewer's own verification of an annotation, in its live document (the validator would
   * refuse anyone else's). Readers of a set may not verify. Answers whether the viewer had none before.
   */
  async verify(
    viewer: Viewer,
    annotationId: number,
    verified: boolean,
    time?: string,
  ): Promise<{ created: boolean }> {
    const { rows } = await new AnnotationsRepo(this.db).list(viewer, [
      { name: 'id', lookup: 'exact', value: annotationId },
    ]);
    const row = rows[0];
    if (!row)
      throw AppError.invalidField('annotation', `Invalid pk "${annotationId}" - object does not exist.`);
    await this.writable(viewer, row.image_id, row.document);
    let created = false;
    await this.documents.write(
      row.document,
      (doc) => {
        if (!readRecord(doc, row.unique_identifier)) throw AppError.notFound();
        created = !verificationsOf(doc).has(verificationKey(row.unique_identifier, viewer.id));
        setVerification(doc, row.unique_identifier, verified, { userId: viewer.id, now: millis(time) });
      },
      viewer.id,
    );
    return { created };
  }

  /** Soft-deletes annotations (they stay in the document, flagged, as everywhere in Tessera). */
  async remove(viewer: Viewer, id: number): Promise<void> {
    await this.change(viewer, id, { deleted: true });
  }

  /**
   * Demands that the viewer may change an annotation, as for PATCH: `missing()` (404 by default) when
   * they cannot see it, 403 when they may only read its set. For what hangs off an annotation.
   */
  async requireEditable(
    viewer: Viewer,
    id: number,
    missing: () => AppError = () => AppError.notFound(),
  ): Promise<void> {
    const { rows } = await new AnnotationsRepo(this.db).list(viewer, [
      { name: 'id', lookup: 'exact', value: id },
    ]);
    const row = rows[0];
    if (!row) throw missing();
    await this.writable(viewer, row.image_id, row.document);
  }

  private async visibleRow(viewer: Viewer, id: number): Promise<AnnotationRow> {
    const { rows } = await new AnnotationsRepo(this.db).list(viewer, [
      { name: 'id', lookup: 'exact', value: id },
    ]);
    const row = rows[0];
    if (!row) throw AppError.notFound();
    return row;
  }

  /**
   * The documents an image's items go to, each with its items (G5: one write per document). Without
   * regions, all go to the image's (or the viewer's blind copy's) one document. With regions, an
   * annotation the projection knows is written where it is (G1: a move keeps its document) and a new
   * one in its G1 document; new items are checked before any document is written, so a list with a
   * bad new item is refused whole (updates are checked in their document's write).
   */
  private async route<T extends { index: number; uuid: string; input: RestAnnotationWrite }>(
    target: Awaited<ReturnType<AnnotationsService['writable']>>,
    items: readonly T[],
    userId: number,
    numbered: boolean,
  ): Promise<Map<string, T[]>> {
    if (target.regionSize === null) return new Map([[target.document, [...items]]]);
    const held = await new AnnotationsRepo(this.db).documentsHolding(
      target.document,
      items.map((i) => i.uuid),
    );
    const groups = new Map<string, T[]>();
    for (const item of items) {
      let document = held.get(item.uuid);
      if (document === undefined) {
        check(
          recordFor(item.input, null, userId),
          target.types,
          undefined,
          numbered ? item.index : undefined,
        );
        document = documentForNew(
          { imageId: target.imageId, userId: target.userId, regionSize: target.regionSize },
          item.input.vector,
        );
      }
      const group = groups.get(document);
      if (group) group.push(item);
      else groups.set(document, [item]);
    }
    return groups;
  }

  /** The document the viewer writes to on this image, and the types allowed there; refuses readers. */
  private async writable(viewer: Viewer, imageId: number, document?: string) {
    const repo = new DocumentsRepo(this.db);
    const image = await repo.imageAccess(imageId, viewer.id);
    // New annotations go to the viewer's own copy in blind sets, to the shared document otherwise.
    const name =
      document === undefined
        ? { imageId, userId: image?.collaboration_type === BLIND ? viewer.id : null }
        : parseDocumentName(document);
    const grant = name && grantFor(viewer, name, image);
    if (!grant || !image)
      throw AppError.invalidField('image', `Invalid pk "${imageId}" - object does not exist.`);
    if (grant.readOnly) throw AppError.forbidden('You may read this image set but not annotate it.');
    return {
      document: formatDocumentName(name),
      imageId,
      userId: name.userId,
      regionSize: image.annotation_region_size,
      types: await repo.allowedTypes(image.image_set_id),
    };
  }
}

interface PlannedItem {
  readonly uuid: string;
  readonly input: RestAnnotationWrite;
  created: boolean;
}

/** The stored record an EXACT write makes: a new annotation, or the existing one with these fields. */
function recordFor(
  input: RestAnnotationWrite,
  existing: AnnotationRecord | null,
  userId: number,
): AnnotationRecord {
  const at = { created: millis(input.time), edited: millis(input.last_edit_time ?? input.time) };
  const fields = {
    type: input.annotation_type,
    vector: input.vector,
    deleted: input.deleted,
    description: input.description,
    edited: { by: userId, at: at.edited },
  };
  if (existing) return { ...existing, ...fields, meta: input.meta_data ?? existing.meta };
  return {
    ...fields,
    meta: input.meta_data ?? null,
    created: { by: userId, at: at.created, generated: input.generated, score: input.score },
  };
}

function apply(
  doc: Y.Doc,
  item: PlannedItem,
  existing: AnnotationRecord | null,
  record: AnnotationRecord,
  userId: number,
): void {
  if (existing) {
    updateFields(doc, item.uuid, fieldsOf(record), { userId, now: record.edited.at });
    return;
  }
  createAnnotation(
    doc,
    {
      id: item.uuid,
      type: record.type,
      vector: record.vector,
      description: record.description,
      meta: record.meta,
      generated: record.created.generated,
      score: record.created.score,
      editedAt: record.edited.at,
    },
    { userId, now: record.created.at },
  );
  if (record.deleted) updateFields(doc, item.uuid, { deleted: true }, { userId, now: record.edited.at });
  item.created = true;
}

function check(
  record: AnnotationRecord,
  types: Awaited<ReturnType<DocumentsRepo['allowedTypes']>>,
  previousType?: number,
  index?: number,
) {
  const problem = annotationProblem(record, types, { allowRetiredType: previousType === record.type });
  if (problem === null) return;
  const [field, ...rest] = problem.split(': ');
  const name =
    field === 'type' ? 'annotation_type' : field === 'meta' ? 'meta_data' : (field ?? 'non_field_errors');
  throw AppError.invalidField(index === undefined ? name : `${index}.${name}`, rest.join(': ') || problem);
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

/** A projected row as EXACT's annotation object. */
export function presentAnnotation(row: AnnotationRow): RestAnnotation {
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
