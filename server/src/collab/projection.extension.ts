import type {
  afterLoadDocumentPayload,
  afterUnloadDocumentPayload,
  Extension,
  onLoadDocumentPayload,
} from '@hocuspocus/server';
import {
  annotationsOf,
  boundingBox,
  changedAnnotations,
  changedVerifications,
  ensureLayout,
  latestEditTime,
  parseVerificationKey,
  readRecord,
  vectorFrame,
  verificationsOf,
  type AnnotationRecord,
  type VerificationRecord,
} from '@tessera/shared';
import type * as Y from 'yjs';
import type { Logger } from '../logging/logger.js';
import { documentRetired } from '../access/policy/document-grant.js';
import { parseDocumentName } from './document-names.js';
import { discardFailedLoad } from './failed-load.js';
import { writeIsolated, type ProjectionDamage } from './projection-repair.js';
import type { DocumentsRepo } from './documents.repo.js';
import type { ProjectedAnnotation, ProjectedVerification, ProjectionRepo } from './projection.repo.js';

const UPSERT_SLICE = 2000;
/** A flush of at least this many annotations refreshes the table's statistics. */
const BULK_ROWS = 10_000;

interface Tracked {
  readonly image: { imageId: number; imageSetId: number };
  readonly pending: Set<string>;
  /** Annotations whose verifications changed. */
  readonly pendingVerifications: Set<string>;
  flushing: Promise<void>;
}

/**
 * The SQL projection (README rule R1): every annotation of a loaded document as a row of `annotations`,
 * rewritten right after each applied change, whoever made it (clients, REST, imports). A document is
 * projected whole when it loads, so rows can never lag behind a document that changed elsewhere.
 */
export class ProjectionExtension implements Extension {
  readonly extensionName = 'tessera-projection';
  private readonly tracked = new Map<string, Tracked>();
  /** The projection's summary of each loading document, asked for while the document loads. */
  private readonly summaries = new Map<string, Promise<{ count: number; lastEdit: number }>>();
  private lastAnalyze = 0;
  /** How many annotation rows were written repaired, or left out, since the process started. */
  /**
   * Since start: annotations whose text was repaired, annotations PostgreSQL refused, and flushes that
   * failed as a whole (read by the metrics).
   */
  readonly damage = { repaired: 0, quarantined: 0, failedFlushes: 0 };

  constructor(
    private readonly repo: ProjectionRepo,
    private readonly documents: DocumentsRepo,
    private readonly logger: Logger,
  ) {}

  /**
   * Asks PostgreSQL for the rows' summary as the load starts, so the database answers while this
   * process applies the stored state (a count over 100,000 rows took as long as a round trip and a
   * tenth of the load). Nothing writes a document's rows while it is not loaded, so the answer holds;
   * the last flush of an instance still unloading may make it stale, which costs at worst a whole
   * re-projection (that flush completes either way). A failed load leaves its entry until the
   * document's next load replaces it.
   */
  onLoadDocument(data: onLoadDocumentPayload): Promise<void> {
    const summary = this.repo.summary(data.documentName);
    // Awaited in afterLoadDocument, or left when the load fails: never an unhandled rejection.
    summary.catch(() => undefined);
    this.summaries.set(data.documentName, summary);
    return Promise.resolve();
  }

  async afterLoadDocument(data: afterLoadDocumentPayload): Promise<void> {
    try {
      await this.project(data);
    } catch (error) {
      this.tracked.delete(data.documentName);
      discardFailedLoad(data.document);
      throw error;
    }
  }

  /** Follows a loaded document's changes and brings its rows up to date. */
  private async project(data: afterLoadDocumentPayload): Promise<void> {
    const name = parseDocumentName(data.documentName);
    const image = name && (await this.documents.imageAccess(name.imageId, 0));
    if (!image) return;
    // G6: a retired whole document (its image now has regions) is loaded only to be read (conversion,
    // versions); its annotations are projected from the region documents that hold them now.
    if (documentRetired(name, image)) return;
    const doc: Y.Doc = data.document;
    ensureLayout(doc); // before following its transactions (see ensureLayout)
    const ids = [...annotationsOf(doc).keys()];
    // Re-projecting 100,000 rows on every load is wasted work when the rows already match: same count
    // and same latest edit. Otherwise (a crash between log and projection, a lost table) all is rewritten.
    const asked = this.summaries.get(data.documentName);
    this.summaries.delete(data.documentName);
    const current = await (asked ?? this.repo.summary(data.documentName));
    const upToDate = current.count === ids.length && current.lastEdit === latestEditTime(doc);
    const tracked: Tracked = {
      image: { imageId: image.image_id, imageSetId: image.image_set_id },
      pending: new Set(upToDate ? [] : ids),
      pendingVerifications: new Set(upToDate ? [] : ids),
      flushing: Promise.resolve(),
    };
    this.tracked.set(data.documentName, tracked);
    doc.on('afterTransaction', (transaction: Y.Transaction) => {
      const changed = changedAnnotations(doc, transaction);
      const verified = changedVerifications(doc, transaction);
      if (changed.size === 0 && verified.size === 0) return;
      for (const id of changed) tracked.pending.add(id);
      for (const id of verified) tracked.pendingVerifications.add(id);
      this.schedule(data.documentName, doc, tracked);
    });
    if (upToDate) return;
    this.schedule(data.documentName, doc, tracked);
    await tracked.flushing;
    await this.repo.deleteOthers(data.documentName, ids);
  }

