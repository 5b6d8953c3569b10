// DeepZoom geometry, computed exactly as openslide-python 1.2's DeepZoomGenerator does (same operations
// in the same order, so the floating-point results match bit for bit). Four coordinate planes: tile
// col/row (t), pixels of a DeepZoom level (z), pixels of the source level read (l), level-0 pixels (l0).
import type { RegionRequest, SourceLevel } from '../sources/image-source.js';

/** DeepZoom parameters; defaults are openslide-python's (254-px tiles, 1-px overlap, whole image). */
export interface DeepZoomOptions {
  readonly tileSize?: number;
  readonly overlap?: number;
  /** Render only the scanned area named by the `openslide.bounds-*` properties. */
  readonly limitBounds?: boolean;
}

/** What the pyramid looks like: the source's levels and its properties (for bounds). */
export interface PyramidDescription {
  readonly levels: readonly SourceLevel[];
  readonly properties: ReadonlyMap<string, string>;
}

/** One DeepZoom tile: the region to read from the source and the size the tile is scaled to. */
export interface TileSpec {
  readonly region: RegionRequest;
  readonly width: number;
  readonly height: number;
}

type Pair = readonly [number, number];

/** Mirrors openslide_get_best_level_for_downsample (3.4.1): the deepest level not above `downsample`. */
export function bestLevelForDownsample(levels: readonly SourceLevel[], downsample: number): number {
  const first = levels[0];
  if (first === undefined || downsample < first.downsample) return 0;
  for (let i = 1; i < levels.length; i++) {
    if (downsample < (levels[i]?.downsample ?? Infinity)) return i - 1;
  }
  return levels.length - 1;
}

/** The DeepZoom pyramid over a source: level sizes, tile grids, and where each tile's pixels come from. */
export class DeepZoomGeometry {
  readonly tileSize: number;
  readonly overlap: number;
  readonly limitBounds: boolean;
  /** DeepZoom level sizes, level 0 = 1x1 up to full size; [width, height]. */
  readonly levelDimensions: readonly Pair[];
  /** Tile grid of each DeepZoom level; [columns, rows]. */
  readonly levelTiles: readonly Pair[];
  /** The source level each DeepZoom level reads from. */
  readonly sourceLevels: readonly number[];
  private readonly l0Offset: Pair;
  private readonly lDimensions: readonly Pair[];
  private readonly l0LDownsamples: readonly number[];
  private readonly lZDownsamples: readonly number[];

  constructor(pyramid: PyramidDescription, options: DeepZoomOptions = {}) {
    this.tileSize = options.tileSize ?? 254;
    this.overlap = options.overlap ?? 1;
    this.limitBounds = options.limitBounds ?? false;
    const { levels, properties } = pyramid;
    const base = levels[0];
    if (base === undefined) throw new RangeError('a pyramid needs at least one level');
    if (
      !Number.isInteger(this.tileSize) ||
      this.tileSize < 1 ||
      !Number.isInteger(this.overlap) ||
      this.overlap < 0
    ) {
      throw new RangeError(`bad tile size ${this.tileSize} or overlap ${this.overlap}`);
    }

    if (this.limitBounds) {
      this.l0Offset = [
        intProperty(properties, 'openslide.bounds-x', 0),
        intProperty(properties, 'openslide.bounds-y', 0),
      ];
      const scale: Pair = [
        intProperty(properties, 'openslide.bounds-width', base.width) / base.width,
        intProperty(properties, 'openslide.bounds-height', base.height) / base.height,
      ];
      this.lDimensions = levels.map(
        (l) => [Math.ceil(l.width * scale[0]), Math.ceil(l.height * scale[1])] as const,
      );
    } else {
      this.l0Offset = [0, 0];
      this.lDimensions = levels.map((l) => [l.width, l.height] as const);
    }

    let zSize = this.lDimensions[0] ?? [1, 1];
    const zDimensions: Pair[] = [zSize];
    while (zSize[0] > 1 || zSize[1] > 1) {
      zSize = [Math.max(1, Math.ceil(zSize[0] / 2)), Math.max(1, Math.ceil(zSize[1] / 2))];
      zDimensions.push(zSize);
    }
    this.levelDimensions = zDimensions.reverse();
    this.levelTiles = this.levelDimensions.map(
      ([w, h]) => [Math.ceil(w / this.tileSize), Math.ceil(h / this.tileSize)] as const,
    );

    const count = this.levelDimensions.length;
    const l0ZDownsamples = this.levelDimensions.map((_, dz) => 2 ** (count - dz - 1));
    this.sourceLevels = l0ZDownsamples.map((d) => bestLevelForDownsample(levels, d));
    this.l0LDownsamples = levels.map((l) => l.downsample);
    this.lZDownsamples = l0ZDownsamples.map((d, dz) => d / this.l0LDownsample(this.sourceLevel(dz)));
  }

