import type { Document, Hocuspocus } from '@hocuspocus/server';
import * as Y from 'yjs';
import type { Logger } from '../logging/logger.js';
import type { DocumentStore } from './document-store.js';
import { regionIndexOf } from '@tessera/shared';
import { formatDocumentName, parseDocumentName } from './document-names.js';
import type { ProjectionExtension } from './projection.extension.js';
import type { ReaderCopiesRepo } from './reader-copies.repo.js';

/** What one merge run did. */
export interface MergeSummary {
  /** Readers' copies merged into their image's shared document and removed. */
  readonly merged: number;
  /** Copies left for a later run (the set became blind again, or a write arrived meanwhile). */
  readonly left: number;
}

/** A direct connection's write. */
interface Writable {
  transact(change: (doc: Y.Doc) => void): Promise<void>;
}

/** How often one copy is merged again when writes keep arriving while it is removed. */
const ATTEMPTS = 3;

/**
 * Rule B1 (README): when a set stops being blind, every reader's copy `image.<id>.user.<uid>` is
 * merged into the image's shared document `image.<id>` (with regions, part by part) as Yjs state (so annotations keep their
 * uuid, record, edits, deletions and verifications; applying a state twice changes nothing) and then
 * removed. The stored copies of non-blind sets are the work still to do, so a run that stopped half
 * way (a crash) is finished by the next one (every start makes one) without losing or doubling anything.
 */
export class ReaderCopyMerger {
  /** Runs one after another: two runs over one copy would each hold and remove it. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly hocuspocus: Hocuspocus,
    private readonly store: DocumentStore,
    private readonly projection: Pick<ProjectionExtension, 'settled'>,
    private readonly repo: ReaderCopiesRepo,
    private readonly logger: Logger,
    /** Lets go of a document held loaded ahead of a connection (document-warmer.ts). */
    private readonly releaseHold: (document: string) => Promise<void> = () => Promise.resolve(),
  ) {}

  /** Merges the copies left in one set (or in every set that is not blind), after earlier runs. */
  merge(imageSetId?: number): Promise<MergeSummary> {
    const run = this.queue.catch(() => undefined).then(() => this.mergeAll(imageSetId));
    this.queue = run;
    return run;
  }

  /** Resolves once the runs under way have ended (shutdown). */
  async idle(): Promise<void> {
    await this.queue.catch(() => undefined);
  }

  private async mergeAll(imageSetId: number | undefined): Promise<MergeSummary> {
    let merged = 0;
    let left = 0;
    // Each copy merges into the shared document of the same part: `...user.<u>.region.<x>.<y>` into
    // `image.<id>.region.<x>.<y>`, `...user.<u>.regions` into `image.<id>.regions` (G5).
    const byTarget = new Map<string, { imageId: number; copies: string[] }>();
    for (const copy of await this.repo.pending(imageSetId)) {
      const name = parseDocumentName(copy.document);
      if (name === null) continue;
      const target = formatDocumentName({ ...name, userId: null });
      const entry = byTarget.get(target) ?? { imageId: copy.image_id, copies: [] };
      entry.copies.push(copy.document);
      byTarget.set(target, entry);
    }
    for (const [target, { imageId, copies }] of byTarget) {
      const done = await this.mergeInto(target, imageId, copies);
      merged += done;
      left += copies.length - done;
    }
    if (merged + left > 0) this.logger.info({ imageSetId, merged, left }, 'collab: readers copies merged');
    return { merged, left };
  }

  /** Merges copies into their shared document, held open meanwhile; answers how many. */
  private async mergeInto(shared: string, imageId: number, copies: readonly string[]): Promise<number> {
    // Loaded (and projected) first: a load re-projects a document whose rows do not match it, which
    // would drop the rows moved over before their annotations arrive.
    const target = await this.hocuspocus.openDirectConnection(shared, { userId: null });
    const isIndex = parseDocumentName(shared)?.part?.kind === 'index';
    let merged = 0;
    try {
      for (const copy of copies) {
        if ((await this.repo.isBlind(imageId)) !== false) break;
        if (await this.mergeCopy(copy, shared, target, isIndex)) merged++;
      }
    } finally {
      await target.disconnect();
    }
    return merged;
  }

  /** Merges one copy into the shared document and removes it; false if it has to stay for now. */
  private async mergeCopy(
    copy: string,
    shared: string,
    target: Writable,
    isIndex: boolean,
  ): Promise<boolean> {
    const source = await this.hocuspocus.openDirectConnection(copy, { userId: null });
    try {
      // The set is no longer blind: the copy's readers lose it (rule A6 says the same on its sweep).
      const document = this.loaded(copy);
      for (const connection of document.getConnections()) {
        connection.close({ code: 4403, reason: 'access-revoked' });
      }
      // Unloaded as soon as this merge lets go: a copy kept loaded would serve its old content.
      await this.releaseHold(copy);
      // No compaction may write the copy's state back after it is removed.
      await this.store.retire(copy, document);
      await this.projection.settled(copy);
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        const lastLogId = await this.repo.lastLogId(copy);
        await this.mergeState(copy, shared, target, Y.encodeStateAsUpdate(document), isIndex);
        if (await this.repo.remove(copy, lastLogId)) return true;
      }
      this.logger.warn({ document: copy }, 'collab: a reader copy kept changing; left for the next merge');
      return false;
    } finally {
      await source.disconnect();
    }
  }

  /** A document this merger holds open through a direct connection. */
  private loaded(name: string): Document {
    const document = this.hocuspocus.documents.get(name);
    if (!document) throw new Error(`collab: ${name} is not loaded`);
    return document;
  }

  /** Applies a copy's whole state to the shared document and waits for its log and projection. */
  private async mergeState(
    copy: string,
    shared: string,
    target: Writable,
    state: Uint8Array,
    isIndex: boolean,
  ): Promise<void> {
    const clashes = await this.repo.moveToShared(copy, shared);
    if (clashes.length > 0) {
      this.logger.warn({ document: copy, clientIds: clashes }, 'collab: client ids claimed by others');
    }
    await target.transact((doc) => {
      const before = isIndex ? new Map(regionIndexOf(doc).entries()) : undefined;
      Y.applyUpdate(doc, state);
      if (before !== undefined) keepRegionIndex(doc, before);
    });
    // The onChange hook that starts the append runs after the transaction; let it start.
    await new Promise((resolve) => setImmediate(resolve));
    await this.store.settled(shared);
    await this.projection.settled(shared);
  }
}

/**
 * A copy's region index says where the copy's annotations lie, not the shared document's: its entries
 * are not merged (G3 rewrites the shared index from the shared regions as they change). The merged
 * state brought them in; the shared index is put back as it was, in the same transaction.
 */
function keepRegionIndex(doc: Y.Doc, before: ReadonlyMap<string, string>): void {
  const index = regionIndexOf(doc);
  for (const key of [...index.keys()]) if (!before.has(key)) index.delete(key);
  for (const [key, text] of before) if (index.get(key) !== text) index.set(key, text);
}
