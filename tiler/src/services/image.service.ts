// Everything served for one image under a tiles token: DZI, information, tiles, thumbnails, regions and
// associated images. Encoded results that never change for a file (tiles, thumbnails, associated images)
// are kept in a byte-bounded LRU, and concurrent requests for the same missing one share a single render.
import { Lru } from '../cache/lru.js';
import { Prefetcher } from '../cache/prefetch.js';
import { SingleFlight } from '../cache/single-flight.js';
import type { PooledSource, SourcePool } from '../cache/source-pool.js';
import { bestLevelForDownsample } from '../deepzoom/geometry.js';
import { dziXml } from '../deepzoom/dzi.js';
import { TilerError, notFound } from '../errors/tiler-error.js';
import { MAX_REGION_PIXELS } from '../sources/openslide.js';
import { rgbToJpeg, rgbToPng } from '../sources/raster.js';
import { NativeTileError } from '../sources/native-jpeg.js';
import { renderNativeTile } from '../tiles/native-render.js';
import { renderTileJpeg, type TileAddress } from '../tiles/render.js';
import { slideInformation } from './metadata.js';

/** JPEG quality of served tiles and thumbnails: what EXACT's tile view uses. */
export const TILE_QUALITY = 90;

/** Tile addresses remembered as lately asked for (the prefetch's test of a viewer panning). */
const RECENT_TILES = 4096;

/** Largest side of a thumbnail, and of a region (EXACT's get_patch limit). */
export const MAX_THUMBNAIL_SIZE = 2048;
export const MAX_REGION_SIZE = 2048;

/** An encoded image with the strong ETag that names its content; body null when the client has it. */
export interface Encoded {
  readonly body: Buffer | null;
  readonly etag: string;
}

/** The client's If-None-Match header, when it sent one. */
export type IfNoneMatch = string | undefined;

/** A region request in EXACT's get_patch terms: x, y in level-0 pixels, width x height at `level`. */
export interface RegionQuery {
  readonly x: number;
  readonly y: number;
  readonly level: number;
  readonly width: number;
  readonly height: number;
}

/** How the service works beyond its pool and cache. */
export interface ImageServiceOptions {
  /**
   * Neighbouring tiles waiting to be rendered ahead of a viewer, at most (0: none); only around a tile
   * that cost a decode (not packed, not passed through) and two of whose neighbours were asked for lately,
   * and only while no tile is being rendered for a request.
   */
  readonly prefetchTiles?: number;
  /** A prefetch that failed (the tile is then rendered, or fails again, when asked for). */
  readonly onPrefetchError?: (err: unknown, key: string) => void;
}

/** Serves the pixels of pooled sources, with an encoded-image cache. */
export class ImageService {
  private readonly cache: Lru<Buffer>;
  private readonly renders = new SingleFlight<Buffer>();
  private readonly lookups = { hits: 0, misses: 0 };
  private readonly prefetcher: Prefetcher;
  /** Renders for requests in progress: prefetching waits while there are any. */
  private foregroundRenders = 0;
  /** Tiles asked for lately (keys), to tell a viewer's coherent requests from scattered ones. */
  private readonly recentTiles = new Lru<true>({ maxWeight: RECENT_TILES });

  constructor(
    private readonly pool: SourcePool,
    cacheBytes: number,
    options: ImageServiceOptions = {},
  ) {
    this.cache = new Lru<Buffer>({ maxWeight: cacheBytes, weigh: (body) => body.length });
    this.prefetcher = new Prefetcher({
      maxQueued: options.prefetchTiles ?? 0,
      busy: () => this.foregroundRenders > 0,
      ...(options.onPrefetchError ? { onError: options.onPrefetchError } : {}),
    });
  }

  /** Prefetched tiles: waiting, being rendered, started since start, dropped from the full queue. */
  get prefetch(): {
    readonly queued: number;
    readonly running: number;
    readonly started: number;
    readonly dropped: number;
  } {
    return { queued: this.prefetcher.queued, ...this.prefetcher.counts };
  }

  /** Stops prefetching: drops waiting tiles and settles once the one being rendered is done. */
  close(): Promise<void> {
    return this.prefetcher.close();
  }

  /** Lookups in the encoded-image cache since start: answered from memory, or rendered (or joined). */
  get cacheLookups(): { readonly hits: number; readonly misses: number } {
    return { ...this.lookups };
  }

  /** Bytes held by the encoded-image cache. */
  get cachedBytes(): number {
    return this.cache.weight;
  }

  /** The DZI descriptor in the slide's layout (254-px tiles and 1-px overlap, or the native grid). */
  dzi(src: string, ifNoneMatch: IfNoneMatch): Promise<Encoded> {
    return this.pool.use(src, (pooled) =>
      this.cached(pooled, 'dzi', ifNoneMatch, () => {
        const [width, height] = pooled.geometry.dimensions;
        const { tileSize, overlap } = pooled.geometry;
        return Promise.resolve(Buffer.from(dziXml({ width, height, tileSize, overlap }), 'utf8'));
      }),
    );
  }

