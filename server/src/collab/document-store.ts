import * as Y from 'yjs';
import { quietLoads } from '@tessera/shared';
import type { Logger } from '../logging/logger.js';
import type { DocumentsRepo } from './documents.repo.js';
import type { UpdateLog } from './update-log.js';

/** What the store knows of one loaded document's log. */
interface Tracked {
  /** Highest log id whose update is in the in-memory document. */
  appliedId: number;
  /** The `last_update_id` of the state row this server last read or wrote. */
  stateId: number;
  /** The document is unloading: its last compaction's state is announced (onUnloadCompacted). */
  unloading?: boolean;
  /** Committed to the log but not yet marked applied in memory (clients' updates, see `accept`). */
  readonly inFlight: Set<number>;
  /** Log rows written or loaded since the last compaction. */
  sinceCompaction: number;
  /** Compactions of this document run one after another. */
  compaction: Promise<void>;
  /** A compaction is waiting to start: asking again joins it. */
  queued: boolean;
  /** Appends of server-side changes (applied first, logged after) still being written. */
  readonly logging: Set<Promise<void>>;
  /** An applied update failed to reach the log: never compact, drop the document. */
  broken: boolean;
}

/** A client's update being logged; the caller applies it and calls `markApplied`. */
export interface AcceptedUpdate {
  /** Resolves with the log id once the batch holding the update has committed. */
  readonly written: Promise<number>;
  markApplied(): void;
}

/** The update with this log id is both committed and in the in-memory document. */
function settleApplied(tracked: Tracked, id: number): void {
  tracked.inFlight.delete(id);
  tracked.appliedId = Math.max(tracked.appliedId, id);
}

export interface DocumentStoreOptions {
  /** Compact a document once this many log rows have accumulated since its last compaction. */
  readonly compactEvery: number;
  /**
   * Other servers load and change the same documents (TESSERA_REDIS_URL): compaction then locks the
   * document in PostgreSQL and first applies the stored rows it covers (see `compactNow`).
   */
  readonly shared?: boolean;
  /**
   * Told of the state the compaction of an unloading document stored (its `last_update_id` and
   * bytes): S1 answers the next browser from a compressed copy (SnapshotCache).
   */
  readonly onUnloadCompacted?: (name: string, stateId: number, state: Uint8Array) => void;
}

/**
 * The origin of changes applied from the log itself (a shared compaction catching up): they are
 * logged already, so the persistence extension does not log them again.
 */
export const FROM_LOG = Symbol('applied from the update log');

/** The origin of the transaction that applies a document as stored. */
const STORED_LOAD = Symbol('stored document load');

/**
 * Reads a document from PostgreSQL into `doc`: its compacted state, then the log rows after it. Answers
 * how many log rows it applied and the id of the last one.
 */
export async function readDocument(
  repo: DocumentsRepo,
  name: string,
  doc: Y.Doc,
): Promise<{ logged: number; lastId: number; stateId: number }> {
  const state = await repo.state(name);
  const after = state?.last_update_id ?? 0;
  const rows = await repo.updatesAfter(name, after);
  // A quiet load: Yjs would encode all of it once more for Hocuspocus's broadcast (150-190 ms and
  // 27 MB for 100,000 annotations), which has no connection to send it to yet.
  const stop = quietLoads(doc, (origin) => origin === STORED_LOAD);
  try {
    Y.transact(
      doc,
      () => {
        if (state !== undefined) Y.applyUpdate(doc, state.state, STORED_LOAD);
        for (const row of rows) Y.applyUpdate(doc, row.update, STORED_LOAD);
      },
      STORED_LOAD,
    );
  } finally {
    stop();
  }
  return { logged: rows.length, lastId: rows.at(-1)?.id ?? after, stateId: after };
}

/**
 * Durable documents: the compacted state plus the update log. `load` rebuilds a document from its
 * state row and the log rows after it; `accept` logs a client's update (group commit) while the caller
 * applies it; `compact` writes the document's state and deletes the log rows it covers. The covered
 * range ends before the oldest update that is committed but not yet applied, so a row is only deleted
 * once its effect is in the state written (an update applied but not yet committed gets a higher id
 * than every row covered: one batch commits at a time). With `shared`, several servers hold a
 * document and each logs what its own clients send; compaction takes the document's lock.
 */
export class DocumentStore {
  private readonly tracked = new Map<string, Tracked>();

  constructor(
    private readonly repo: DocumentsRepo,
    private readonly log: UpdateLog,
    private readonly logger: Logger,
    private readonly options: DocumentStoreOptions,
  ) {}

  /** Applies the stored state and the newer log rows to `doc`; returns how many log rows it read. */
  async load(name: string, doc: Y.Doc): Promise<number> {
    const { logged, lastId, stateId } = await readDocument(this.repo, name, doc);
    this.tracked.set(name, {
      appliedId: lastId,
      stateId,
      inFlight: new Set(),
      sinceCompaction: logged,
      compaction: Promise.resolve(),
      queued: false,
      logging: new Set(),
      broken: false,
    });
    return logged;
  }

  /**
   * Starts logging an update a client sent, which the caller applies right away (before the commit)
   * and then reports with `markApplied`. Until both have happened, compaction keeps the log rows from
   * this update's on (see `compactNow`). `written` resolves with the log id once committed.
   */
  accept(name: string, update: Uint8Array, userId: number | null): AcceptedUpdate {
    const tracked = this.tracked.get(name);
    let applied = false;
    let logId: number | undefined;
    const written = this.log.append({ document: name, update, userId }).then((id) => {
      logId = id;
      if (tracked) {
        tracked.sinceCompaction++;
        if (applied) settleApplied(tracked, id);
        else tracked.inFlight.add(id);
      }
      return id;
    });
    return {
      written,
      markApplied: () => {
        applied = true;
        if (tracked && logId !== undefined) settleApplied(tracked, logId);
      },
    };
  }

