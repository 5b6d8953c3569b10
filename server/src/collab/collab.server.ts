import type http from 'node:http';
import { Hocuspocus } from '@hocuspocus/server';
import type * as Y from 'yjs';
import type { AuthService } from '../auth/auth.service.js';
import type { Database } from '../db/database.js';
import type { Logger } from '../logging/logger.js';
import { AllowedTypes } from './allowed-types.js';
import { AuthExtension } from './auth.extension.js';
import { ClientIdOwners } from './client-ids.js';
import { CommitGate, GatedSocket } from './commit-gate.js';
import type { SnapshotCache } from './snapshot-cache.js';
import { DocumentStore } from './document-store.js';
import { DocumentWarmer } from './document-warmer.js';
import { listenForAccessChanges } from './access-notices.js';
import { AccessSweeper } from './access-sweep.js';
import { PresenceExtension } from './presence.extension.js';
import { RegionIndexer } from './region-index.js';
import { isBlind } from '../access/policy/modes.js';
import { RegionSizes } from './region-sizes.js';
import { RedisSharing } from './redis-sharing.js';
import { ReaderCopyMerger, type MergeSummary } from './reader-copies.js';
import { ReaderCopiesRepo } from './reader-copies.repo.js';
import { ProjectionExtension } from './projection.extension.js';
import { ProjectionRepo } from './projection.repo.js';
import { DocumentsRepo } from './documents.repo.js';
import { PersistenceExtension } from './persistence.extension.js';
import { UpdateLog } from './update-log.js';
import { ValidationExtension } from './validation.extension.js';
import { collabUpgrades } from './websocket.js';

/** The path of the collaboration WebSocket endpoint. */
export const COLLAB_PATH = '/collab';

export interface CollabDeps {
  readonly db: Database;
  readonly auth: AuthService;
  readonly logger: Logger;
  /** Compact a document after this many logged updates (default 500). */
  readonly compactEvery?: number;
  /** How often open connections' access is checked again (default 15 s). */
  readonly accessSweepMs?: number;
  /** How long a set's allowed annotation types are cached (default 5 s; 0 reads them for every update). */
  readonly allowedTypesTtlMs?: number;
  /** Redis shared with other servers of the same documents (TESSERA_REDIS_URL); unset: this server alone. */
  readonly redisUrl?: string | undefined;
  /** Where an unloading document's stored state goes, compressed, for the next S1 answer. */
  readonly snapshotCache?: SnapshotCache;
}

/** The live annotation documents of one server process. */
export interface Collaboration {
  readonly hocuspocus: Hocuspocus;
  readonly store: DocumentStore;
  readonly log: UpdateLog;
  /** Holds outgoing messages until the updates accepted before them are committed (P1). */
  readonly gate: CommitGate;
  /** The SQL projection of the loaded documents (rule R1). */
  readonly projection: ProjectionExtension;
  /** Rule G3: writes region summaries into images' index documents. */
  readonly regionIndex: RegionIndexer;
  /** The Redis link to the other servers, when documents are shared (CollabDeps.redisUrl). */
  readonly sharing: RedisSharing | undefined;
  /**
   * Changes a document on the server (REST, imports, jobs) and resolves once the change is in the
   * log and in the projection. The caller validates first: server-side changes do not pass `beforeSync`.
   */
  write(name: string, change: (doc: Y.Doc) => void, userId: number | null): Promise<void>;
  /**
   * Rule B1: merges the readers' copies of a set that is no longer blind (every such set when no id
   * is given) into the images' shared documents, and removes them.
   */
  mergeReaderCopies(imageSetId?: number): Promise<MergeSummary>;
  /** Checks every open connection's access now (after a membership or visibility change). */
  recheckAccess(): Promise<void>;
  /**
   * Resolves once this server hears access changes as they commit (rule A6); until then, and while
   * the listening connection is lost, the periodic sweep alone notices them.
   */
  readonly listening: Promise<void>;
  /** Starts loading a document whose connection is expected soon, and holds it a while (rule S1). */
  warm(name: string, userId: number): void;
  /** Closes every connection, compacts and unloads the documents, and detaches from the server. */
  close(): Promise<void>;
}

/** Creates the Hocuspocus instance with Tessera's extensions (no listener of its own, no signal handlers). */
export function createHocuspocus(deps: CollabDeps): Pick<
  Collaboration,
  'hocuspocus' | 'store' | 'log' | 'gate' | 'projection' | 'sharing' | 'regionIndex'
