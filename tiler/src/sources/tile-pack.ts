// A tile pack: every DeepZoom tile of an image, already JPEG-encoded, stored uncompressed in one zip
// (written by the converter with libvips' dzsave). Serving from it costs one positioned read: no decode,
// no resize, no encode, which is what makes cold tiles of converted images fast.
import { open, type FileHandle } from 'node:fs/promises';
import yauzl from 'yauzl';

interface Slot {
  readonly offset: number;
  readonly size: number;
}

const TILE_NAME = /_files\/(\d+)\/(\d+)_(\d+)\.jpe?g$/;
// Local file header: fixed 30 bytes, then the name and the extra field (whose length may differ from the
// central directory's copy, so it is read from the local header itself).
const LOCAL_HEADER = 30;

/** An open tile pack; `read` answers undefined for a tile it does not hold. */
export class TilePack {
  private constructor(
    private readonly file: FileHandle,
    private readonly slots: ReadonlyMap<string, Slot>,
    /** Highest DeepZoom level in the pack (the full-resolution level). */
    readonly maxLevel: number,
  ) {}

  /** Opens a pack and indexes its tiles; throws if the zip is unreadable or compressed. */
  static async open(path: string): Promise<TilePack> {
    const entries = await centralDirectory(path);
    const file = await open(path, 'r');
    try {
      const slots = new Map<string, Slot>();
      let maxLevel = -1;
      const header = Buffer.alloc(LOCAL_HEADER);
      for (const entry of entries) {
        const match = TILE_NAME.exec(entry.fileName);
        if (!match) continue;
        if (entry.compressionMethod !== 0) throw new Error(`tile pack entry ${entry.fileName} is compressed`);
        await file.read(header, 0, LOCAL_HEADER, entry.relativeOffsetOfLocalHeader);
        if (header.readUInt32LE(0) !== 0x04034b50)
          throw new Error(`tile pack entry ${entry.fileName} is corrupt`);
        const offset =
          entry.relativeOffsetOfLocalHeader +
          LOCAL_HEADER +
          header.readUInt16LE(26) +
          header.readUInt16LE(28);
        const level = Number(match[1]);
        maxLevel = Math.max(maxLevel, level);
        slots.set(`${level}/${match[2] ?? ''}_${match[3] ?? ''}`, { offset, size: entry.compressedSize });
      }
      return new TilePack(file, slots, maxLevel);
    } catch (err) {
      await file.close();
      throw err;
    }
  }

  /** Number of tiles held. */
  get size(): number {
    return this.slots.size;
  }

  /** The stored JPEG of one tile, or undefined if the pack has no such tile. */
  async read(level: number, col: number, row: number): Promise<Buffer | undefined> {
    const slot = this.slots.get(`${level}/${col}_${row}`);
    if (!slot) return undefined;
    const buffer = Buffer.allocUnsafe(slot.size);
    const { bytesRead } = await this.file.read(buffer, 0, slot.size, slot.offset);
    if (bytesRead !== slot.size) throw new Error(`tile pack read ${bytesRead} of ${slot.size} bytes`);
    return buffer;
  }

  async close(): Promise<void> {
    await this.file.close();
  }
}

function centralDirectory(path: string): Promise<yauzl.Entry[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: true }, (err, zip) => {
      if (err) {
        reject(err);
        return;
      }
      const entries: yauzl.Entry[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        entries.push(entry);
        zip.readEntry();
      });
      zip.on('end', () => {
        resolve(entries);
      });
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}