  /** EXACT's slide_information, as JSON. */
  info(src: string, ifNoneMatch: IfNoneMatch): Promise<Encoded> {
    return this.pool.use(src, (pooled) =>
      this.cached(pooled, 'info', ifNoneMatch, () =>
        Promise.resolve(
          Buffer.from(JSON.stringify(slideInformation(pooled.source, pooled.geometry)), 'utf8'),
        ),
      ),
    );
  }

  /**
   * One DeepZoom tile as JPEG; 404 outside the pyramid. A tile that had to be decoded, asked for beside
   * others (a viewer's view), queues its neighbours (and the tiles under it one level up) for prefetching.
   */
  tile(src: string, address: TileAddress, ifNoneMatch: IfNoneMatch): Promise<Encoded> {
    return this.pool.use(src, (pooled) => {
      const { level, col, row } = address;
      if (!pooled.geometry.hasTile(level, col, row)) throw notFound();
      this.recentTiles.set(`${pooled.identity}/${tileName(address)}`, true);
      return this.cached(pooled, tileName(address), ifNoneMatch, async () => {
        this.foregroundRenders++;
        try {
          return await renderTile(pooled, address);
        } finally {
          this.foregroundRenders--;
          if (decodes(pooled, level) && this.nearRecent(pooled, address)) {
            this.prefetchAround(pooled, address);
          }
          if (this.foregroundRenders === 0) this.prefetcher.resume();
        }
      });
    });
  }

  // Whether at least two of the tile's neighbours were asked for lately: a viewer's view (tiles side by
  // side), not a scattered reader (an analysis job, a shuffled benchmark), whose neighbours would be waste.
  private nearRecent(pooled: PooledSource, { level, col, row }: TileAddress): boolean {
    let near = 0;
    for (let dr = -1; dr <= 1; dr++) {
      for (let dc = -1; dc <= 1; dc++) {
        const name = tileName({ level, col: col + dc, row: row + dr });
        if ((dc !== 0 || dr !== 0) && this.recentTiles.has(`${pooled.identity}/${name}`)) near++;
      }
    }
    return near >= 2;
  }

  // Children first, so the neighbours (queued last) are rendered first: panning is more common than zooming.
  private prefetchAround(pooled: PooledSource, { level, col, row }: TileAddress): void {
    const candidates: TileAddress[] = [];
    for (const [dc, dr] of [0, 1].flatMap((x) => [0, 1].map((y) => [x, y] as const))) {
      candidates.push({ level: level + 1, col: col * 2 + dc, row: row * 2 + dr });
    }
    for (let dr = -1; dr <= 1; dr++) {
      for (let dc = -1; dc <= 1; dc++) {
        if (dc !== 0 || dr !== 0) candidates.push({ level, col: col + dc, row: row + dr });
      }
    }
    const { src, identity, geometry } = pooled;
    for (const address of candidates) {
      const key = `${identity}/${tileName(address)}`;
      if (!geometry.hasTile(address.level, address.col, address.row) || !decodes(pooled, address.level)) {
        continue;
      }
      if (this.cache.has(key)) continue;
      this.prefetcher.add(key, async () => {
        await this.pool.use(src, async (current) => {
          const now = `${current.identity}/${tileName(address)}`;
          if (!this.cache.has(now)) await this.fill(now, () => renderTile(current, address));
        });
      });
    }
  }

  /** A JPEG thumbnail whose longest side is `size` (never enlarged), like OpenSlide's get_thumbnail. */
  thumbnail(src: string, size: number, ifNoneMatch: IfNoneMatch): Promise<Encoded> {
    return this.pool.use(src, (pooled) =>
      this.cached(pooled, `thumb${size}`, ifNoneMatch, async () => {
        const { levels } = pooled.source;
        const [width, height] = pooled.geometry.dimensions;
        const scale = Math.min(1, size / Math.max(width, height));
        const target = [
          Math.max(1, Math.round(width * scale)),
          Math.max(1, Math.round(height * scale)),
        ] as const;
        const level = bestLevelForDownsample(levels, Math.max(width / target[0], height / target[1]));
        const read = levels[level] ?? { width, height };
        if (read.width * read.height > MAX_REGION_PIXELS) return storedThumbnail(pooled, size);
        const region = await pooled.source.readRegion({
          x: 0,
          y: 0,
          level,
          width: read.width,
          height: read.height,
        });
        return rgbToJpeg(region, target[0], target[1], { quality: TILE_QUALITY });
      }),
    );
  }

