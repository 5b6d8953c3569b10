import type {
  afterHandleMessagePayload,
  afterUnloadDocumentPayload,
  beforeSyncPayload,
  beforeUnloadDocumentPayload,
  Connection,
  Extension,
  onChangePayload,
  onLoadDocumentPayload,
  onStoreDocumentPayload,
} from '@hocuspocus/server';
import { isTransactionOrigin } from '@hocuspocus/server';
import { contextOf } from './collab.context.js';
import type { DocumentStore } from './document-store.js';
import { addsNothing } from './update-content.js';
import { SYNC_STEP_2, SYNC_UPDATE } from './validation.extension.js';

/**
 * Durability (README rules P1-P4): a checked update is appended to the log and committed inside
 * `beforeSync`, so Hocuspocus applies, acknowledges and broadcasts it only after the commit.
 * Documents load from their compacted state plus the newer log rows, and are compacted every N
 * updates and when they unload. Hocuspocus's debounced onStoreDocument is not used.
 */
export class PersistenceExtension implements Extension {
  readonly extensionName = 'tessera-persistence';
  readonly priority = 100;
  /** Log ids appended for the message a connection is handling, released once it is applied. */
  private readonly pending = new WeakMap<Connection, number[]>();

  constructor(
    private readonly store: DocumentStore,
    private readonly isChecked: (payload: Uint8Array) => boolean,
  ) {}

  async onLoadDocument(data: onLoadDocumentPayload): Promise<void> {
    await this.store.load(data.documentName, data.document);
    if (this.store.wantsCompaction(data.documentName))
      void this.store.compact(data.documentName, data.document);
  }

  async beforeSync(data: beforeSyncPayload): Promise<void> {
    if (data.type !== SYNC_STEP_2 && data.type !== SYNC_UPDATE) return;
    if (data.connection.readOnly) return;
    // P1: only what the validation extension passed is ever written.
    if (!this.isChecked(data.payload)) throw new Error('persistence: update was not validated');
    if (data.type === SYNC_STEP_2 && addsNothing(data.document, data.payload)) return;
    const { viewer } = contextOf(data.context);
    const id = await this.store.append(data.documentName, data.payload, viewer.id);
    const ids = this.pending.get(data.connection) ?? [];
    ids.push(id);
    this.pending.set(data.connection, ids);
  }

  /** Runs after the message's update was applied (or failed to apply). */
  async afterHandleMessage(data: afterHandleMessagePayload): Promise<void> {
    const ids = this.pending.get(data.connection);
    if (ids === undefined) return;
    this.pending.delete(data.connection);
    this.store.applied(data.documentName, ids);
    if (this.store.wantsCompaction(data.documentName))
      void this.store.compact(data.documentName, data.document);
    return Promise.resolve();
  }

  /** P5: changes made on the server (direct connections) are logged too, right after they apply. */
  async onChange(data: onChangePayload): Promise<void> {
    const origin = data.transactionOrigin;
    if (isTransactionOrigin(origin) && origin.source === 'connection') return;
    const userId = (data.context as { userId?: unknown } | undefined)?.userId;
    this.store.logApplied(data.documentName, data.update, typeof userId === 'number' ? userId : null);
    return Promise.resolve();
  }

  /** Hocuspocus's store (debounced, and on disconnect): only waits for server-side changes to be logged. */
  async onStoreDocument(data: onStoreDocumentPayload): Promise<void> {
    await this.store.settled(data.documentName);
  }

  async beforeUnloadDocument(data: beforeUnloadDocumentPayload): Promise<void> {
    await this.store.compact(data.documentName, data.document);
  }

  async afterUnloadDocument(data: afterUnloadDocumentPayload): Promise<void> {
    this.store.forget(data.documentName);
    return Promise.resolve();
  }
}
