// Reads the directories (IFDs) of a TIFF or BigTIFF file: only the tags needed to find JPEG-compressed
// tiled levels and their tiles. Everything is bounds-checked: a malformed file is a TiffError, never a
// read outside the file or an endless loop.
import type { FileHandle } from 'node:fs/promises';

/** A malformed or unreadable TIFF structure. */
export class TiffError extends Error {
  override readonly name = 'TiffError';
}

/** What the tiler needs from one TIFF directory. */
export interface TiffDirectory {
  readonly index: number;
  readonly width: number;
  readonly height: number;
  /** TIFF Compression tag: 7 is JPEG ("new-style"). */
  readonly compression: number;
  /** TIFF PhotometricInterpretation: 2 RGB, 6 YCbCr. */
  readonly photometric: number;
  readonly samplesPerPixel: number;
  readonly bitsPerSample: number;
  /** Absent for stripped directories. */
  readonly tileWidth?: number;
  readonly tileHeight?: number;
  readonly tileOffsets?: readonly number[];
  readonly tileByteCounts?: readonly number[];
  /** The JPEGTables tag (an abbreviated JPEG stream: SOI, DQT/DHT, EOI), when present. */
  readonly jpegTables?: Buffer;
}

const TAG = {
  width: 256,
  height: 257,
  bitsPerSample: 258,
  compression: 259,
  photometric: 262,
  samplesPerPixel: 277,
  tileWidth: 322,
  tileHeight: 323,
  tileOffsets: 324,
  tileByteCounts: 325,
  jpegTables: 347,
} as const;

// TIFF field types: byte size of one value.
const TYPE_SIZE: Record<number, number> = {
  1: 1,
  2: 1,
  3: 2,
  4: 4,
  6: 1,
  7: 1,
  8: 2,
  9: 4,
  13: 4,
  16: 8,
  17: 8,
  18: 8,
};

/** Directories beyond this are not read: scanner files have a handful. */
const MAX_DIRECTORIES = 64;
/** Largest tag value array read (tile offsets of a 1.5-Gpx level at 240 px are ~30,000 entries). */
const MAX_VALUE_BYTES = 64 * 1024 * 1024;

interface Reader {
  readonly big: boolean;
  readonly little: boolean;
  readonly size: number;
  read(offset: number, length: number): Promise<Buffer>;
}

/** Reads every directory of the TIFF open at `file` (size in bytes); throws TiffError when malformed. */
export async function readTiffDirectories(file: FileHandle, size: number): Promise<TiffDirectory[]> {
  const read = async (offset: number, length: number): Promise<Buffer> => {
    if (!Number.isSafeInteger(offset) || offset < 0 || length < 0 || offset + length > size) {
      throw new TiffError(`TIFF structure points outside the file (${offset}+${length} > ${size})`);
    }
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await file.read(buffer, 0, length, offset);
    if (bytesRead !== length) throw new TiffError('TIFF file ended early');
    return buffer;
  };
  const header = await read(0, Math.min(16, size));
  const order = header.toString('latin1', 0, 2);
  if (order !== 'II' && order !== 'MM') throw new TiffError('not a TIFF file');
  const little = order === 'II';
  const magic = little ? header.readUInt16LE(2) : header.readUInt16BE(2);
  if (magic !== 42 && magic !== 43) throw new TiffError(`not a TIFF file (magic ${magic})`);
  const reader: Reader = { big: magic === 43, little, size, read };
  let next = reader.big ? u64(header, 8, little) : u32(header, 4, little);
  const directories: TiffDirectory[] = [];
  const seen = new Set<number>();
  while (next !== 0 && directories.length < MAX_DIRECTORIES) {
    if (seen.has(next)) throw new TiffError('TIFF directories form a loop');
    seen.add(next);
    const { directory, nextOffset } = await readDirectory(reader, next, directories.length);
    directories.push(directory);
    next = nextOffset;
  }
  return directories;
}

