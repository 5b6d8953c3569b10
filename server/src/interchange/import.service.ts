import { randomUUID } from 'node:crypto';
import type * as Y from 'yjs';
import {
  annotationProblem,
  createAnnotation,
  readRecord,
  updateFields,
  type AnnotationRecord,
  type AnnotationTypes,
  type ImportReport,
} from '@tessera/shared';
import type { Viewer } from '../auth/viewer.js';
import { requireOnImageSet } from '../access/policy/enforce.js';
import { BLIND } from '../access/policy/modes.js';
import { formatDocumentName } from '../collab/document-names.js';
import { documentForNew, type RoutingTarget } from '../collab/document-routing.js';
import type { LiveDocumentsPort } from '../collab/live-documents.js';
import type { Database } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { AnnotationsRepo } from '../resources/annotations/annotations.repo.js';
import { vectorFor } from './geometry.js';
import type { ImportItem, ParsedImport } from './import-model.js';
import { InterchangeRepo, type ImportType } from './interchange.repo.js';

export interface ImportOptions {
  /** Mark every imported annotation as an algorithm's proposal (for expert review). */
  readonly generated?: boolean;
  /** The image for items that name none (GeoJSON from QuPath describes one image). */
  readonly imageId?: number;
}

/** One annotation ready to write, after its image, type and vector were resolved and checked. */
interface Planned {
  readonly item: ImportItem;
  readonly uuid: string;
  readonly record: AnnotationRecord;
}

/**
 * Applies parsed import files to an image set through the one write path (the live documents), so
 * open clients see the import at once. Items whose image or type the set lacks, or whose shape does
 * not fit the type, are skipped and reported; each image's items are written in one document
 * transaction (one undoable step). Used by the REST import and by folder imports alike.
 */
export class ImportService {
  constructor(
    private readonly db: Database,
    private readonly documents: LiveDocumentsPort,
  ) {}

  /** P3: imports write annotations: 404 for a set the viewer cannot see, 403 for a reader of it. */
  async requireWritable(viewer: Viewer, imageSetId: number): Promise<void> {
    await requireOnImageSet(
      this.db,
      viewer,
      imageSetId,
      'image_set.annotate',
      'You may read this image set but not annotate it.',
    );
  }

  async importInto(
    viewer: Viewer,
    imageSetId: number,
    parsed: ParsedImport,
    options: ImportOptions = {},
  ): Promise<ImportReport> {
    await this.requireWritable(viewer, imageSetId);
    const repo = new InterchangeRepo(this.db);
    const target = await repo.target(imageSetId, viewer.id);
    if (!target) throw AppError.notFound();
    const types = new Map((await repo.types(imageSetId)).map((t) => [t.name, t]));
    const images = new Map<string, number>();
    const regionSizes = new Map<number, number | null>();
    for (const image of await repo.images(imageSetId)) {
      images.set(image.filename, image.id);
      images.set(image.name, image.id);
      regionSizes.set(image.id, image.annotation_region_size);
    }
    if (options.imageId !== undefined && ![...images.values()].includes(options.imageId)) {
      throw AppError.invalidField('image', `Image ${options.imageId} is not in image set ${imageSetId}.`);
    }
    const rules: AnnotationTypes = new Map(
      [...types.values()].map((t) => [t.id, { vectorType: t.vector_type, nodeCount: t.node_count }]),
    );
    const report: ImportReport = { imported: 0, updated: 0, skipped: [], images: [] };
    const byImage = new Map<number, Planned[]>();
    const now = Date.now();
    for (const item of parsed.items) {
      const imageId = item.imageName === null ? options.imageId : images.get(item.imageName);
      if (imageId === undefined) {
        const reason =
          item.imageName === null
            ? 'names no image; give the image to import into'
            : `image "${item.imageName}" is not in this image set`;
        report.skipped.push({ item: item.where, reason });
        continue;
      }
      const planned = plan(item, types.get(item.typeName), rules, viewer.id, now, options.generated ?? false);
      if (typeof planned === 'string') report.skipped.push({ item: item.where, reason: planned });
      else byImage.set(imageId, [...(byImage.get(imageId) ?? []), planned]);
    }
    for (const [imageId, items] of byImage) {
      const routing = {
        imageId,
        userId: target.collaborationType === BLIND ? viewer.id : null,
        regionSize: regionSizes.get(imageId) ?? null,
      };
      for (const [name, group] of await this.route(routing, items)) {
        await this.documents.write(
          name,
          (doc) => {
            for (const p of group) {
              if (apply(doc, p, viewer.id, now)) report.updated++;
              else report.imported++;
            }
          },
          viewer.id,
        );
      }
      report.images.push(imageId);
    }
    return report;
  }

  /**
   * G5: an image's items by the document they are written to, each document written once. Without
   * regions that is the image's (or the viewer's blind copy's) one document; with regions an item
   * whose uuid the projection knows goes where it is, a new one to its G1 document.
   */
  private async route(target: RoutingTarget, items: readonly Planned[]): Promise<Map<string, Planned[]>> {
    if (target.regionSize === null) return new Map([[documentForNew(target, null), [...items]]]);
    const base = formatDocumentName({ imageId: target.imageId, userId: target.userId });
    const held = await new AnnotationsRepo(this.db).documentsHolding(
      base,
      items.map((p) => p.uuid),
    );
    const groups = new Map<string, Planned[]>();
    for (const p of items) {
      const name = held.get(p.uuid) ?? documentForNew(target, p.record.vector);
      const group = groups.get(name);
      if (group) group.push(p);
      else groups.set(name, [p]);
    }
    return groups;
  }
}

/** The record an item makes, or why it is skipped. */
function plan(
  item: ImportItem,
  type: ImportType | undefined,
  rules: AnnotationTypes,
  userId: number,
  now: number,
  generated: boolean,
): Planned | string {
  if (!type) return `annotation type "${item.typeName}" is not used in this image set`;
  const vector = item.shape === null ? null : vectorFor(type.vector_type, item.shape);
  if (typeof vector === 'string') return vector;
  const record: AnnotationRecord = {
    type: type.id,
    vector,
    deleted: item.deleted ?? false,
    description: item.description ?? '',
    meta: null,
    created: {
      by: userId,
      at: now,
      generated: generated || (item.generated ?? false),
      score: item.score ?? null,
    },
    edited: { by: userId, at: now },
  };
  const problem = annotationProblem(record, rules);
  if (problem !== null) return problem;
  return { item, uuid: item.uniqueIdentifier ?? randomUUID(), record };
}

/** Writes one planned annotation; answers whether it updated an existing one. */
function apply(doc: Y.Doc, p: Planned, userId: number, now: number): boolean {
  const existing = readRecord(doc, p.uuid);
  const { record } = p;
  if (existing) {
    updateFields(
      doc,
      p.uuid,
      { type: record.type, vector: record.vector, deleted: record.deleted, description: record.description },
      { userId, now },
    );
    return true;
  }
  createAnnotation(
    doc,
    {
      id: p.uuid,
      type: record.type,
      vector: record.vector,
      description: record.description,
      generated: record.created.generated,
      score: record.created.score,
    },
    { userId, now },
  );
  if (record.deleted) updateFields(doc, p.uuid, { deleted: true }, { userId, now });
  return false;
}
