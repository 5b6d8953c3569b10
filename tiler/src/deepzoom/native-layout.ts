// Which DeepZoom layout a slide is served in, and how each DeepZoom level is made in the native layout.
//
// Slides small enough for a tile pack keep openslide-python's layout (254-px tiles, 1-px overlap): every
// tile is rendered once at ingest. Larger slides whose levels are stored as JPEG tiles are served in the
// file's own grid instead (tile size = the native tile size, no overlap), so a DeepZoom tile of a native
// level IS a stored tile (passed through, no decoding) and a level between native ones is assembled from
// 2 x 2 stored tiles decoded, joined and scaled down once.
import { DeepZoomGeometry, type PyramidDescription } from './geometry.js';

/** Largest scanner slide (in DeepZoom tiles, default layout) whose tiles are all rendered at ingest. */
export const PACK_MAX_TILES = 20_000;

/** Native tile sizes served as they are; outside this, tiles are too small to be worth it or too big. */
const NATIVE_TILE_MIN = 128;
const NATIVE_TILE_MAX = 1024;

/**
 * Passthrough, or one level down from stored tiles (2 x 2 stored tiles per tile). Further down (below the
 * slide's smallest level) each tile would need 16 or 64 stored tiles, and OpenSlide reading its smallest
 * level is faster there (measured: 98 ms against 106 ms at 1/4, 336 ms against 56 ms at 1/8).
 */
const SHRINKS = [1, 2] as const;

/** The JPEG-tiled levels a slide stores (see sources/native-jpeg.ts), as far as the layout cares. */
export interface NativeLevelShape {
  readonly sourceLevel: number;
  readonly width: number;
  readonly height: number;
  readonly tileWidth: number;
  readonly tileHeight: number;
}

/** How one DeepZoom level is made from a native level: shrink 1 is passthrough. */
export interface NativeLevelPlan {
  readonly sourceLevel: number;
  readonly shrink: (typeof SHRINKS)[number];
}

/** The layout a slide is served in. */
export interface TileLayout {
  readonly geometry: DeepZoomGeometry;
  /** Per DeepZoom level, how it is made from native tiles; undefined: rendered through the source. */
  readonly plans: readonly (NativeLevelPlan | undefined)[];
}

/**
 * Chooses the layout: the native one when the slide is too large for a tile pack and its full-resolution
 * level is stored as square JPEG tiles of a sensible size; openslide-python's otherwise.
 */
export function chooseLayout(
  pyramid: PyramidDescription,
  native: readonly NativeLevelShape[],
  packMaxTiles = PACK_MAX_TILES,
): TileLayout {
  const standard = new DeepZoomGeometry(pyramid);
  const base = native.find((level) => level.sourceLevel === 0);
  if (
    base === undefined ||
    standard.tileCount <= packMaxTiles ||
    base.tileWidth !== base.tileHeight ||
    base.tileWidth < NATIVE_TILE_MIN ||
    base.tileWidth > NATIVE_TILE_MAX
  ) {
    return { geometry: standard, plans: [] };
  }
  const geometry = new DeepZoomGeometry(pyramid, { tileSize: base.tileWidth, overlap: 0 });
  return { geometry, plans: nativePlans(geometry, native) };
}

/**
 * For each DeepZoom level of `geometry` (overlap 0), the closest native level at most 2x finer whose
 * size is the DeepZoom level's size times the shrink (see fits) and whose tiles are the DeepZoom tile size.
 */
export function nativePlans(
  geometry: DeepZoomGeometry,
  native: readonly NativeLevelShape[],
): (NativeLevelPlan | undefined)[] {
  const size = geometry.tileSize;
  const usable = native.filter((level) => level.tileWidth === size && level.tileHeight === size);
  return geometry.levelDimensions.map((_, dz) => {
    for (const [step, shrink] of SHRINKS.entries()) {
      const finer = geometry.levelDimensions[dz + step];
      if (finer === undefined || size % shrink !== 0) return undefined;
      const match = usable.find((level) => fits(level.width, finer[0]) && fits(level.height, finer[1]));
      if (match !== undefined) return { sourceLevel: match.sourceLevel, shrink };
    }
    return undefined;
  });
}

// DeepZoom rounds level sizes up (33,014 / 4 -> 8,254); scanners often round down (Aperio: 8,253). Such a
// level is still the same pixel grid: only the DeepZoom level's last pixel row or column lies beyond the
// stored data (its edge tiles show the stored tile's padding there; a tile wholly beyond goes to OpenSlide).
function fits(stored: number, deepZoom: number): boolean {
  return stored === deepZoom || stored === deepZoom - 1;
}
