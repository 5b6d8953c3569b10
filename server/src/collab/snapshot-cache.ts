import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { LRUCache } from 'lru-cache';
import { encodeUpdateFrames } from '@tessera/shared';

const gzipAsync = promisify(gzip);

/** Gzipped stored copies kept in memory at most, in bytes (a 100,000-annotation image's is ~1.3 MB). */
const CACHE_BYTES = 64 * 2 ** 20;

export interface CachedSnapshot {
  /** The `last_update_id` of the state it holds: valid while the stored state is that one. */
  readonly stateId: number;
  /** The S1 answer's body: the state as one update frame, gzipped (level 1, as sent otherwise). */
  readonly gzipped: Buffer;
}

/**
 * The stored copies (S1) of documents as their compaction on unloading left them, gzipped once. The
 * next browser to open such a document (the common case: nobody has it open) is answered from here,
 * without reading and compressing tens of megabytes while the same page's other requests wait for the
 * same two cores. The caller checks that the stored state is still the one cached and that nothing
 * was logged after it (rule P1 holds: the cached state is what is stored).
 */
export class SnapshotCache {
  private readonly entries = new LRUCache<string, CachedSnapshot>({
    maxSize: CACHE_BYTES,
    sizeCalculation: (entry) => Math.max(1, entry.gzipped.byteLength),
  });
  /** The latest state being compressed per document: an earlier one finishing later is dropped. */
  private readonly compressing = new Map<string, number>();
  private sequence = 0;

  /** The document's state `stateId` was stored: compressed in the thread pool, then kept. */
  async remember(document: string, stateId: number, state: Uint8Array): Promise<void> {
    this.entries.delete(document);
    const mine = ++this.sequence;
    this.compressing.set(document, mine);
    try {
      const gzipped = await gzipAsync(encodeUpdateFrames([state]), { level: 1 });
      if (this.compressing.get(document) === mine) this.entries.set(document, { stateId, gzipped });
    } finally {
      if (this.compressing.get(document) === mine) this.compressing.delete(document);
    }
  }

  get(document: string): CachedSnapshot | undefined {
    return this.entries.get(document);
  }

  /** Drops a copy found stale. */
  forget(document: string): void {
    this.entries.delete(document);
  }
}
