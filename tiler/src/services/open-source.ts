// Opens a storage-relative path for the source pool (ordinary images were converted to pyramidal TIFF at
// inspect time; see open-image.ts for the reader), with an identity that changes when the file does.
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { resolveInStorage } from '../access/storage-path.js';
import type { PooledSource, SourceOpener } from '../cache/source-pool.js';
import { DeepZoomGeometry } from '../deepzoom/geometry.js';
import { notFound } from '../errors/tiler-error.js';
import { existsSync } from 'node:fs';
import { tilePackPath } from '../sources/convert.js';
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

/** A SourceOpener for files under `storageRoot`; a missing file is a 404. */
export function storageSourceOpener(storageRoot: string): SourceOpener {
  return async (src: string): Promise<PooledSource> => {
    const path = resolveInStorage(storageRoot, src);
    if (path === null) throw notFound();
    const info = await stat(path).catch(() => null);
    if (info?.isFile() !== true) throw notFound();
    const source = await openImageSource(path);
    let geometry: DeepZoomGeometry;
    try {
      geometry = new DeepZoomGeometry(source);
    } catch (err) {
      await source.close();
      throw new SlideError('open-failed', err instanceof Error ? err.message : String(err), path);
    }
    const pack = await openPackFor(path, geometry);
    const identity = createHash('sha256')
      .update(`${RENDER_VERSION}\0${src}\0${info.size}\0${info.mtimeMs}`)
      .digest('base64url')
      .slice(0, 22);
    return pack ? { src, source, geometry, identity, pack } : { src, source, geometry, identity };
  };
}
