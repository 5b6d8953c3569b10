// The JPEG tiles a TIFF-based slide (Aperio SVS, generic tiled TIFF) stores for its levels, read straight
// from the file: an abbreviated JPEG stream per tile plus the directory's JPEGTables, merged into a
// complete JFIF that any decoder (browser, libvips) reads. No OpenSlide, no decoding.
import { open, type FileHandle } from 'node:fs/promises';
import type { SourceLevel } from './image-source.js';
import { readTiffDirectories, TiffError, type TiffDirectory } from './tiff-directory.js';

/** OpenSlide vendors whose levels are plain tiled TIFF directories (no overlaps, no private layout). */
const TIFF_VENDORS = new Set(['aperio', 'generic-tiff']);

const COMPRESSION_JPEG = 7;
const PHOTOMETRIC_RGB = 2;
const PHOTOMETRIC_YCBCR = 6;
/** A native tile larger than this is not a tile but a damaged byte count. */
const MAX_TILE_BYTES = 16 * 1024 * 1024;

/**
 * APP14 "Adobe" marker with transform 0: the components are RGB, not YCbCr. Aperio stores JPEG tiles
 * with photometric RGB; without this marker decoders would apply the YCbCr conversion and shift colours.
 */
const ADOBE_RGB = Buffer.from([
  0xff, 0xee, 0x00, 0x0e, 0x41, 0x64, 0x6f, 0x62, 0x65, 0x00, 0x64, 0x00, 0x00, 0x00, 0x00, 0x00,
]);

/** A native tile that cannot be served: damaged bytes or a structure that does not match the level. */
export class NativeTileError extends Error {
  override readonly name = 'NativeTileError';
}

/** One source level stored as JPEG tiles. */
export interface NativeJpegLevel {
  /** The OpenSlide level this TIFF directory is. */
  readonly sourceLevel: number;
  readonly width: number;
  readonly height: number;
  readonly tileWidth: number;
  readonly tileHeight: number;
  readonly cols: number;
  readonly rows: number;
}

interface LevelData extends NativeJpegLevel {
  readonly offsets: readonly number[];
  readonly byteCounts: readonly number[];
  /** What goes between SOI and the tile's own segments: Adobe marker (RGB) and the tables. */
  readonly prefix: Buffer;
}

/** What the pyramid is matched against: the source's vendor and levels (OpenSlide's view of the file). */
export interface NativeCandidate {
  readonly vendor: string;
  readonly levels: readonly SourceLevel[];
}

/** The JPEG-tiled levels of an open TIFF-based slide. */
export class NativeJpegPyramid {
  private readonly byLevel: ReadonlyMap<number, LevelData>;

  private constructor(
    private readonly file: FileHandle,
    private readonly path: string,
    levels: readonly LevelData[],
  ) {
    this.byLevel = new Map(levels.map((level) => [level.sourceLevel, level]));
  }

  /**
   * Opens the native JPEG levels of `path`, or undefined when the slide has none that can be served as
   * they are (another vendor, another compression, not 8-bit RGB/YCbCr, a malformed TIFF).
   */
  static async open(path: string, candidate: NativeCandidate): Promise<NativeJpegPyramid | undefined> {
    if (!TIFF_VENDORS.has(candidate.vendor)) return undefined;
    const file = await open(path, 'r');
    try {
      const { size } = await file.stat();
      const directories = await readTiffDirectories(file, size);
      const levels = candidate.levels.flatMap((level, sourceLevel) => {
        const match = directories.find(
          (d) => d.width === level.width && d.height === level.height && servable(d),
        );
        return match === undefined ? [] : [levelData(match, sourceLevel)];
      });
      if (levels.length === 0) {
        await file.close();
        return undefined;
      }
      return new NativeJpegPyramid(file, path, levels);
    } catch (err) {
      await file.close();
      if (err instanceof TiffError) return undefined;
      throw err;
    }
  }

  /** The native level behind OpenSlide level `sourceLevel`, if it is stored as JPEG tiles. */
  level(sourceLevel: number): NativeJpegLevel | undefined {
    return this.byLevel.get(sourceLevel);
  }

  /** Native levels, finest first. */
  get levels(): readonly NativeJpegLevel[] {
    return [...this.byLevel.values()].sort((a, b) => a.sourceLevel - b.sourceLevel);
  }

