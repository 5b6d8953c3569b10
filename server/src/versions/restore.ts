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
import { DocumentsRepo } from '../collab/documents.repo.js';
import type { LiveDocumentsPort } from '../collab/live-documents.js';
import type { Database } from '../db/database.js';
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
  for (const target of targets) {
    const image = await access.imageAccess(target.image_id, viewer.id);
    if (!image) {
      report.skipped.push({ unique_identifier: '', reason: `image ${target.image_id} no longer exists` });
      continue;
    }
    const types = await access.allowedTypes(image.image_set_id);
    const frozen = await repo.frozenRows(versionId, target.document);
    await documents.write(
      target.document,
      (doc) => {
        restoreDocument(doc, frozen, types, viewer.id, report);
      },
      viewer.id,
    );
    documents.notify(target.document, JSON.stringify(notice));
    images.add(target.image_id);
  }
  report.images = images.size;
  return report;
}

function restoreDocument(
  doc: Y.Doc,
  frozen: readonly FrozenRow[],
  types: Awaited<ReturnType<DocumentsRepo['allowedTypes']>>,
  userId: number,
  report: RestoreReport,
): void {
  const now = Date.now();
  const actor = { userId, now };
  const kept = new Set<string>();
  for (const row of frozen) {
    kept.add(row.unique_identifier);
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
