// Renders one DeepZoom tile from any image source: read the tile's region, scale it to the tile size,
// encode. The same steps as openslide-python's DeepZoomGenerator.get_tile plus deepzoom_server's save.
import type { DeepZoomGeometry } from '../deepzoom/geometry.js';
import type { ImageSource, RgbImage } from '../sources/image-source.js';
import { resizeRgb, rgbToJpeg, type JpegOptions } from '../sources/raster.js';

/** A tile address in a DeepZoom pyramid. */
export interface TileAddress {
  readonly level: number;
  readonly col: number;
  readonly row: number;
}

/** Raw RGB pixels of one tile, already scaled to its DeepZoom size (useful for tests and mosaics). */
export async function renderTilePixels(
  source: ImageSource,
  geometry: DeepZoomGeometry,
  { level, col, row }: TileAddress,
): Promise<RgbImage> {
  const spec = geometry.tile(level, col, row);
  const region = await source.readRegion(spec.region);
  return resizeRgb(region, spec.width, spec.height);
}

/** One tile as JPEG (quality 75 unless told), exactly the tile size the DZI geometry promises. */
export async function renderTileJpeg(
  source: ImageSource,
  geometry: DeepZoomGeometry,
  { level, col, row }: TileAddress,
  options: JpegOptions = {},
): Promise<Buffer> {
  const spec = geometry.tile(level, col, row);
  const region = await source.readRegion(spec.region);
  return rgbToJpeg(region, spec.width, spec.height, options);
}
