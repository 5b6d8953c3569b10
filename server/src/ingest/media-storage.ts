import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { resolveInside, type StagedFile } from './storage.js';

/**
 * Where files attached to annotations live: `$TESSERA_DATA_DIR/annotation-media`, one generated name
 * per file in a two-character fan-out folder. Uploads are staged by ImageStorage (same data folder, so
 * placing is a rename); the client's file name never reaches a path.
 */
export class MediaStorage {
  readonly root: string;

  constructor(dataDir: string) {
    this.root = path.join(dataDir, 'annotation-media');
  }

  /** Absolute path of a stored relative path, refusing anything that would leave the root. */
  resolve(relative: string): string {
    return resolveInside(this.root, relative);
  }

  /** Moves a staged upload to a fresh generated path and answers that path (relative to the root). */
  async place(staged: StagedFile): Promise<string> {
    const name = randomUUID();
    const relative = path.posix.join(name.slice(0, 2), name);
    const target = this.resolve(relative);
    await mkdir(path.dirname(target), { recursive: true });
    await rename(staged.file, target);
    return relative;
  }

  /** Removes a stored file (gone already is fine: the row is what counts). */
  async remove(relative: string): Promise<void> {
    await rm(this.resolve(relative), { force: true });
  }
}