  /**
   * Logs a change made on the server (a direct connection), which Hocuspocus has applied already:
   * such changes never pass `beforeSync`. `settled` tells when it is durable.
   */
  logApplied(name: string, update: Uint8Array, userId: number | null): void {
    const tracked = this.tracked.get(name);
    const written = this.log.append({ document: name, update, userId }).then((id) => {
      if (tracked) {
        tracked.sinceCompaction++;
        tracked.appliedId = Math.max(tracked.appliedId, id);
      }
    });
    if (!tracked) return;
    tracked.logging.add(written);
    written
      .catch((error: unknown) => {
        this.logger.error({ err: error, document: name }, 'logging a server-side change failed');
      })
      .finally(() => tracked.logging.delete(written));
  }

  /** Resolves once every server-side change of the document is in the log; rejects if one failed. */
  async settled(name: string): Promise<void> {
    const tracked = this.tracked.get(name);
    if (tracked) await Promise.all([...tracked.logging]);
  }

  /**
   * Marks a document whose in-memory state holds an update that failed to reach the log: it is never
   * compacted again (its state is not what the log says) and is to be dropped and loaded afresh.
   */
  markBroken(name: string): void {
    const tracked = this.tracked.get(name);
    if (tracked) tracked.broken = true;
  }

  /**
   * A document whose content moved elsewhere (a reader's copy merged into the shared document, rule
   * B1): never compacted again, so its stored rows can be removed; resolves once a compaction already
   * running and its server-side changes have settled.
   */
  async retire(name: string, doc: Y.Doc): Promise<void> {
    this.markBroken(name);
    await this.compact(name, doc);
    await this.settled(name);
  }

  /** Whether the document failed to log an update it applied (see `markBroken`). */
  isBroken(name: string): boolean {
    return this.tracked.get(name)?.broken ?? false;
  }

  /** Whether enough log rows have accumulated for a compaction. */
  wantsCompaction(name: string): boolean {
    return (this.tracked.get(name)?.sinceCompaction ?? 0) >= this.options.compactEvery;
  }

  /**
   * Compacts now (after any compaction in progress); a no-op when nothing was logged since the last.
   * `unloading`: the document is about to unload (its stored state is then announced, see options).
   */
  compact(name: string, doc: Y.Doc, unloading = false): Promise<void> {
    const tracked = this.tracked.get(name);
    if (!tracked) return Promise.resolve();
    if (unloading) tracked.unloading = true;
    if (tracked.queued) return tracked.compaction;
    tracked.queued = true;
    tracked.compaction = tracked.compaction.then(() => {
      tracked.queued = false;
      return this.compactNow(name, doc, tracked);
    });
    return tracked.compaction;
  }

  /** Forgets an unloaded document. */
  forget(name: string): void {
    this.tracked.delete(name);
  }

  private async compactNow(name: string, doc: Y.Doc, tracked: Tracked): Promise<void> {
    if (tracked.sinceCompaction === 0 || tracked.broken) return;
    const oldestInFlight = Math.min(...tracked.inFlight);
    const upTo = Math.min(tracked.appliedId, oldestInFlight - 1);
    const counted = tracked.sinceCompaction;
    const started = performance.now();
    try {
      const state = this.options.shared
        ? await this.compactShared(name, doc, tracked, upTo)
        : await this.compactAlone(name, doc, upTo);
      tracked.sinceCompaction = Math.max(0, tracked.sinceCompaction - counted);
      const stateId = this.options.shared ? tracked.stateId : upTo;
      if (tracked.unloading && state !== undefined && state.byteLength > 0)
        this.options.onUnloadCompacted?.(name, stateId, state);
      this.logger.debug(
        { document: name, upTo, bytes: state?.byteLength, ms: Math.round(performance.now() - started) },
        state === undefined ? 'document compaction left to another server' : 'document compacted',
      );
    } catch (error) {
      // The log still holds everything: nothing is lost, the next compaction tries again.
      this.logger.error({ err: error, document: name }, 'document compaction failed');
    }
  }

  private async compactAlone(name: string, doc: Y.Doc, upTo: number): Promise<Uint8Array> {
    // Taken at once with `upTo`: every row up to `upTo` is in this state (later ones may be too;
    // applying them again on load changes nothing).
    const state = Y.encodeStateAsUpdate(doc);
    await this.repo.saveCompaction(name, state, upTo);
    return state;
  }

  /**
   * Rule P4s: rows up to `upTo` may come from other servers whose changes reach this copy through
   * Redis, later or (Redis down) not at all; and another server may have compacted rows into the state
   * since this one read it. So under the document's advisory lock (one compactor at a time) the copy
   * first applies the stored state when it changed and the rows it covers (applying what it already
   * has changes nothing), then the state is encoded and stored. Answers the state, or undefined when
   * another server was compacting the document.
   */
  private async compactShared(
    name: string,
    doc: Y.Doc,
    tracked: Tracked,
    upTo: number,
  ): Promise<Uint8Array | undefined> {
    let state: Uint8Array | undefined;
    const stored = await this.repo.compactLocked(name, upTo, tracked.stateId, ({ storedState, rows }) => {
      Y.transact(
        doc,
        () => {
          if (storedState !== undefined) Y.applyUpdate(doc, storedState, FROM_LOG);
          for (const row of rows) Y.applyUpdate(doc, row.update, FROM_LOG);
        },
        FROM_LOG,
      );
      state = Y.encodeStateAsUpdate(doc);
      return state;
    });
    if (stored !== undefined) tracked.stateId = stored;
    return state ?? (stored === undefined ? undefined : new Uint8Array());
  }
}