  /** A region as PNG (not cached: analysis code asks for each region once). */
  region(src: string, query: RegionQuery): Promise<Encoded> {
    return this.pool.use(src, async ({ source, identity }) => {
      if (query.level >= source.levels.length) {
        throw new TilerError('bad-request', `level must be below ${source.levels.length}`);
      }
      const region = await source.readRegion(query);
      const { x, y, level, width, height } = query;
      return { body: await rgbToPng(region), etag: etag(identity, `r${level}/${x},${y},${width}x${height}`) };
    });
  }

  /** An associated image (label, macro, thumbnail) as JPEG; 404 when the file has none of that name. */
  associated(src: string, name: string, ifNoneMatch: IfNoneMatch): Promise<Encoded> {
    return this.pool.use(src, (pooled) => {
      if (!pooled.source.associatedImages.some((image) => image.name === name)) throw notFound();
      return this.cached(pooled, `a/${name}`, ifNoneMatch, async () => {
        const image = await pooled.source.readAssociatedImage(name);
        return rgbToJpeg(image, image.width, image.height, { quality: TILE_QUALITY });
      });
    });
  }

  // Answers from the client's copy (ETag match), then from the cache, then from one shared render.
  private async cached(
    pooled: PooledSource,
    name: string,
    ifNoneMatch: IfNoneMatch,
    render: () => Promise<Buffer>,
  ): Promise<Encoded> {
    const tag = etag(pooled.identity, name);
    if (ifNoneMatch !== undefined && etagMatches(ifNoneMatch, tag)) return { body: null, etag: tag };
    const key = `${pooled.identity}/${name}`;
    const hit = this.cache.get(key);
    if (hit !== undefined) {
      this.lookups.hits++;
      return { body: hit, etag: tag };
    }
    this.lookups.misses++;
    return { body: await this.fill(key, render), etag: tag };
  }

  // Renders `key` once however many ask at the same time, and keeps it.
  private fill(key: string, render: () => Promise<Buffer>): Promise<Buffer> {
    return this.renders.run(key, async () => {
      const rendered = await render();
      this.cache.set(key, rendered);
      return rendered;
    });
  }
}

function tileName({ level, col, row }: TileAddress): string {
  return `t${level}/${col}_${row}`;
}

// A tile from the pack, the stored JPEG tiles or the source, the first that has it.
async function renderTile(pooled: PooledSource, address: TileAddress): Promise<Buffer> {
  const packed = await pooled.pack?.read(address.level, address.col, address.row);
  if (packed !== undefined) return packed;
  const native = await nativeTile(pooled, address);
  return native ?? renderTileJpeg(pooled.source, pooled.geometry, address, { quality: TILE_QUALITY });
}

// Whether a tile of `level` costs a decode: not packed and not a stored tile passed through.
function decodes(pooled: PooledSource, level: number): boolean {
  if (pooled.pack !== undefined) return false;
  return pooled.native?.plans[level]?.shrink !== 1;
}

// A tile made from the slide's stored JPEG tiles, when its level has a plan; null: render it as usual.
async function nativeTile(pooled: PooledSource, address: TileAddress): Promise<Buffer | null> {
  const plan = pooled.native?.plans[address.level];
  if (pooled.native === undefined || plan === undefined) return null;
  try {
    return await renderNativeTile(pooled.native.pyramid, pooled.geometry, plan, address, {
      quality: TILE_QUALITY,
    });
  } catch (err) {
    if (err instanceof NativeTileError) throw new TilerError('unprocessable', err.message);
    throw err;
  }
}

// A huge single-level image has no level small enough to read whole: use the thumbnail the scanner stored.
async function storedThumbnail(pooled: PooledSource, size: number): Promise<Buffer> {
  if (!pooled.source.associatedImages.some((image) => image.name === 'thumbnail')) {
    throw new TilerError('unprocessable', 'the image has no level small enough for a thumbnail');
  }
  const stored = await pooled.source.readAssociatedImage('thumbnail');
  const fit = Math.min(1, size / Math.max(stored.width, stored.height));
  const width = Math.max(1, Math.round(stored.width * fit));
  const height = Math.max(1, Math.round(stored.height * fit));
  return rgbToJpeg(stored, width, height, { quality: TILE_QUALITY });
}

// Strong: the identity hashes the file's path, size and mtime and the render version, and the name is the
// address, so equal ETags mean equal bytes. Encoded to stay a valid header value for any associated name.
function etag(identity: string, name: string): string {
  return `"${identity}-${Buffer.from(name, 'utf8').toString('base64url')}"`;
}

/** Whether an If-None-Match header (a list, possibly weak, or '*') names `tag`. */
export function etagMatches(header: string, tag: string): boolean {
  if (header === tag || header.trim() === '*') return true;
  return header.split(',').some((part) => {
    const candidate = part.trim();
    return (candidate.startsWith('W/') ? candidate.slice(2) : candidate) === tag;
  });
}
