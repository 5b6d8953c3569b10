// Opens a storage-relative path for the source pool (ordinary images were converted to pyramidal TIFF at
// inspect time; see open-image.ts for the reader), with an identity that changes when the file does.
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { resolveInStorage } from '../access/storage-path.js';
import type { NativeTiles, PooledSource, SourceOpener } from '../cache/source-pool.js';
import { DeepZoomGeometry } from '../deepzoom/geometry.js';
import { chooseLayout, PACK_MAX_TILES, type TileLayout } from '../deepzoom/native-layout.js';
import { notFound } from '../errors/tiler-error.js';
import { existsSync } from 'node:fs';
import { tilePackPath } from '../sources/convert.js';
import type { ImageSource } from '../sources/image-source.js';
import { NativeJpegPyramid } from '../sources/native-jpeg.js';
import { openImageSource } from '../sources/open-image.js';
import { TilePack } from '../sources/tile-pack.js';
import { SlideError } from '../sources/slide-error.js';

/** Bump when rendering changes (quality, filter), so cached tiles and ETags from before are not reused. */
export const RENDER_VERSION = 2;

/**
 * The tile pack beside a converted pyramid, if there is one and it matches the geometry (same level
 * count and full-resolution tiles); otherwise tiles are rendered from the pyramid as usual.
 */
async function openPackFor(path: string, geometry: DeepZoomGeometry): Promise<TilePack | undefined> {
  const packPath = tilePackPath(path);
  if (!existsSync(packPath)) return undefined;
  const pack = await TilePack.open(packPath).catch(() => undefined);
  if (!pack) return undefined;
  const top = geometry.levelCount - 1;
  const [cols, rows] = geometry.levelTiles[top] ?? [0, 0];
  if (pack.maxLevel !== top || (await pack.read(top, cols - 1, rows - 1)) === undefined) {
    await pack.close();
    return undefined;
  }
  return pack;
}

/** How the opener lays slides out; tests lower the tile-pack limit to reach the native layout. */
export interface OpenerOptions {
  /** Slides with more DeepZoom tiles than this (default layout) are served in their native layout. */
  readonly packMaxTiles?: number;
}

/**
 * The slide's layout (deepzoom/native-layout.ts) and, in the native layout, its stored tiles; the
 * stored tiles are closed again when the slide keeps openslide-python's layout.
 */
async function layoutFor(
  path: string,
  source: ImageSource,
  packMaxTiles: number,
): Promise<{ layout: TileLayout; native?: NativeTiles }> {
  const pyramid = await NativeJpegPyramid.open(path, source);
  const layout = chooseLayout(source, pyramid?.levels ?? [], packMaxTiles);
  if (pyramid === undefined) return { layout };
  if (!layout.plans.some((plan) => plan !== undefined)) {
    await pyramid.close();
    return { layout };
  }
  return { layout, native: { pyramid, plans: layout.plans } };
}

/** A SourceOpener for files under `storageRoot`; a missing file is a 404. */
export function storageSourceOpener(storageRoot: string, options: OpenerOptions = {}): SourceOpener {
  const packMaxTiles = options.packMaxTiles ?? PACK_MAX_TILES;
  return async (src: string): Promise<PooledSource> => {
    const path = resolveInStorage(storageRoot, src);
    if (path === null) throw notFound();
    const info = await stat(path).catch(() => null);
    if (info?.isFile() !== true) throw notFound();
    const source = await openImageSource(path);
    let geometry: DeepZoomGeometry;
    let native: NativeTiles | undefined;
    let pack: TilePack | undefined;
    try {
      // A tile pack (every tile ready, in openslide-python's layout) wins over any other layout.
      geometry = new DeepZoomGeometry(source);
      pack = await openPackFor(path, geometry);
      if (pack === undefined) {
        const chosen = await layoutFor(path, source, packMaxTiles);
        geometry = chosen.layout.geometry;
        native = chosen.native;
      }
    } catch (err) {
      await Promise.all([source.close(), pack?.close()]);
      throw new SlideError('open-failed', err instanceof Error ? err.message : String(err), path);
    }
    // The layout is part of the identity: a slide that moves to its native layout has other tiles at the
    // same addresses, so its ETags change; slides in openslide-python's layout keep theirs.
    const layout = native === undefined ? '' : `\0native ${geometry.tileSize}`;
    const identity = createHash('sha256')
      .update(`${RENDER_VERSION}\0${src}\0${info.size}\0${info.mtimeMs}${layout}`)
      .digest('base64url')
      .slice(0, 22);
    return { src, source, geometry, identity, ...(pack ? { pack } : {}), ...(native ? { native } : {}) };
  };
}
