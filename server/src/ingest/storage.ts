import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../errors/app-error.js';

/** Absolute path of `relative` below `root`, refusing anything that would leave the root. */
export function resolveInside(root: string, relative: string): string {
  const absolute = path.resolve(root, relative);
  if (!absolute.startsWith(root + path.sep)) throw new Error(`Storage path escapes the root: ${relative}`);
  return absolute;
}

/** Where uploads and pyramids live: `$TESSERA_DATA_DIR/images`, shared with the tiler. */
export class ImageStorage {
  readonly root: string;

  constructor(dataDir: string) {
    this.root = path.join(dataDir, 'images');
  }

  /** Absolute path of a stored relative path, refusing anything that would leave the root. */
  resolve(relative: string): string {
    return resolveInside(this.root, relative);
  }

  /** A fresh folder name for one image inside its set's folder. */
  newImageDir(imageSetPath: string): string {
    return path.posix.join(imageSetPath, randomUUID());
  }

  /**
   * Streams an upload to a staging file while hashing it; never holds the file in memory. Over
   * `maxBytes` the file is removed and the upload answered with 413.
   */
  async stage(stream: Readable, maxBytes: number): Promise<StagedFile> {
    const dir = this.stagingDir;
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, randomUUID());
    const hash = createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        if (size > maxBytes) {
          done(new AppError('payload_too_large', `File is larger than the limit of ${maxBytes} bytes.`));
          return;
        }
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(stream, meter, createWriteStream(file, { flags: 'wx' }));
    } catch (error) {
      await rm(file, { force: true });
      throw error;
    }
    return { file, size, sha256: hash.digest() };
  }

  /** Moves a staged file to its final relative path. */
  async place(staged: StagedFile, relative: string): Promise<void> {
    const target = this.resolve(relative);
    await mkdir(path.dirname(target), { recursive: true });
    await rename(staged.file, target);
  }

  /** The folder uploads are streamed into before they are placed. */
  get stagingDir(): string {
    return path.join(this.root, '.staging');
  }

  /** Moves a staged folder (an expanded multi-file slide) to its final relative path. */
  async placeDir(dir: string, relative: string): Promise<void> {
    const target = this.resolve(relative);
    await mkdir(path.dirname(target), { recursive: true });
    await rename(dir, target);
  }

  async discardDir(dir: string): Promise<void> {
    await rm(dir, { recursive: true, force: true });
  }

  async discard(staged: StagedFile): Promise<void> {
    await rm(staged.file, { force: true });
  }

  /** Removes an image's folder (original and pyramid). */
  async removeImageDir(relativeFile: string): Promise<void> {
    await rm(path.dirname(this.resolve(relativeFile)), { recursive: true, force: true });
  }
}

export interface StagedFile {
  readonly file: string;
  readonly size: number;
  readonly sha256: Buffer;
}
