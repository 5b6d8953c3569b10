// The tiler's pixel core: image sources, DeepZoom geometry and tile rendering.
export type {
  AssociatedImageInfo,
  ImageSource,
  RegionRequest,
  RgbImage,
  SourceLevel,
} from './sources/image-source.js';
export { SlideError, type SlideErrorCode } from './sources/slide-error.js';
export {
  MAX_REGION_PIXELS,
  OpenSlideSource,
  detectVendor,
  openSlide,
  openslideVersion,
} from './sources/openslide.js';
export { decodeToRgb, type JpegOptions } from './sources/raster.js';
export {
  DeepZoomGeometry,
  bestLevelForDownsample,
  type DeepZoomOptions,
  type PyramidDescription,
  type TileSpec,
} from './deepzoom/geometry.js';
export { dziXml, type DziDescription, type DziFormat } from './deepzoom/dzi.js';
export { renderTileJpeg, renderTilePixels, type TileAddress } from './tiles/render.js';
