import * as Y from 'yjs';
import {
  DEFAULT_REGION_SIZE,
  EDITABLE_FIELDS,
  annotationsOf,
  sameJson,
  updateFields,
  type VerificationRecord,
  parseVerificationKey,
  readRecord,
  verificationsOf,
  type Vector,
} from '@tessera/shared';
import type { Database } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { parseDocumentName } from './document-names.js';
import { documentForNew } from './document-routing.js';
import { readDocument } from './document-store.js';
import { DocumentsRepo } from './documents.repo.js';
import type { LiveDocumentsPort } from './live-documents.js';

/** Annotations copied per batch (each batch writes each of its target documents once). */
const BATCH = 2_000;

/** What a conversion did, per old document. */
export interface ConversionReport {
  readonly imageId: number;
  readonly size: number;
  /** True when the image had its region size already (a run after one that stopped half way). */
  readonly resumed: boolean;
  readonly documents: readonly { document: string; annotations: number; copied: number }[];
}

/** One annotation of an old document, ready to copy: its merged record and verifications. */
interface Copy {
  readonly id: string;
  readonly record: Record<string, unknown>;
  readonly verifications: readonly [string, unknown][];
}

/**
 * Rule G6: gives an image regions of `size` pixels (DEFAULT_REGION_SIZE when not given; a run after
 * one that stopped half way keeps the size that run set). Every annotation of its shared document and of
 * every blind copy is written into its G1 document as its merged record (every field, both stamps,
 * the deleted flag) with every verification as it was, as server writes through the live documents
 * (open clients of the regions see them). Order, so that no acknowledged write is lost: the column is
 * set first (new REST writes and imports route to the regions from then on), the old documents'
 * connections are closed and their pending log writes awaited, then each is read from storage, its
 * final state. Each annotation's projection row is moved to its new document before the copy, so it
 * keeps its id (the copy's projection updates that row) and lists never show it twice; the old
 * document's log and states stay for the versions that captured them. Idempotent: an annotation its
 * target document has already is skipped, so a second run, or a run after a crash, doubles nothing.
 */
export async function convertToRegions(
  db: Database,
  documents: LiveDocumentsPort,
  imageId: number,
  size: number | undefined,
  options: {
    readonly batch?: number;
    /** Runs after an old document's copies are written (tests write into it there, as a late edit). */
    readonly afterCopies?: (document: string) => Promise<void>;
  } = {},
): Promise<ConversionReport> {
  const batch = options.batch ?? BATCH;
  if (size !== undefined && (!Number.isInteger(size) || size < 256 || size > 1_000_000))
    throw AppError.badRequest('The region size is a whole number of pixels from 256 to 1000000.');
  // Nothing is decided before the live documents can take the copies.
  if (!documents.attached) throw new AppError('service_unavailable', 'The live documents are not running.');
  const { regionSize, resumed } = await claimImage(db, imageId, size);
  let changed = false;
  const report: { document: string; annotations: number; copied: number }[] = [];
  for (const old of await oldDocuments(db, imageId)) {
    const name = parseDocumentName(old);
    if (name === null) continue;
    const copies = await finalState(db, documents, old);
    const target = (copy: Copy) =>
      documentForNew(
        { imageId, userId: name.userId, regionSize },
        (copy.record.vector ?? null) as Vector | null,
      );
    let copied = 0;
    for (let from = 0; from < copies.length; from += batch) {
      for (const [document, group] of byTarget(copies.slice(from, from + batch), target)) {
        // Loaded first: a document's load rewrites its rows from what it holds (projection.extension.ts)
        // and would drop rows moved to it before (they would come back with new ids).
        await documents.write(document, () => undefined, null);
        const ids = group.map((c) => c.id);
        if (await moveRows(db, old, document, ids)) changed = true;
        copied += await writeCopies(documents, document, group);
      }
    }
    await options.afterCopies?.(old);
    // Rows the copies did not take over (none unless the projection lagged) would show twice.
    const [left] = await db.query<{ n: number }>(
      'WITH d AS (DELETE FROM annotations WHERE document = $1 RETURNING 1) SELECT count(*)::int AS n FROM d',
      [old],
    );
    if (copied > 0 || (left?.n ?? 0) > 0) changed = true;
    // A REST edit that found its row before it moved wrote into the old document meanwhile: carry over
    // what changed there since the read above (no row names the old document any more).
    const before = new Map(copies.map((c) => [c.id, c]));
    const later = (await finalState(db, documents, old)).filter(
      (c) => JSON.stringify(before.get(c.id)) !== JSON.stringify(c),
    );
    for (const [document, group] of byTarget(later, target)) {
      copied += await writeCopies(documents, document, group, before);
      changed = true;
    }
    report.push({ document: old, annotations: copies.length, copied });
  }
  // A run that found everything done: the image simply has regions already.
  if (resumed && !changed)
    throw AppError.badRequest(`Image ${imageId} already has regions of ${regionSize} pixels.`);
  return { imageId, size: regionSize, resumed, documents: report };
}

/**
 * Sets the image's region size, or finds it set by an earlier run (then that size holds; asking for
 * another is refused). Locks the image row while deciding, so two runs agree.
 */
