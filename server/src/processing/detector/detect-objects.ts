import { connectedComponents, simplifyPolygon, traceOutline } from '@tessera/shared';
import { openMask, squareFilter } from '../vision/morphology.js';
import { colourDensity, haematoxylinDensity, totalDensity } from '../vision/stain.js';
import type { Located } from '../vision/tiling.js';

/**
 * The vision functions the detector calls, passed in rather than imported: the worker threads run
 * the detector from its source text, where only these names (declared beside it) exist.
 */
export const VISION = {
  totalDensity,
  colourDensity,
  haematoxylinDensity,
  squareFilter,
  openMask,
  connectedComponents,
  traceOutline,
  simplifyPolygon,
};
export type Vision = typeof VISION;

/**
 * What the detector measures per pixel: how coloured it is (whole stained cells), all stain
 * together, or haematoxylin alone (nuclei).
 */
export type DensityChannel = 'colour' | 'total' | 'haematoxylin';

/** One tile's detection parameters, in the tile's own (possibly downsampled) pixels. */
export interface DetectOptions {
  readonly channel: DensityChannel;
  readonly threshold: number;
  readonly openingRadius: number;
  readonly minArea: number;
  readonly maxArea: number;
  readonly polygons: boolean;
  readonly simplifyTolerance: number;
}

/** An object found in a tile, in the tile's pixels: box (x2, y2 exclusive), centroid, size, score, outline. */
export interface Detection extends Located {
  readonly area: number;
  /** 1 - threshold / mean density: how far above the threshold the object stands, 0..1. */
  readonly score: number;
  /** Flat [x0, y0, x1, y1, ...] outline corners, or null when only boxes were asked for. */
  readonly polygon: number[] | null;
}

/** The density channel of packed RGB pixels. */
export function densityOf(rgb: Uint8Array, pixels: number, channel: DensityChannel): Float32Array {
  if (channel === 'haematoxylin') return haematoxylinDensity(rgb, pixels);
  return channel === 'colour' ? colourDensity(rgb, pixels) : totalDensity(rgb, pixels);
}

/**
 * Detects stained objects in one tile: density above the threshold, an opening against specks and
 * thin bridges, 8-connected components, a size filter. Uses nothing but its arguments (it is part of
 * the detector worker's source).
 */
export function detectObjects(
  rgb: Uint8Array,
  width: number,
  height: number,
  options: DetectOptions,
  vision: Vision,
): Detection[] {
  const pixels = width * height;
  const values =
    options.channel === 'haematoxylin'
      ? vision.haematoxylinDensity(rgb, pixels)
      : options.channel === 'colour'
        ? vision.colourDensity(rgb, pixels)
        : vision.totalDensity(rgb, pixels);
  const mask = new Uint8Array(width * height);
  for (let i = 0; i < mask.length; i++) mask[i] = (values[i] ?? 0) > options.threshold ? 1 : 0;
  const opened = vision.openMask(mask, width, height, options.openingRadius);
  const { labels, components } = vision.connectedComponents(opened, values, width, height);
  const found: Detection[] = [];
  for (const c of components) {
    if (c.area < options.minArea || c.area > options.maxArea) continue;
    const outline = options.polygons
      ? vision.simplifyPolygon(
          vision.traceOutline(labels, width, height, c.label, c.first),
          options.simplifyTolerance,
        )
      : null;
    found.push({
      ...c.box,
      area: c.area,
      score: Math.max(0, Math.min(1, 1 - options.threshold / c.mean)),
      polygon: outline,
    });
  }
  return found;
}
