import type {
  afterHandleMessagePayload,
  afterUnloadDocumentPayload,
  beforeSyncPayload,
  beforeUnloadDocumentPayload,
  Connection,
  Document,
  Extension,
  onChangePayload,
  onLoadDocumentPayload,
  onStoreDocumentPayload,
} from '@hocuspocus/server';
import { isTransactionOrigin } from '@hocuspocus/server';
import { addsNothing } from '@tessera/shared';
import { CollabRefusal, contextOf } from './collab.context.js';
import { FROM_LOG, type AcceptedUpdate, type DocumentStore } from './document-store.js';
import { discardFailedLoad } from './failed-load.js';
import { SYNC_STEP_2, SYNC_UPDATE } from './validation.extension.js';

/**
 * Durability (README rules P1-P4): a checked update is handed to the log (group commit) in
 * `beforeSync` without waiting for the commit, so a connection's next message is handled at once;
 * the commit gate (commit-gate.ts) holds the "saved" status and every broadcast until the commit.
 * Documents load from their compacted state plus the newer log rows, and are compacted every N
 * updates and when they unload. Hocuspocus's debounced onStoreDocument is not used.
 */
export class PersistenceExtension implements Extension {
  readonly extensionName = 'tessera-persistence';
  readonly priority = 100;
  /** Updates of the message a connection is handling, marked applied once Hocuspocus applied it. */
  private readonly pending = new WeakMap<Connection, AcceptedUpdate[]>();

  constructor(
    private readonly store: DocumentStore,
    private readonly isChecked: (payload: Uint8Array) => boolean,
  ) {}

  async onLoadDocument(data: onLoadDocumentPayload): Promise<void> {
    try {
      await this.store.load(data.documentName, data.document);
    } catch (error) {
      discardFailedLoad(data.document);
      throw error;
    }
    this.compactIfDue(data.documentName, data.document);
  }

  async beforeSync(data: beforeSyncPayload): Promise<void> {
    // P6: a document that applied an update the log lost serves nothing until it is loaded afresh.
    if (this.store.isBroken(data.documentName)) throw new CollabRefusal('persistence-failed');
    if (data.type !== SYNC_STEP_2 && data.type !== SYNC_UPDATE) return;
    if (data.connection.readOnly) return;
    // V2: only what the validation extension passed is ever written.
    if (!this.isChecked(data.payload)) throw new Error('persistence: update was not validated');
    if (data.type === SYNC_STEP_2 && addsNothing(data.document, data.payload)) return;
    const { viewer } = contextOf(data.context);
    const accepted = this.store.accept(data.documentName, data.payload, viewer.id);
    // Counted once committed, so that is when a compaction may become due. A failed append is
    // handled where batches settle (collab.server.ts: the document is dropped).
    accepted.written.then(
      () => {
        this.compactIfDue(data.documentName, data.document);
      },
      () => undefined,
    );
    const updates = this.pending.get(data.connection) ?? [];
    updates.push(accepted);
    this.pending.set(data.connection, updates);
    return Promise.resolve();
  }

  /** Runs after the message's update was applied (or failed to apply). */
  async afterHandleMessage(data: afterHandleMessagePayload): Promise<void> {
    const updates = this.pending.get(data.connection);
    if (updates === undefined) return;
    this.pending.delete(data.connection);
    for (const update of updates) update.markApplied();
    this.compactIfDue(data.documentName, data.document);
    return Promise.resolve();
  }

  /** P5: changes made on the server (direct connections) are logged too, right after they apply. */
  async onChange(data: onChangePayload): Promise<void> {
    const origin = data.transactionOrigin;
    // A connection's updates are logged in beforeSync; another server's (Redis) and the log's own rows
    // (a shared compaction catching up) are in the log already.
    if (origin === FROM_LOG) return;
    if (isTransactionOrigin(origin) && (origin.source === 'connection' || origin.source === 'redis')) return;
    const userId = (data.context as { userId?: unknown } | undefined)?.userId;
    this.store.logApplied(data.documentName, data.update, typeof userId === 'number' ? userId : null);
    return Promise.resolve();
  }

  /** Hocuspocus's store (debounced, and on disconnect): only waits for server-side changes to be logged. */
  async onStoreDocument(data: onStoreDocumentPayload): Promise<void> {
    // A broken document's failure is already handled (P6); it is dropped, not stored.
    if (!this.store.isBroken(data.documentName)) await this.store.settled(data.documentName);
  }

  /** Starts a compaction when enough rows were logged, unless the document was unloaded meanwhile. */
  private compactIfDue(name: string, document: Document): void {
    if (!document.isDestroyed && this.store.wantsCompaction(name)) void this.store.compact(name, document);
  }

  async beforeUnloadDocument(data: beforeUnloadDocumentPayload): Promise<void> {
    await this.store.compact(data.documentName, data.document, true);
  }

  async afterUnloadDocument(data: afterUnloadDocumentPayload): Promise<void> {
    this.store.forget(data.documentName);
    return Promise.resolve();
  }
}