async function claimImage(
  db: Database,
  imageId: number,
  size: number | undefined,
): Promise<{ regionSize: number; resumed: boolean }> {
  return db.transaction(async (tx) => {
    const [image] = await tx.query<{ annotation_region_size: number | null }>(
      'SELECT annotation_region_size FROM images WHERE id = $1 FOR UPDATE',
      [imageId],
    );
    if (!image) throw AppError.notFound();
    const current = image.annotation_region_size;
    if (current !== null) {
      if (size !== undefined && current !== size)
        throw AppError.badRequest(`Image ${imageId} already has regions of ${current} pixels.`);
      return { regionSize: current, resumed: true };
    }
    const chosen = size ?? DEFAULT_REGION_SIZE;
    await tx.query('UPDATE images SET annotation_region_size = $2 WHERE id = $1', [imageId, chosen]);
    return { regionSize: chosen, resumed: false };
  });
}

/** The image's whole documents that were ever stored: the shared one and every blind copy. */
async function oldDocuments(db: Database, imageId: number): Promise<string[]> {
  const pattern = `^image\\.${imageId}(\\.user\\.[0-9]{1,10})?$`;
  const rows = await db.query<{ document: string }>(
    `SELECT document FROM annotation_document_states WHERE document ~ $1
     UNION SELECT DISTINCT document FROM annotation_document_updates WHERE document ~ $1
     ORDER BY 1`,
    [pattern],
  );
  return rows.map((r) => r.document);
}

/**
 * The old document's annotations as they finally are: its connections are closed and what it applied
 * is logged first, so storage holds every write anyone was told was saved.
 */
async function finalState(db: Database, documents: LiveDocumentsPort, name: string): Promise<Copy[]> {
  const collab = documents.attached;
  if (collab) {
    collab.hocuspocus.closeConnections(name);
    await collab.store.settled(name);
  }
  const doc = new Y.Doc();
  try {
    await readDocument(new DocumentsRepo(db), name, doc);
    const verifications = new Map<string, [string, unknown][]>();
    verificationsOf(doc).forEach((value, key) => {
      const parsed = parseVerificationKey(key);
      if (parsed === null) return;
      const list = verifications.get(parsed.annotation);
      if (list) list.push([key, value]);
      else verifications.set(parsed.annotation, [[key, value]]);
    });
    const copies: Copy[] = [];
    for (const id of annotationsOf(doc).keys()) {
      const record = readRecord(doc, id);
      if (record !== null) copies.push({ id, record, verifications: verifications.get(id) ?? [] });
    }
    return copies;
  } finally {
    doc.destroy();
  }
}

/**
 * Points the annotations' projection rows at their new document before the copy, so the copy's
 * projection updates them (same id, same verifications) instead of adding a second row. Rows the
 * target has already (a run after a crash) stay where they are.
 */
async function moveRows(db: Database, from: string, to: string, ids: readonly string[]): Promise<boolean> {
  const [moved] = await db.query<{ n: number }>(
    `WITH m AS (
       UPDATE annotations a SET document = $2
       WHERE a.document = $1 AND a.unique_identifier = ANY($3::uuid[])
         AND NOT EXISTS (SELECT 1 FROM annotations b WHERE b.document = $2 AND b.unique_identifier = a.unique_identifier)
       RETURNING 1)
     SELECT count(*)::int AS n FROM m`,
    [from, to, ids],
  );
  return (moved?.n ?? 0) > 0;
}

/** Copies grouped by the document they go to. */
function byTarget(copies: readonly Copy[], target: (copy: Copy) => string): Map<string, Copy[]> {
  const groups = new Map<string, Copy[]>();
  for (const copy of copies) {
    const document = target(copy);
    const group = groups.get(document);
    if (group) group.push(copy);
    else groups.set(document, [copy]);
  }
  return groups;
}

/**
 * One server write (P5) of a batch's annotations into their target; answers how many it created. An
 * annotation the target has already is skipped, unless `before` says how it was when first copied:
 * then the fields and verifications changed in the old document since are written, with their stamps.
 */
async function writeCopies(
  documents: LiveDocumentsPort,
  target: string,
  copies: readonly Copy[],
  before?: ReadonlyMap<string, Copy>,
): Promise<number> {
  let copied = 0;
  await documents.write(
    target,
    (doc) => {
      const annotations = annotationsOf(doc);
      const verifications = verificationsOf(doc);
      doc.transact(() => {
        for (const copy of copies) {
          if (!annotations.has(copy.id)) {
            // The record as created, every field merged in (the same text createAnnotation writes).
            annotations.set(copy.id, JSON.stringify(copy.record));
            for (const [key, value] of copy.verifications)
              verifications.set(key, value as VerificationRecord);
            copied++;
            continue;
          }
          const earlier = before?.get(copy.id);
          if (earlier !== undefined) carryOver(doc, copy, earlier);
        }
      });
    },
    null,
  );
  return copied;
}

/** Writes what changed in the old document between two reads of one annotation. */
function carryOver(doc: Y.Doc, copy: Copy, earlier: Copy): void {
  const changes: Record<string, unknown> = {};
  for (const field of EDITABLE_FIELDS) {
    if (!sameJson(copy.record[field], earlier.record[field])) changes[field] = copy.record[field];
  }
  const edited = copy.record.edited as { by: number; at: number } | undefined;
  if (Object.keys(changes).length > 0 && edited !== undefined)
    updateFields(doc, copy.id, changes, { userId: edited.by, now: edited.at });
  const was = new Map(earlier.verifications);
  const verifications = verificationsOf(doc);
  for (const [key, value] of copy.verifications) {
    if (!sameJson(was.get(key), value)) verifications.set(key, value as VerificationRecord);
  }
}
