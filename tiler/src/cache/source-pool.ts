// Open image sources, kept by storage path with a bound on how many are open at once. Opening a slide costs
// milliseconds and each OpenSlide handle keeps its own tile cache, so busy slides stay open and the least
// recently used one is closed, but only after the requests using it are done. A handle that failed is dead
// (OpenSlide keeps its first error), so it is dropped and the next request opens the file afresh.
import type { TilePack } from '../sources/tile-pack.js';
import type { DeepZoomGeometry } from '../deepzoom/geometry.js';
import type { NativeLevelPlan } from '../deepzoom/native-layout.js';
import type { NativeJpegPyramid } from '../sources/native-jpeg.js';
import type { ImageSource } from '../sources/image-source.js';
import { SlideError } from '../sources/slide-error.js';

/** An open source with what requests need beside it. */
export interface PooledSource {
  /** The storage-relative path the source was opened from (the pool key). */
  readonly src: string;
  readonly source: ImageSource;
  readonly geometry: DeepZoomGeometry;
  /** Changes whenever the file does (path, size, mtime): the base of cache keys and ETags. */
  readonly identity: string;
  /** Pre-encoded DeepZoom tiles, for images Tessera converted itself. */
  readonly pack?: TilePack;
  /** The slide's stored JPEG tiles, when it is served in their layout (deepzoom/native-layout.ts). */
  readonly native?: NativeTiles;
}

/** Stored JPEG tiles and, per DeepZoom level, how tiles are made from them. */
export interface NativeTiles {
  readonly pyramid: NativeJpegPyramid;
  readonly plans: readonly (NativeLevelPlan | undefined)[];
}

/** Opens the source stored at a storage-relative path. */
export type SourceOpener = (src: string) => Promise<PooledSource>;

interface Entry {
  readonly pooled: PooledSource;
  leases: number;
  evicted: boolean;
  closed: boolean;
}

/** An LRU of open sources with leases, so a source is never closed under a request. */
export class SourcePool {
  private readonly entries = new Map<string, Entry>();
  private readonly opening = new Map<string, Promise<Entry>>();
  private readonly closing = new Set<Promise<void>>();

  constructor(
    private readonly opener: SourceOpener,
    readonly maxOpen: number,
    private readonly onCloseError: (err: unknown, src: string) => void = () => undefined,
  ) {
    if (!Number.isInteger(maxOpen) || maxOpen < 1) throw new RangeError(`bad pool size ${maxOpen}`);
  }

  /** Sources currently open and pooled. */
  get size(): number {
    return this.entries.size;
  }

  /** Runs `fn` with the source for `src` (opened if needed), holding it open until `fn` settles. */
  async use<T>(src: string, fn: (pooled: PooledSource) => Promise<T> | T): Promise<T> {
    const entry = await this.lease(src);
    try {
      return await fn(entry.pooled);
    } catch (err) {
      if (err instanceof SlideError && (err.code === 'read-failed' || err.code === 'open-failed')) {
        this.evict(entry);
      }
      throw err;
    } finally {
      entry.leases--;
      if (entry.evicted) this.closeIfIdle(entry);
    }
  }

  /** Closes every source once its requests are done. */
  async closeAll(): Promise<void> {
    for (const entry of [...this.entries.values()]) this.evict(entry);
    await Promise.all([...this.closing]);
  }

  private async lease(src: string): Promise<Entry> {
    for (;;) {
      const cached = this.entries.get(src);
      const entry = cached ?? (await this.open(src));
      // An entry evicted (and closed) while this request awaited its opening is not usable: take another.
      if (entry.closed) continue;
      if (cached !== undefined) {
        this.entries.delete(src);
        this.entries.set(src, entry);
      }
      entry.leases++;
      return entry;
    }
  }

  private open(src: string): Promise<Entry> {
    let promise = this.opening.get(src);
    if (promise === undefined) {
      promise = this.opener(src)
        .then((pooled) => {
          const entry: Entry = { pooled, leases: 0, evicted: false, closed: false };
          this.entries.set(src, entry);
          this.trim();
          return entry;
        })
        .finally(() => this.opening.delete(src));
      this.opening.set(src, promise);
    }
    return promise;
  }

  private trim(): void {
    for (const entry of this.entries.values()) {
      if (this.entries.size <= this.maxOpen) break;
      this.evict(entry);
    }
  }

  private evict(entry: Entry): void {
    if (this.entries.get(entry.pooled.src) === entry) this.entries.delete(entry.pooled.src);
    entry.evicted = true;
    this.closeIfIdle(entry);
  }

  private closeIfIdle(entry: Entry): void {
    if (entry.leases > 0 || entry.closed) return;
    entry.closed = true;
    const { source, pack, native } = entry.pooled;
    const closing = Promise.all([source.close(), pack?.close(), native?.pyramid.close()])
      .then(() => undefined)
      .catch((err: unknown) => {
        this.onCloseError(err, entry.pooled.src);
      })
      .finally(() => this.closing.delete(closing));
    this.closing.add(closing);
  }
}