  /**
   * The tile at (col, row) of `sourceLevel` as a complete JPEG, full tile size (edge tiles include the
   * padding the file stores); null when the file has no data for it (a sparse tile).
   * Throws NativeTileError when the stored bytes are not a JPEG of the level's tile size.
   */
  async readTile(sourceLevel: number, col: number, row: number): Promise<Buffer | null> {
    const level = this.byLevel.get(sourceLevel);
    if (level === undefined || col < 0 || row < 0 || col >= level.cols || row >= level.rows) {
      throw new RangeError(`no native tile ${col}_${row} at level ${sourceLevel}`);
    }
    const index = row * level.cols + col;
    const offset = level.offsets[index] ?? 0;
    const length = level.byteCounts[index] ?? 0;
    if (offset === 0 || length === 0) return null;
    const where = `native tile ${col}_${row} of level ${sourceLevel}`;
    if (length > MAX_TILE_BYTES) throw new NativeTileError(`${where} claims ${length} bytes`);
    const stored = Buffer.allocUnsafe(length);
    const { bytesRead } = await this.file.read(stored, 0, length, offset);
    if (bytesRead !== length) throw new NativeTileError(`${where} lies beyond the end of the file`);
    checkTile(stored, level, where);
    return Buffer.concat([stored.subarray(0, 2), level.prefix, stored.subarray(2)]);
  }

  /** Closes the file. */
  async close(): Promise<void> {
    await this.file.close();
  }

  /** For messages. */
  toString(): string {
    return this.path;
  }
}

function servable(d: TiffDirectory): boolean {
  return (
    d.tileWidth !== undefined &&
    d.tileHeight !== undefined &&
    d.compression === COMPRESSION_JPEG &&
    (d.photometric === PHOTOMETRIC_RGB || d.photometric === PHOTOMETRIC_YCBCR) &&
    d.samplesPerPixel === 3 &&
    d.bitsPerSample === 8
  );
}

function levelData(d: TiffDirectory, sourceLevel: number): LevelData {
  const tileWidth = d.tileWidth ?? 1;
  const tileHeight = d.tileHeight ?? 1;
  const cols = Math.ceil(d.width / tileWidth);
  const rows = Math.ceil(d.height / tileHeight);
  const offsets = d.tileOffsets ?? [];
  const byteCounts = d.tileByteCounts ?? [];
  if (offsets.length < cols * rows || byteCounts.length < cols * rows) {
    throw new TiffError(`TIFF directory ${d.index} lists fewer tiles than its size needs`);
  }
  const tables = tablesBody(d.jpegTables);
  const prefix = Buffer.concat(d.photometric === PHOTOMETRIC_RGB ? [ADOBE_RGB, tables] : [tables]);
  return {
    sourceLevel,
    width: d.width,
    height: d.height,
    tileWidth,
    tileHeight,
    cols,
    rows,
    offsets,
    byteCounts,
    prefix,
  };
}

// JPEGTables is itself a JPEG stream (SOI, tables, EOI); its segments go between the tile's SOI and
// the tile's own segments.
function tablesBody(tables: Buffer | undefined): Buffer {
  if (tables === undefined || tables.length < 4) return Buffer.alloc(0);
  if (tables[0] !== 0xff || tables[1] !== 0xd8) throw new TiffError('JPEGTables does not start with SOI');
  const end =
    tables[tables.length - 2] === 0xff && tables[tables.length - 1] === 0xd9
      ? tables.length - 2
      : tables.length;
  return tables.subarray(2, end);
}

// Walks the tile's marker segments up to the frame header: it must be a baseline or extended JPEG of the
// level's tile size with three components, else serving it would show a wrong or broken tile.
function checkTile(tile: Buffer, level: LevelData, where: string): void {
  if (tile.length < 4 || tile[0] !== 0xff || tile[1] !== 0xd8) {
    throw new NativeTileError(`${where} is not a JPEG stream`);
  }
  let at = 2;
  while (at + 4 <= tile.length) {
    if (tile[at] !== 0xff) throw new NativeTileError(`${where} has a damaged JPEG header`);
    const marker = tile[at + 1] ?? 0;
    const length = tile.readUInt16BE(at + 2);
    if (marker === 0xc0 || marker === 0xc1) {
      if (at + 10 > tile.length) break;
      const height = tile.readUInt16BE(at + 5);
      const width = tile.readUInt16BE(at + 7);
      const components = tile[at + 9];
      if (width !== level.tileWidth || height !== level.tileHeight || components !== 3) {
        throw new NativeTileError(
          `${where} is a ${width}x${height} JPEG with ${components} components, not ${level.tileWidth}x${level.tileHeight} RGB`,
        );
      }
      return;
    }
    if (
      marker === 0xda ||
      marker === 0xd9 ||
      (marker >= 0xc2 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xcc)
    ) {
      break;
    }
    at += 2 + length;
  }
  throw new NativeTileError(`${where} has no baseline JPEG frame header`);
}