> & {
  repo: DocumentsRepo;
} {
  const repo = new DocumentsRepo(deps.db);
  const log = new UpdateLog((updates) => repo.appendUpdates(updates));
  const gate = new CommitGate(log);
  const sharing =
    deps.redisUrl === undefined ? undefined : new RedisSharing(deps.redisUrl, gate, deps.logger);
  const store = new DocumentStore(repo, log, deps.logger, {
    compactEvery: deps.compactEvery ?? 500,
    shared: sharing !== undefined,
    onUnloadCompacted: (name, stateId, state) => {
      deps.snapshotCache?.remember(name, stateId, state).catch((error: unknown) => {
        deps.logger.warn({ err: error, document: name }, 'the stored copy could not be compressed');
      });
    },
  });
  const regionSizes = new RegionSizes(
    async (imageId) => (await repo.imageAccess(imageId, 0))?.annotation_region_size,
    deps.allowedTypesTtlMs,
  );
  const validation = new ValidationExtension(
    new AllowedTypes((setId) => repo.allowedTypes(setId), deps.allowedTypesTtlMs),
    new ClientIdOwners(repo),
    regionSizes,
    deps.logger,
  );
  const projection = new ProjectionExtension(new ProjectionRepo(deps.db), repo, deps.logger);
  // G3 writes the index as any server-side change (P5); `hocuspocus` exists by the time it writes.
  const regionIndex = new RegionIndexer(
    regionSizes,
    async (imageId) => {
      const image = await repo.imageAccess(imageId, 0);
      return image && isBlind(image.collaboration_type);
    },
    (name, change) => writeDocument({ hocuspocus, store, projection }, name, change, null),
    deps.logger,
  );
  const hocuspocus: Hocuspocus = new Hocuspocus({
    quiet: true,
    extensions: [
      ...(sharing ? [sharing] : []),
      new AuthExtension(deps.auth, repo, deps.logger),
      validation,
      new PersistenceExtension(store, (payload) => validation.isChecked(payload)),
      projection,
      regionIndex,
      new PresenceExtension(),
    ],
  });
  log.onSettled((failed) => {
    for (const name of failed) dropDocument(hocuspocus, store, name, deps.logger);
    gate.release();
  });
  return { hocuspocus, store, log, gate, repo, projection, sharing, regionIndex };
}

/**
 * P6: an update of this document was applied in memory but its log write failed. No held message of
 * the document may go out (the gate would release them now), so its clients' sockets are closed
 * first; their providers reconnect and send again what the server lacks. The document is never
 * compacted again and refuses every message until it has unloaded and loads afresh from the log.
 */
function dropDocument(hocuspocus: Hocuspocus, store: DocumentStore, name: string, logger: Logger): void {
  logger.error({ document: name }, 'collab: an update could not be logged; dropping the document');
  store.markBroken(name);
  for (const connection of hocuspocus.documents.get(name)?.getConnections() ?? []) {
    if (connection.webSocket instanceof GatedSocket) connection.webSocket.close(1011, 'persistence-failed');
  }
}

/**
 * Serves the live annotation documents on `httpServer`'s WebSocket upgrades at `/collab` (other
 * upgrade paths are left alone). Call `close()` before closing the HTTP server: open WebSockets
 * would otherwise keep it from closing.
 */
export function attachCollaboration(httpServer: http.Server, deps: CollabDeps): Collaboration {
  const created = createHocuspocus(deps);
  const { wss, onUpgrade } = collabUpgrades(created.hocuspocus, created.gate, COLLAB_PATH, deps.logger);
  httpServer.on('upgrade', onUpgrade);
  const sweeper = new AccessSweeper(created.hocuspocus, created.repo, deps.auth, deps.logger);
  sweeper.start(deps.accessSweepMs);
  const notices = listenForAccessChanges(deps.db.url, sweeper, deps.logger);
  const warmer = new DocumentWarmer(created.hocuspocus, deps.logger);
  const merger = new ReaderCopyMerger(
    created.hocuspocus,
    created.store,
    created.projection,
    new ReaderCopiesRepo(deps.db),
    deps.logger,
    (document) => warmer.release(document),
  );
  // B1: copies left by a merge that stopped half way (a crash) are merged now.
  merger.merge().catch((error: unknown) => {
    deps.logger.error({ err: error }, 'collab: merging readers copies left from before failed');
  });
  let closing: Promise<void> | undefined;
  const close = async () => {
    sweeper.stop();
    await merger.idle();
    await notices.close();
    await warmer.close();
    await created.regionIndex.stop();
    httpServer.off('upgrade', onUpgrade);
    created.hocuspocus.closeConnections();
    await waitForUnload(created.hocuspocus, 5_000);
    for (const client of wss.clients) client.terminate();
    await new Promise<void>((resolve) => {
      wss.close(() => {
        resolve();
      });
    });
    await created.log.flush();
    await created.sharing?.onDestroy();
  };
  return {
    hocuspocus: created.hocuspocus,
    store: created.store,
    log: created.log,
    gate: created.gate,
    projection: created.projection,
    regionIndex: created.regionIndex,
    sharing: created.sharing,
    write: (name, change, userId) => {
      // Held open a little after each REST write (opened first, so the write's own connection
      // joins it): a script writing an image's annotations one request at a time would otherwise
      // load the whole document from PostgreSQL, and compact it, for every request.
      warmer.warm(name, userId, WRITE_HOLD_MS);
      return writeDocument(created, name, change, userId);
    },
    mergeReaderCopies: (imageSetId) => merger.merge(imageSetId),
    recheckAccess: () => sweeper.sweep(),
    listening: notices.listening,
    warm: (name, userId) => {
      warmer.warm(name, userId);
    },
    close: () => (closing ??= close()),
  };
}

/** How long a document stays loaded after a REST write (each write holds it that much longer). */
const WRITE_HOLD_MS = 5_000;

async function writeDocument(
  collab: Pick<Collaboration, 'hocuspocus' | 'store' | 'projection'>,
  name: string,
  change: (doc: Y.Doc) => void,
  userId: number | null,
): Promise<void> {
  const direct = await collab.hocuspocus.openDirectConnection(name, { userId });
  try {
    await direct.transact(change);
    // The onChange hook that starts the append runs after the transaction; let it start.
    await new Promise((resolve) => setImmediate(resolve));
    await collab.store.settled(name);
    await collab.projection.settled(name);
  } finally {
    await direct.disconnect();
  }
}

/** Waits until Hocuspocus has unloaded (and so compacted) every document, or `ms` have passed. */
async function waitForUnload(hocuspocus: Hocuspocus, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (hocuspocus.getDocumentsCount() > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