async function readDirectory(
  reader: Reader,
  offset: number,
  index: number,
): Promise<{ directory: TiffDirectory; nextOffset: number }> {
  const { big, little } = reader;
  const countSize = big ? 8 : 2;
  const entrySize = big ? 20 : 12;
  const count = big
    ? u64(await reader.read(offset, 8), 0, little)
    : u16(await reader.read(offset, 2), 0, little);
  if (count > 4096) throw new TiffError(`TIFF directory ${index} claims ${count} entries`);
  const body = await reader.read(offset + countSize, count * entrySize + (big ? 8 : 4));
  const values = new Map<number, Buffer | number[]>();
  for (let i = 0; i < count; i++) {
    const at = i * entrySize;
    const tag = u16(body, at, little);
    if (!Object.values(TAG).includes(tag as (typeof TAG)[keyof typeof TAG])) continue;
    const type = u16(body, at + 2, little);
    const n = big ? u64(body, at + 4, little) : u32(body, at + 4, little);
    const size = TYPE_SIZE[type];
    if (size === undefined) throw new TiffError(`TIFF tag ${tag} has unknown type ${type}`);
    const bytes = n * size;
    if (bytes > MAX_VALUE_BYTES) throw new TiffError(`TIFF tag ${tag} is too large (${bytes} bytes)`);
    const inline = big ? 8 : 4;
    const valueAt = at + (big ? 12 : 8);
    const raw =
      bytes <= inline
        ? body.subarray(valueAt, valueAt + bytes)
        : await reader.read(big ? u64(body, valueAt, little) : u32(body, valueAt, little), bytes);
    values.set(tag, tag === TAG.jpegTables ? Buffer.from(raw) : numbers(raw, type, n, little));
  }
  const nextOffset = big ? u64(body, count * entrySize, little) : u32(body, count * entrySize, little);
  const first = (tag: number, fallback?: number): number => {
    const value = values.get(tag);
    const number = Array.isArray(value) ? value[0] : undefined;
    if (number !== undefined) return number;
    if (fallback !== undefined) return fallback;
    throw new TiffError(`TIFF directory ${index} lacks tag ${tag}`);
  };
  const list = (tag: number): number[] | undefined => {
    const value = values.get(tag);
    return Array.isArray(value) ? value : undefined;
  };
  const tables = values.get(TAG.jpegTables);
  const tileWidth = values.has(TAG.tileWidth) ? first(TAG.tileWidth) : undefined;
  const directory: TiffDirectory = {
    index,
    width: first(TAG.width),
    height: first(TAG.height),
    compression: first(TAG.compression, 1),
    photometric: first(TAG.photometric, 2),
    samplesPerPixel: first(TAG.samplesPerPixel, 1),
    bitsPerSample: first(TAG.bitsPerSample, 1),
    ...(tileWidth === undefined
      ? {}
      : {
          tileWidth,
          tileHeight: first(TAG.tileHeight),
          tileOffsets: list(TAG.tileOffsets) ?? [],
          tileByteCounts: list(TAG.tileByteCounts) ?? [],
        }),
    ...(Buffer.isBuffer(tables) ? { jpegTables: tables } : {}),
  };
  return { directory, nextOffset };
}

function numbers(raw: Buffer, type: number, n: number, little: boolean): number[] {
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    switch (type) {
      case 3:
      case 8:
        out[i] = u16(raw, i * 2, little);
        break;
      case 4:
      case 9:
      case 13:
        out[i] = u32(raw, i * 4, little);
        break;
      case 16:
      case 17:
      case 18:
        out[i] = u64(raw, i * 8, little);
        break;
      default:
        out[i] = raw[i] ?? 0;
    }
  }
  return out;
}

function u16(b: Buffer, at: number, little: boolean): number {
  return little ? b.readUInt16LE(at) : b.readUInt16BE(at);
}

function u32(b: Buffer, at: number, little: boolean): number {
  return little ? b.readUInt32LE(at) : b.readUInt32BE(at);
}

// Offsets in files up to 2^53 bytes are exact as numbers; anything larger is a malformed file here.
function u64(b: Buffer, at: number, little: boolean): number {
  const value = little ? b.readBigUInt64LE(at) : b.readBigUInt64BE(at);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new TiffError('TIFF offset beyond 2^53');
  return Number(value);
}
