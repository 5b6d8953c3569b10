// The tiler package: tile tokens (imported by the server), image sources, DeepZoom geometry, tile
// rendering and the HTTP server.
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
export {
  TILE_TOKEN_SCOPES,
  isSafeRelativePath,
  signTileToken,
  verifyTileToken,
  type TileTokenFailure,
  type TileTokenPayload,
  type TileTokenResult,
  type TileTokenScope,
} from './access/tile-token.js';
export { parseTilerConfig, type ConfigResult, type TilerConfig } from './config.js';
export { createTilerServer, type TilerServer, type TilerServerOptions } from './http/server.js';
export type { InspectResult } from './services/inspect.service.js';
export type { SystemLibrary } from './services/system-libraries.js';
export type { ImageMetadata } from './services/metadata.js';
