import { LRUCache } from 'lru-cache';
import type { TilerAnswer } from '../../ingest/tiler.client.js';

/** Per-entry bookkeeping beyond the bytes (key, headers, the map's own nodes), for the bound. */
const ENTRY_OVERHEAD_BYTES = 400;

/**
 * Tiles the server relayed, kept in memory so a warm tile costs authentication, the (cached) access
 * check and a copy, with no request to the tiler. Keyed by the tiler source (the image's file and
 * frame) and the tile's address, so two images never share an entry; bounded in bytes, least recently
 * used first out. Only ever read after the viewer's right to the image has been checked: holding a
 * tile here grants nothing. A source's files never change once it is ready (a new upload gets a new
 * folder), so entries need no lifetime.
 */
export class TileCache {
  private readonly tiles: LRUCache<string, TilerAnswer> | undefined;
  private readonly counts = { hits: 0, misses: 0 };

  /** `maxBytes` 0 keeps nothing (every tile is relayed). */
  constructor(maxBytes: number) {
    this.tiles =
      maxBytes > 0
        ? new LRUCache<string, TilerAnswer>({
            maxSize: maxBytes,
            sizeCalculation: (tile, key) => tile.body.length + key.length * 2 + ENTRY_OVERHEAD_BYTES,
          })
        : undefined;
  }

  /** The key of tile (level, col, row) of tiler source `src`. */
  static key(src: string, level: number, col: number, row: number): string {
    return `${level}/${col}_${row}\u0000${src}`;
  }

  get(key: string): TilerAnswer | undefined {
    const tile = this.tiles?.get(key);
    if (tile === undefined) this.counts.misses++;
    else this.counts.hits++;
    return tile;
  }

  /** Lookups since start: answered from memory, or missed (and asked of the tiler). */
  get lookups(): { readonly hits: number; readonly misses: number } {
    return { ...this.counts };
  }

  set(key: string, tile: TilerAnswer): void {
    this.tiles?.set(key, tile);
  }

  /** How many tiles are held (for tests and diagnostics). */
  get size(): number {
    return this.tiles?.size ?? 0;
  }
}
