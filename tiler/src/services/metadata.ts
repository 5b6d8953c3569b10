// What clients learn about an image: the shape of its pyramid and the few properties EXACT stores
// (resolution, objective power), plus all of OpenSlide's properties for the curious.
import type { DeepZoomGeometry } from '../deepzoom/geometry.js';
import type { ImageSource } from '../sources/image-source.js';

/** Image metadata as /v1/inspect answers it. */
export interface ImageMetadata {
  readonly vendor: string;
  readonly width: number;
  readonly height: number;
  readonly levels: readonly { width: number; height: number; downsample: number }[];
  /** Micrometres per pixel, or null when the file does not say. */
  readonly mppX: number | null;
  readonly mppY: number | null;
  readonly objectivePower: number | null;
  readonly associatedImages: readonly string[];
  readonly properties: Readonly<Record<string, string>>;
}

/** Describes an open source. */
export function describeSource(source: ImageSource): ImageMetadata {
  const base = source.levels[0];
  return {
    vendor: source.vendor,
    width: base?.width ?? 0,
    height: base?.height ?? 0,
    levels: source.levels.map(({ width, height, downsample }) => ({ width, height, downsample })),
    mppX: positiveNumber(source.properties.get('openslide.mpp-x')),
    mppY: positiveNumber(source.properties.get('openslide.mpp-y')),
    objectivePower: positiveNumber(source.properties.get('openslide.objective-power')),
    associatedImages: source.associatedImages.map((image) => image.name),
    properties: Object.fromEntries(source.properties),
  };
}

/**
 * EXACT's slide_information, plus what a viewer needs. `level_dimensions` and `level_downsamples` are the
 * source's own levels (OpenSlide's lists); `level_tiles` and `levels` are DeepZoom's (columns x rows per
 * DeepZoom level, and the number of DeepZoom levels), because EXACT clients index `level_tiles` by the
 * DeepZoom level of the tile URL (its own load test does exactly that).
 */
export function slideInformation(source: ImageSource, geometry: DeepZoomGeometry): Record<string, unknown> {
  const meta = describeSource(source);
  return {
    vendor: meta.vendor,
    width: meta.width,
    height: meta.height,
    mpp: meta.mppX !== null && meta.mppY !== null ? (meta.mppX + meta.mppY) / 2 : 0,
    mppX: meta.mppX,
    mppY: meta.mppY,
    objectivePower: meta.objectivePower,
    level_dimensions: meta.levels.map((level) => [level.width, level.height]),
    level_downsamples: meta.levels.map((level) => level.downsample),
    level_tiles: geometry.levelTiles,
    levels: geometry.levelCount,
    deepzoom: {
      tile_size: geometry.tileSize,
      overlap: geometry.overlap,
      level_dimensions: geometry.levelDimensions,
    },
    associated_images: meta.associatedImages,
  };
}

function positiveNumber(raw: string | undefined): number | null {
  if (raw === undefined) return null;
  const value = Number(raw);
  return Number.isFinite(value) && value > 0 ? value : null;
}
