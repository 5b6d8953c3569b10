// The image's live annotation document in this browser: a Y.Doc kept in IndexedDB (y-indexeddb, so a
// reload keeps offline work), synced with the server over Hocuspocus with the session cookie, and the
// sync state the status bar shows. A browser without a stored copy first loads the document's stored
// updates over HTTP (gzipped, and the server meanwhile loads the live document), then connects: the
// sync then only carries what changed since (server/src/collab README, rule S1). A refused update
// makes the server close the document for us (README of server/src/collab, V1): the doc is then
// discarded and loaded afresh, and this user's newer work on other annotations is written again on
// top of it.
import { HocuspocusProvider, HocuspocusProviderWebsocket, WebSocketStatus } from '@hocuspocus/provider';
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import { annotationsOf, listAnnotations, mapKeyCount, quietLoads, type Annotation } from '@tessera/shared';
import { LOCAL_ORIGIN } from './annotation-editor';
import { ConflictLog } from './conflict-log';
import { lostValues } from './conflicts';
import { pendingWork, rememberClient, setPendingWork } from './offline-registry';
import type { DocumentSnapshotLoader } from './document-snapshot';
import { rewriteNewerWork } from './recovery';

/** The origin of the transaction that applies the server's stored copy of the document. */
const SNAPSHOT_ORIGIN = Symbol('document snapshot');

export type SyncState =
  | { kind: 'connecting' }
  | { kind: 'saved' }
  | { kind: 'saving'; pending: number }
  | { kind: 'offline'; pending: number }
  | { kind: 'refused'; reason: string }
  /** A dataset version shown read-only: nothing is synced. */
  | { kind: 'version'; name: string };

export interface LiveDocumentOptions {
  /** `image.<id>` or, in blind sets, `image.<id>.user.<uid>` (with a part for an image with regions). */
  readonly name: string;
  /**
   * The document's stored copy on the server (S1), loaded when IndexedDB has none; null: the
   * provider's sync loads the whole document.
   */
  readonly snapshot: Pick<DocumentSnapshotLoader, 'load' | 'cancel'> | null;
  readonly userId: number;
  /** ws(s)://host/collab */
  readonly url: string;
  /** Whether an annotation passes the schema with the set's types (before it is written again). */
  readonly isValid: (annotation: Annotation) => boolean;
  /** Called when a fresh Y.Doc replaces the old one (after a refusal). */
  readonly onReplaced?: () => void;
  /**
   * Called when the server closes the document because access to it changed (server rule A6): the
   * set's kind changed (a blind set's copies give way to the shared document, rule B1), or the user
   * lost access. The page loads again what now applies.
   */
  readonly onRevoked?: () => void;
  /**
   * The log this document's conflicts go to (default: its own): an image's region documents share
   * the workspace's one log, so the panel shows them all (C1).
   */
  readonly conflicts?: ConflictLog;
  /** Names a Yjs client's user when this document's own presence cannot (regions: the index's). */
  readonly userOfClient?: (client: number) => number | null;
}

/** One image's document: doc, provider, persistence, and a subscribable sync state. */
export class LiveDocument {
  doc = new Y.Doc();
  provider!: HocuspocusProvider;
  private socket!: HocuspocusProviderWebsocket;
  private persistence!: IndexeddbPersistence;
  private listeners = new Set<() => void>();
  private state: SyncState = { kind: 'connecting' };
  private connected = false;
  private recovering = false;
  private lastRecovery = 0;
  /** This user's edits not yet acknowledged by the server. */
  private pendingEdits = 0;
  /** The first sync with the server since the document was (re)opened. */
  synced: Promise<void> = Promise.resolve();
  readOnly = false;
  private destroyed = false;
  /** This user's values that concurrent writes replaced, this session (docs/SPEC-collab.md, C1). */
  readonly conflicts: ConflictLog;

  constructor(private readonly options: LiveDocumentOptions) {
    this.conflicts = options.conflicts ?? new ConflictLog();
    this.open();
    window.addEventListener('offline', this.goOffline);
    window.addEventListener('online', this.goOnline);
    window.addEventListener('beforeunload', this.warnBeforeLeaving);
  }

  /** The IndexedDB name: per user, so a shared browser never shows one user another's cache. */
  get storageName(): string {
    return `tessera:${this.options.name}:user.${this.options.userId}`;
  }

  getState = (): SyncState => this.state;