  /** Number of DeepZoom levels. */
  get levelCount(): number {
    return this.levelDimensions.length;
  }

  /** Size of DeepZoom's full-resolution level (the DZI's Size element). */
  get dimensions(): Pair {
    return this.lDimensions[0] ?? [1, 1];
  }

  /** Total number of tiles over all levels. */
  get tileCount(): number {
    return this.levelTiles.reduce((sum, [cols, rows]) => sum + cols * rows, 0);
  }

  /** Whether (level, col, row) names a tile of this pyramid. */
  hasTile(level: number, col: number, row: number): boolean {
    const tiles = Number.isInteger(level) ? this.levelTiles[level] : undefined;
    return (
      tiles !== undefined && [col, row].every((t, i) => Number.isInteger(t) && t >= 0 && t < (tiles[i] ?? 0))
    );
  }

  /** The source region and output size of one tile (openslide-python's _get_tile_info). */
  tile(level: number, col: number, row: number): TileSpec {
    if (!this.hasTile(level, col, row))
      throw new RangeError(`no tile ${col}_${row} at DeepZoom level ${level}`);
    const slideLevel = this.sourceLevel(level);
    const lZ = this.lZDownsamples[level] ?? 1;
    const zLim = this.levelDimensions[level] ?? [1, 1];
    const tLim = this.levelTiles[level] ?? [1, 1];
    const lLim = this.lDimensions[slideLevel] ?? [1, 1];
    const axis = (t: number, i: 0 | 1): { l0: number; lSize: number; zSize: number } => {
      const tl = this.overlap * Number(t !== 0);
      const br = this.overlap * Number(t !== tLim[i] - 1);
      const zSize = Math.min(this.tileSize, zLim[i] - this.tileSize * t) + tl + br;
      const l = lZ * (this.tileSize * t - tl);
      const l0 = Math.trunc(this.l0LDownsample(slideLevel) * l + this.l0Offset[i]);
      const lSize = Math.trunc(Math.min(Math.ceil(lZ * zSize), lLim[i] - Math.ceil(l)));
      return { l0, lSize, zSize };
    };
    const x = axis(col, 0);
    const y = axis(row, 1);
    return {
      region: { x: x.l0, y: y.l0, level: slideLevel, width: x.lSize, height: y.lSize },
      width: x.zSize,
      height: y.zSize,
    };
  }

  private sourceLevel(dz: number): number {
    return this.sourceLevels[dz] ?? 0;
  }

  private l0LDownsample(level: number): number {
    return this.l0LDownsamples[level] ?? 1;
  }
}

// openslide-python applies int() to the property string; a malformed value is an error there too.
function intProperty(properties: ReadonlyMap<string, string>, name: string, fallback: number): number {
  const raw = properties.get(name);
  if (raw === undefined) return fallback;
  const value = Number(raw.trim());
  if (!Number.isInteger(value)) throw new RangeError(`property ${name} is not an integer: '${raw}'`);
  return value;
}