  async afterUnloadDocument(data: afterUnloadDocumentPayload): Promise<void> {
    this.summaries.delete(data.documentName);
    const tracked = this.tracked.get(data.documentName);
    this.tracked.delete(data.documentName);
    await tracked?.flushing;
  }

  /** Resolves once every change applied so far to the document is in the projection. */
  async settled(documentName: string): Promise<void> {
    await this.tracked.get(documentName)?.flushing;
  }

  /**
   * After a bulk write, the planner's statistics of the table: without them (autovacuum off or not yet
   * run, as right after a large import or a first load) a page of one image's annotations was planned
   * as a sort of all of the image's rows, 5x slower (measured, bench:collab). At most once a minute,
   * in the background.
   */
  private refreshStatistics(): void {
    if (Date.now() - this.lastAnalyze < 60_000) return;
    this.lastAnalyze = Date.now();
    this.repo.analyze().catch((error: unknown) => {
      this.logger.warn({ err: error }, 'projection: could not refresh the statistics');
    });
  }

  /** Logs and counts the annotations a flush repaired or left out (projection-repair.ts). */
  private report(documentName: string, damage: ProjectionDamage): void {
    if (damage.repaired.length > 0) {
      this.damage.repaired += damage.repaired.length;
      this.logger.warn(
        { document: documentName, annotations: damage.repaired },
        'projection: replaced text PostgreSQL cannot store in these annotations (the document keeps it)',
      );
    }
    if (damage.quarantined.length > 0) {
      this.damage.quarantined += damage.quarantined.length;
      this.logger.error(
        { document: documentName, annotations: damage.quarantined },
        'projection: PostgreSQL refused these annotations; they are left out of the projection',
      );
    }
  }

  // Flushes run one after another per document; each takes whatever changed until it starts.
  private schedule(documentName: string, doc: Y.Doc, tracked: Tracked): void {
    tracked.flushing = tracked.flushing.then(async () => {
      if (tracked.pending.size === 0 && tracked.pendingVerifications.size === 0) return;
      const ids = [...tracked.pending];
      const verified = [...tracked.pendingVerifications];
      tracked.pending.clear();
      tracked.pendingVerifications.clear();
      try {
        // Bounded statements: a document loading with 100,000 annotations is written in slices.
        const damage = await projectAll(this.repo, documentName, tracked.image, doc, ids, verified);
        this.report(documentName, damage);
        if (ids.length >= BULK_ROWS) this.refreshStatistics();
      } catch (error) {
        this.damage.failedFlushes++;
        this.logger.error({ err: error, document: documentName }, 'projection: could not write annotations');
      }
    });
  }
}

/**
 * Writes the rows of these annotations of a document, and the verification rows of `verified` (by
 * default the same annotations), a bounded slice per statement. Annotations first: a verification row
 * points at its annotation's row. A row PostgreSQL cannot take as it is is repaired or left out, never
 * its whole slice (writeIsolated); the answer names those rows.
 */
export async function projectAll(
  repo: ProjectionRepo,
  documentName: string,
  image: { imageId: number; imageSetId: number },
  doc: Y.Doc,
  ids: readonly string[],
  verified: readonly string[] = ids,
): Promise<ProjectionDamage> {
  const damage: ProjectionDamage = { repaired: [], quarantined: [] };
  for (let start = 0; start < ids.length; start += UPSERT_SLICE) {
    const slice = ids.slice(start, start + UPSERT_SLICE);
    const { repaired, quarantined } = await writeIsolated(
      slice.flatMap((id) => project(doc, id)),
      (rows) => repo.upsert(documentName, image, rows),
    );
    damage.repaired.push(...repaired);
    damage.quarantined.push(...quarantined);
  }
  if (verified.length === 0) return damage;
  const byAnnotation = verificationsByAnnotation(doc, new Set(verified));
  for (let start = 0; start < verified.length; start += UPSERT_SLICE) {
    const slice = verified.slice(start, start + UPSERT_SLICE);
    await repo.replaceVerifications(
      documentName,
      slice,
      slice.flatMap((id) => byAnnotation.get(id) ?? []),
    );
  }
  return damage;
}

/** The verifications of the wanted annotations, read in one pass over the document's map. */
function verificationsByAnnotation(
  doc: Y.Doc,
  wanted: ReadonlySet<string>,
): Map<string, ProjectedVerification[]> {
  const found = new Map<string, ProjectedVerification[]>();
  for (const [key, value] of verificationsOf(doc).entries()) {
    const parsed = parseVerificationKey(key);
    if (parsed === null || !wanted.has(parsed.annotation)) continue;
    const record = value as Partial<VerificationRecord>;
    if (typeof record.verified !== 'boolean' || typeof record.at !== 'number') continue;
    const list = found.get(parsed.annotation) ?? [];
    list.push({ uuid: parsed.annotation, user: parsed.user, verified: record.verified, at: record.at });
    found.set(parsed.annotation, list);
  }
  return found;
}

/** The projected row of one annotation of a document (none if the document has no such annotation). */
export function project(doc: Y.Doc, id: string): ProjectedAnnotation[] {
  const record = readRecord(doc, id) as AnnotationRecord | null;
  if (record === null) return [];
  return [
    {
      uuid: id,
      type: record.type,
      vector: record.vector,
      frame: vectorFrame(record.vector),
      box: boundingBox(record.vector),
      deleted: record.deleted,
      description: record.description,
      meta: record.meta ?? null,
      creator: record.created.by,
      createdAt: record.created.at,
      generated: record.created.generated,
      score: record.created.score,
      editor: record.edited.by,
      editedAt: record.edited.at,
    },
  ];
}
