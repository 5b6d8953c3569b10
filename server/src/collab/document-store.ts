import * as Y from 'yjs';
import type { Logger } from '../logging/logger.js';
import type { DocumentsRepo } from './documents.repo.js';
import type { UpdateLog } from './update-log.js';

/** What the store knows of one loaded document's log. */
interface Tracked {
  /** Highest log id whose update is in the in-memory document. */
  appliedId: number;
  /** Appended to the log but not yet applied in memory (the apply follows the append). */
  readonly inFlight: Set<number>;
  /** Log rows written or loaded since the last compaction. */
  sinceCompaction: number;
  /** Compactions of this document run one after another. */
  compaction: Promise<void>;
  /** A compaction is waiting to start: asking again joins it. */
  queued: boolean;
  /** Appends of server-side changes (applied first, logged after) still being written. */
  readonly logging: Set<Promise<void>>;
}

export interface DocumentStoreOptions {
  /** Compact a document once this many log rows have accumulated since its last compaction. */
  readonly compactEvery: number;
}

/**
 * Durable documents: the compacted state plus the update log. `load` rebuilds a document from its
 * state row and the log rows after it; `append` makes an update durable (group commit) before it is
 * applied; `compact` writes the document's state and deletes the log rows it covers. The covered
 * range ends before the oldest update that is logged but not yet applied, so a row is only deleted
 * once its effect is in the state written. Documents are meant to live on one server at a time.
 */
/**
 * Reads a document from PostgreSQL into `doc`: its compacted state, then the log rows after it. Answers
 * how many log rows it applied and the id of the last one.
 */
export async function readDocument(
  repo: DocumentsRepo,
  name: string,
  doc: Y.Doc,
): Promise<{ logged: number; lastId: number }> {
  const state = await repo.state(name);
  const after = state?.last_update_id ?? 0;
  const rows = await repo.updatesAfter(name, after);
  Y.transact(doc, () => {
    if (state !== undefined) Y.applyUpdate(doc, state.state);
    for (const row of rows) Y.applyUpdate(doc, row.update);
  });
  return { logged: rows.length, lastId: rows.at(-1)?.id ?? after };
}

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
    const { logged, lastId } = await readDocument(this.repo, name, doc);
    this.tracked.set(name, {
      appliedId: lastId,
      inFlight: new Set(),
      sinceCompaction: logged,
      compaction: Promise.resolve(),
      queued: false,
      logging: new Set(),
    });
    return logged;
  }

  /** Makes an update durable; the caller must apply it to the document next and then call `applied`. */
  async append(name: string, update: Uint8Array, userId: number | null): Promise<number> {
    const id = await this.log.append({ document: name, update, userId });
    const tracked = this.tracked.get(name);
    if (tracked) {
      tracked.inFlight.add(id);
      tracked.sinceCompaction++;
    }
    return id;
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

  /** Marks logged updates as applied to the in-memory document. */
  applied(name: string, ids: readonly number[]): void {
    const tracked = this.tracked.get(name);
    if (!tracked) return;
    for (const id of ids) {
      tracked.inFlight.delete(id);
      tracked.appliedId = Math.max(tracked.appliedId, id);
    }
  }

  /** Whether enough log rows have accumulated for a compaction. */
  wantsCompaction(name: string): boolean {
    return (this.tracked.get(name)?.sinceCompaction ?? 0) >= this.options.compactEvery;
  }

  /** Compacts now (after any compaction in progress); a no-op when nothing was logged since the last. */
  compact(name: string, doc: Y.Doc): Promise<void> {
    const tracked = this.tracked.get(name);
    if (!tracked) return Promise.resolve();
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
    if (tracked.sinceCompaction === 0) return;
    const oldestInFlight = Math.min(...tracked.inFlight);
    const upTo = Math.min(tracked.appliedId, oldestInFlight - 1);
    // Taken at once with `upTo`: every row up to `upTo` is in this state (later ones may be too;
    // applying them again on load changes nothing).
    const state = Y.encodeStateAsUpdate(doc);
    const counted = tracked.sinceCompaction;
    const started = performance.now();
    try {
      await this.repo.saveCompaction(name, state, upTo);
      tracked.sinceCompaction = Math.max(0, tracked.sinceCompaction - counted);
      this.logger.debug(
        { document: name, upTo, bytes: state.byteLength, ms: Math.round(performance.now() - started) },
        'document compacted',
      );
    } catch (error) {
      // The log still holds everything: nothing is lost, the next compaction tries again.
      this.logger.error({ err: error, document: name }, 'document compaction failed');
    }
  }
}
