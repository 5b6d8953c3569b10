// DeepZoom tiles of the native layout (deepzoom/native-layout.ts) made from a slide's stored JPEG tiles:
// a tile of a native level is the stored tile itself (edge tiles cropped to the DeepZoom size); a tile of
// a level between native ones is assembled from the stored tiles it covers, decoded at half size (JPEG's
// DCT-domain scaling, sources/vips-shrink.ffi.ts; else decoded whole and scaled with Lanczos 3).
import type { DeepZoomGeometry } from '../deepzoom/geometry.js';
import type { NativeLevelPlan } from '../deepzoom/native-layout.js';
import { NativeTileError, type NativeJpegPyramid } from '../sources/native-jpeg.js';
import { cropJpeg, joinedToJpeg, rgbToJpeg, type JpegOptions } from '../sources/raster.js';
import { decodeJoinedShrunk, shrinkOnLoadAvailable } from '../sources/vips-shrink.ffi.js';
import type { TileAddress } from './render.js';

/**
 * The tile at `address` made from native tiles as `plan` says; null when a stored tile it needs is
 * missing (sparse files), so the caller renders it through OpenSlide, which paints the background there.
 * Throws NativeTileError when a stored tile is damaged.
 */
export async function renderNativeTile(
  pyramid: NativeJpegPyramid,
  geometry: DeepZoomGeometry,
  plan: NativeLevelPlan,
  { level, col, row }: TileAddress,
  options: JpegOptions = {},
): Promise<Buffer | null> {
  const native = pyramid.level(plan.sourceLevel);
  const [levelWidth, levelHeight] = geometry.levelDimensions[level] ?? [0, 0];
  if (native === undefined || geometry.overlap !== 0 || !geometry.hasTile(level, col, row)) {
    throw new RangeError(`no native tile ${col}_${row} at DeepZoom level ${level}`);
  }
  const size = geometry.tileSize;
  const width = Math.min(size, levelWidth - col * size);
  const height = Math.min(size, levelHeight - row * size);

  // A stored level one pixel short of the DeepZoom level (see native-layout.ts) can lack a last column or
  // row of tiles that DeepZoom has: those come from OpenSlide.
  if (col * plan.shrink >= native.cols || row * plan.shrink >= native.rows) return null;
  if (plan.shrink === 1) {
    const stored = await pyramid.readTile(plan.sourceLevel, col, row);
    if (stored === null || (width === size && height === size)) return stored;
    return decoding(`edge tile ${col}_${row} of level ${level}`, cropJpeg(stored, width, height, options));
  }

  // The native pixels this tile covers, and the stored tiles holding them.
  const { shrink } = plan;
  const region = {
    width: Math.min(size * shrink, native.width - col * size * shrink),
    height: Math.min(size * shrink, native.height - row * size * shrink),
  };
  const firstCol = col * shrink;
  const firstRow = row * shrink;
  const lastCol = Math.min(native.cols, firstCol + shrink) - 1;
  const lastRow = Math.min(native.rows, firstRow + shrink) - 1;
  const reads: Promise<Buffer | null>[] = [];
  for (let r = firstRow; r <= lastRow; r++) {
    for (let c = firstCol; c <= lastCol; c++) reads.push(pyramid.readTile(plan.sourceLevel, c, r));
  }
  const stored = await Promise.all(reads);
  const tiles = stored.filter((tile) => tile !== null);
  if (tiles.length < stored.length) return null;
  const across = lastCol - firstCol + 1;
  const what = `tile ${col}_${row} of level ${level}`;
  if (!shrinkOnLoadAvailable()) {
    return decoding(what, joinedToJpeg(tiles, across, region, { width, height }, options));
  }
  const pixels = await decoding(what, decodeJoinedShrunk(tiles, across, shrink, width, height));
  return rgbToJpeg(pixels, width, height, options);
}

// A stored tile that passed the header check can still hold damaged entropy-coded data: libvips then
// fails, and the client learns which tile of the slide is damaged.
async function decoding<T>(what: string, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    throw new NativeTileError(
      `the slide's stored JPEG data for ${what} cannot be decoded: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}
