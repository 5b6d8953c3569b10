import type * as Y from 'yjs';
import {
  annotationProblem,
  annotationsOf,
  createAnnotation,
  readRecord,
  sameJson,
  updateFields,
  type AnnotationRecord,
  type FieldChanges,
  type RestoreNotice,
  type RestoreReport,
} from '@tessera/shared';
import type { Viewer } from '../auth/viewer.js';
import { baseDocumentName, formatDocumentName, parseDocumentName } from '../collab/document-names.js';
import { documentForNew, type RoutingTarget } from '../collab/document-routing.js';
import { DocumentsRepo } from '../collab/documents.repo.js';
import type { LiveDocumentsPort } from '../collab/live-documents.js';
import type { Database } from '../db/database.js';
import { AnnotationsRepo } from '../resources/annotations/annotations.repo.js';
import { VersionsRepo, type FrozenRow } from './versions.repo.js';

/**
 * Restores a version (or one image of it) into the live documents as new edits by the viewer: each
 * annotation gets the version's fields back, annotations made since are marked deleted. History is
 * never rewritten, and open clients see the restore at once (it goes through the one write path).
 * Verifications are left as they are now. Clients with a restored document open are told who restored
 * which version (`RestoreNotice`).
 */
export async function restoreVersion(
  db: Database,
  documents: LiveDocumentsPort,
  viewer: Viewer,
  version: { id: number; name: string },
  imageId?: number,
): Promise<RestoreReport> {
  const versionId = version.id;
  const notice: RestoreNotice = {
    kind: 'restore',
    version: { id: version.id, name: version.name },
    by: { id: viewer.id, username: viewer.username },
    at: new Date().toISOString(),
  };
  const repo = new VersionsRepo(db);
  const access = new DocumentsRepo(db);
  const report: RestoreReport = { images: 0, changed: 0, created: 0, deleted: 0, skipped: [] };
  const targets = (await repo.documents(versionId)).filter(
    (d) => imageId === undefined || d.image_id === imageId,
  );
  const images = new Set<number>();
  // One image, or one blind copy, is restored as a whole: its version documents' rows together.
  const bases = new Map<string, { imageId: number; documents: string[] }>();
  for (const target of targets) {
    const name = parseDocumentName(target.document);
    const base = name === null ? target.document : baseDocumentName(name);
    const entry = bases.get(base) ?? { imageId: target.image_id, documents: [] };
    entry.documents.push(target.document);
    bases.set(base, entry);
  }
  for (const [base, { imageId: image_id, documents: names }] of bases) {
    const image = await access.imageAccess(image_id, viewer.id);
    if (!image) {
      report.skipped.push({ unique_identifier: '', reason: `image ${image_id} no longer exists` });
      continue;
    }
    const types = await access.allowedTypes(image.image_set_id);
    const name = parseDocumentName(base);
    const plan =
      image.annotation_region_size === null || name === null
        ? await Promise.all(
            names.map(async (document) => {
              const frozen = await repo.frozenRows(versionId, document);
              return { document, frozen, kept: new Set(frozen.map((r) => r.unique_identifier)) };
            }),
          )
        : await regionPlan(db, repo, versionId, names, {
            imageId: image_id,
            userId: name.userId,
            regionSize: image.annotation_region_size,
          });
    for (const { document, frozen, kept } of plan) {
      await documents.write(
        document,
        (doc) => {
          restoreDocument(doc, frozen, kept, types, viewer.id, report);
        },
        viewer.id,
      );
      documents.notify(document, JSON.stringify(notice));
    }
    images.add(image_id);
  }
  report.images = images.size;
  return report;
}

/**
 * G5: where a version's rows of one image (or blind copy) with regions go back to. Each annotation is
 * written into the document that holds it now, one the image no longer has into its G1 document (so
 * a version captured before the conversion restores into the regions), and every document holding
 * annotations now is written too, so those made since are marked deleted wherever they are.
 */
async function regionPlan(
  db: Database,
  repo: VersionsRepo,
  versionId: number,
  names: readonly string[],
  target: RoutingTarget,
): Promise<{ document: string; frozen: FrozenRow[]; kept: ReadonlySet<string> }[]> {
  const rows = new Map<string, FrozenRow>();
  for (const document of names) {
    for (const row of await repo.frozenRows(versionId, document)) rows.set(row.unique_identifier, row);
  }
  const base = formatDocumentName({ imageId: target.imageId, userId: target.userId });
  const annotations = new AnnotationsRepo(db);
  const held = await annotations.documentsHolding(base, [...rows.keys()]);
  const byDocument = new Map<string, FrozenRow[]>();
  for (const document of await annotations.documentsOfBase(target.imageId, base)) {
    byDocument.set(document, []);
  }
  for (const row of rows.values()) {
    const document = held.get(row.unique_identifier) ?? documentForNew(target, row.vector);
    const group = byDocument.get(document);
    if (group) group.push(row);
    else byDocument.set(document, [row]);
  }
  const kept = new Set(rows.keys());
  return [...byDocument].map(([document, frozen]) => ({ document, frozen, kept }));
}

/** Writes a document's frozen rows back; its annotations not in `kept` (the version's) are deleted. */
function restoreDocument(
  doc: Y.Doc,
  frozen: readonly FrozenRow[],
  kept: ReadonlySet<string>,
  types: Awaited<ReturnType<DocumentsRepo['allowedTypes']>>,
  userId: number,
  report: RestoreReport,
): void {
  const now = Date.now();
  const actor = { userId, now };
  for (const row of frozen) {
    const existing = readRecord(doc, row.unique_identifier) as AnnotationRecord | null;
    const fields: FieldChanges = {
      type: row.annotation_type_id,
      vector: row.vector,
      deleted: row.deleted,
      description: row.description,
      meta: row.meta_data ?? null,
    };
    const record: AnnotationRecord = existing
      ? { ...existing, ...fields, edited: { by: userId, at: now } }
      : {
          ...(fields as Required<FieldChanges>),
          created: { by: userId, at: now, generated: row.generated, score: row.score },
          edited: { by: userId, at: now },
        };
    const problem = annotationProblem(record, types, {
      allowRetiredType: existing?.type === row.annotation_type_id,
    });
    if (problem !== null) {
      report.skipped.push({ unique_identifier: row.unique_identifier, reason: problem });
      continue;
    }
    if (!existing) {
      createAnnotation(
        doc,
        {
          id: row.unique_identifier,
          type: record.type,
          vector: record.vector,
          description: record.description,
          meta: record.meta,
          generated: row.generated,
          score: row.score,
        },
        actor,
      );
      if (row.deleted) updateFields(doc, row.unique_identifier, { deleted: true }, actor);
      report.created++;
    } else if (!sameFields(existing, record)) {
      updateFields(doc, row.unique_identifier, fields, actor);
      report.changed++;
    }
  }
  for (const id of annotationsOf(doc).keys()) {
    if (kept.has(id)) continue;
    const existing = readRecord(doc, id) as AnnotationRecord | null;
    if (existing && !existing.deleted) {
      updateFields(doc, id, { deleted: true }, actor);
      report.deleted++;
    }
  }
}

function sameFields(a: AnnotationRecord, b: AnnotationRecord): boolean {
  return (
    a.type === b.type &&
    a.deleted === b.deleted &&
    a.description === b.description &&
    sameJson(a.vector, b.vector) &&
    sameJson(a.meta ?? null, b.meta ?? null)
  );
}