  /** Whether this user has changes here the server has not acknowledged (kept open for them, G4). */
  get unsent(): boolean {
    return this.pendingEdits > 0;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  destroy(): void {
    this.destroyed = true;
    // A region closed before its copy arrived: the download is not needed any more.
    this.options.snapshot?.cancel();
    window.removeEventListener('offline', this.goOffline);
    window.removeEventListener('online', this.goOnline);
    window.removeEventListener('beforeunload', this.warnBeforeLeaving);
    this.provider.destroy();
    this.socket.destroy();
    void this.persistence.destroy();
    this.listeners.clear();
  }

  /** A new socket, persistence and provider for `this.doc` (a refused client needs a new socket). */
  private open(): void {
    const socket = new HocuspocusProviderWebsocket({
      url: this.options.url,
      onStatus: ({ status }) => {
        if (socket !== this.socket) return;
        this.connected = status === WebSocketStatus.Connected;
        this.refresh();
      },
    });
    this.socket = socket;
    const persistence = new IndexeddbPersistence(this.storageName, this.doc);
    this.persistence = persistence;
    quietLoads(this.doc, (origin) => origin === persistence || origin === SNAPSHOT_ORIGIN);
    // Changes an earlier page left unsent are still in IndexedDB: the count carries over a reload.
    const name = this.options.name;
    this.pendingEdits = pendingWork(this.options.userId).find((w) => w.document === name)?.pending ?? 0;
    this.watchConflicts(this.doc, persistence);
    // The provider's own counter also counts sync messages; the status counts this user's edits.
    this.doc.on('update', (_update: Uint8Array, origin: unknown) => {
      if (origin === LOCAL_ORIGIN) this.pendingEdits++;
    });
    this.provider = new HocuspocusProvider({
      websocketProvider: this.socket,
      name: this.options.name,
      document: this.doc,
      // Not a personal access token: the server then authenticates the session cookie.
      token: 'session',
      onAuthenticated: ({ scope }) => {
        this.readOnly = scope === 'readonly';
        this.refresh();
      },
      onAuthenticationFailed: ({ reason }) => {
        this.setState({ kind: 'refused', reason });
      },
      onClose: ({ event }) => {
        if (event.reason.startsWith('invalid-update')) void this.recover(event.reason);
        else if (event.reason === 'access-revoked') this.options.onRevoked?.();
      },
      onUnsyncedChanges: ({ number }) => {
        if (number === 0 && this.connected) this.pendingEdits = 0;
        this.refresh();
      },
    });
    const provider = this.provider;
    this.synced = new Promise((resolve) => {
      provider.on('synced', () => {
        resolve();
      });
    });
    provider.on('synced', () => {
      performance.mark('tessera:document-synced');
      this.refresh();
    });
    void this.attachAfterFirstLoad(provider, this.persistence);
  }

  /**
   * Connects once the document has a first state: the one IndexedDB kept, or else the server's stored
   * copy over HTTP. Either way the provider's first sync message then names what the browser has, and
   * the server sends only the rest. A failed fetch (offline, refused) leaves the load to the provider.
   */
  private async attachAfterFirstLoad(provider: HocuspocusProvider, persistence: IndexeddbPersistence) {
    try {
      await persistence.whenSynced;
      // Marks read by bench/client: where an open spends its time.
      performance.mark('tessera:document-local-copy-read');
      // Without a stored copy to fetch, the sync brings the whole document.
      const snapshot = this.options.snapshot;
      if (snapshot !== null && mapKeyCount(annotationsOf(this.doc)) > 0) snapshot.cancel();
      else if (snapshot !== null && this.isCurrent(provider)) {
        const updates = await snapshot.load(this.options.name);
        // Checked again: the document may have been replaced or closed while the copy loaded.
        if (updates !== null && this.isCurrent(provider)) {
          // A quiet load (see open): no listener hears of it; IndexedDB stores the bytes as they came.
          Y.transact(
            this.doc,
            () => {
              for (const update of updates) Y.applyUpdate(this.doc, update, SNAPSHOT_ORIGIN);
            },
            SNAPSHOT_ORIGIN,
          );
          performance.mark('tessera:document-snapshot-applied');
          for (const update of updates) persistence._storeUpdate(update, SNAPSHOT_ORIGIN);
        }
      }
    } catch {
      // The live connection loads the document instead.
    }
    if (this.isCurrent(provider)) provider.attach();
  }

  /**
   * Logs this user's values that a remote transaction replaced by concurrent ones (C1). Loads from
   * IndexedDB or the stored copy are not news: only what the server sends is looked at.
   */
  private watchConflicts(doc: Y.Doc, persistence: IndexeddbPersistence): void {
    const mine = rememberClient(this.storageName, doc.clientID);
    doc.on('afterTransaction', (transaction: Y.Transaction) => {
      const origin: unknown = transaction.origin;
      if (transaction.local || origin === persistence || origin === SNAPSHOT_ORIGIN) return;
      const found = lostValues(doc, transaction, (client) => mine.has(client), this.options.userId);
      this.conflicts.add(found, (client) => this.userOfClient(client));
    });
  }

  /** The user behind a Yjs client id, if that client is present (awareness). */
  userOfClient(client: number): number | null {
    const state = this.provider.awareness?.getStates().get(client) as { user?: { id?: unknown } } | undefined;
    if (typeof state?.user?.id === 'number') return state.user.id;
    return this.options.userOfClient?.(client) ?? null;
  }

  /**
   * Asks before the page goes while changes wait and the server cannot be reached: they stay in
   * IndexedDB (W6), but nobody else sees them until this browser opens the set again. While online
   * the wait is a round trip, and y-indexeddb has the changes already: no question then.
   */
  private readonly warnBeforeLeaving = (event: BeforeUnloadEvent): void => {
    if (this.state.kind === 'offline' && this.state.pending > 0) event.preventDefault();
  };

  /** Whether `provider` still serves this open document (a refusal replaces it, destroy ends it). */
  private isCurrent(provider: HocuspocusProvider): boolean {
    return provider === this.provider && !this.destroyed;
  }

  /**
   * After a refusal the local doc holds a change the server will never take, and later updates
   * depend on it: drop the doc and its IndexedDB copy, load afresh, then write again this user's
   * annotations that were newer locally (checked by the schema first). A second refusal within a
   * minute drops the local work instead of looping.
   */
  private async recover(reason: string): Promise<void> {
    if (this.recovering) return;
    this.recovering = true;
    const again = Date.now() - this.lastRecovery < 60_000;
    this.lastRecovery = Date.now();
    this.setState({ kind: 'refused', reason });
    const local: Annotation[] = again ? [] : listAnnotations(this.doc, { includeDeleted: true });
    this.provider.destroy();
    this.socket.destroy();
    await this.persistence.clearData();
    this.doc = new Y.Doc();
    this.open();
    this.options.onReplaced?.();
    await this.synced;
    rewriteNewerWork(this.doc, local, this.options.userId, this.options.isValid);
    this.recovering = false;
    this.refresh();
  }

  private readonly goOffline = (): void => {
    // The browser says the network is gone: close the socket at once rather than wait for the
    // provider's 30 s silence check, and say "offline" now (a close handshake cannot finish offline).
    this.socket.disconnect();
    this.connected = false;
    this.refresh();
  };

  private readonly goOnline = (): void => {
    // A close handshake started offline may never have finished; without this the socket still counts
    // as connected and connect() would do nothing.
    if (this.socket.status === WebSocketStatus.Connected) {
      this.socket.onClose({ event: new CloseEvent('close', { code: 1006, reason: 'offline' }) });
    }
    void this.socket.connect();
  };

  private refresh(): void {
    if (this.state.kind === 'refused' && (this.recovering || !this.provider.isAuthenticated)) {
      this.emit();
      return;
    }
    const pending = this.pendingEdits;
    const unacknowledged = this.provider.unsyncedChanges;
    if (!this.connected) this.setState({ kind: 'offline', pending });
    else if (!this.provider.synced) this.setState({ kind: 'connecting' });
    else if (unacknowledged > 0 && !this.readOnly) {
      this.setState({ kind: 'saving', pending: Math.max(pending, unacknowledged) });
    } else this.setState({ kind: 'saved' });
  }

  private setState(next: SyncState): void {
    if (next.kind === 'saved') setPendingWork(this.options.userId, this.options.name, 0);
    else if ((next.kind === 'offline' || next.kind === 'saving') && !this.readOnly) {
      setPendingWork(this.options.userId, this.options.name, next.pending);
    }
    const same = JSON.stringify(next) === JSON.stringify(this.state);
    this.state = next;
    if (!same) this.emit();
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}
