import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { AppError } from '../errors/app-error.js';
import type { StagedFile } from './storage.js';

/** Limits that keep a hostile archive from filling the disk. */
export interface ZipLimits {
  /** Total bytes all entries may expand to. */
  readonly maxTotalBytes: number;
  readonly maxEntries: number;
  /** Largest expansion ratio of one entry; zip bombs reach millions. */
  readonly maxRatio: number;
}

/** Formats whose slide is a small index file plus a folder of data files (OpenSlide reads them as one). */
const MULTI_FILE_SLIDES = ['.mrxs', '.vms', '.vmu'];

export type ZipContent =
  | { readonly kind: 'slide'; readonly dir: string; readonly main: string }
  | {
      readonly kind: 'files';
      readonly dir: string;
      readonly files: readonly { name: string; staged: StagedFile }[];
    };

/**
 * Expands an uploaded zip into a staging folder, checking every entry first: no absolute paths or
 * '..', no links, bounded count, size and expansion ratio, and sizes verified while writing. A zip
 * holding a multi-file slide (MIRAX and the like) stays one image; otherwise each file becomes one.
 */
export async function expandZip(
  zipFile: string,
  stagingRoot: string,
  limits: ZipLimits,
): Promise<ZipContent> {
  const dir = await mkdtemp(path.join(stagingRoot, 'zip-'));
  try {
    await extractInto(zipFile, dir, limits);
    const files = await listFiles(dir);
    if (files.length === 0) throw AppError.invalidField('file', 'The zip archive contains no files.');
    const main = files.find((f) => MULTI_FILE_SLIDES.includes(path.extname(f).toLowerCase()));
    if (main !== undefined) return { kind: 'slide', dir, main };
    const staged = [];
    for (const relative of files) {
      staged.push({ name: path.basename(relative), staged: await hashFile(path.join(dir, relative)) });
    }
    return { kind: 'files', dir, files: staged };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

function openZip(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(
      file,
      { lazyEntries: true, validateEntrySizes: true, strictFileNames: false },
      (error, zip) => {
        if (error) reject(AppError.invalidField('file', `Not a readable zip archive: ${error.message}`));
        else resolve(zip);
      },
    );
  });
}

async function extractInto(zipFile: string, dir: string, limits: ZipLimits): Promise<void> {
  const zip = await openZip(zipFile);
  if (zip.entryCount > limits.maxEntries) {
    zip.close();
    throw AppError.invalidField('file', `The zip archive has more than ${limits.maxEntries} entries.`);
  }
  let total = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', (error: Error) => {
        reject(AppError.invalidField('file', `Corrupt zip archive: ${error.message}`));
      });
      zip.on('end', resolve);
      zip.on('entry', (entry: yauzl.Entry) => {
        const problem = entryProblem(entry, limits, (total += entry.uncompressedSize));
        if (problem !== undefined) {
          reject(AppError.invalidField('file', problem));
          return;
        }
        if (entry.fileName.endsWith('/') || isIgnored(entry.fileName)) {
          zip.readEntry();
          return;
        }
        const target = path.join(dir, entry.fileName);
        zip.openReadStream(entry, (error, stream) => {
          if (error) {
            reject(AppError.invalidField('file', `Corrupt zip entry ${entry.fileName}: ${error.message}`));
            return;
          }
          mkdir(path.dirname(target), { recursive: true })
            .then(() => pipeline(stream, createWriteStream(target, { flags: 'wx' })))
            .then(
              () => {
                zip.readEntry();
              },
              (e: unknown) => {
                reject(
                  AppError.invalidField(
                    'file',
                    `Could not extract ${entry.fileName}: ${(e as Error).message}`,
                  ),
                );
              },
            );
        });
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
}

/** Why an entry is refused, or undefined if it may be extracted. */
function entryProblem(entry: yauzl.Entry, limits: ZipLimits, totalSoFar: number): string | undefined {
  const name = entry.fileName;
  if (name.startsWith('/') || name.includes('\\') || name.split('/').includes('..') || name.includes('\0')) {
    return `The zip entry "${name}" points outside the archive.`;
  }
  const fileType = (entry.externalFileAttributes >>> 16) & 0o170000;
  if (fileType === 0o120000) return `The zip entry "${name}" is a symbolic link; links are not accepted.`;
  if (totalSoFar > limits.maxTotalBytes) {
    return `The zip archive expands to more than ${limits.maxTotalBytes} bytes.`;
  }
  if (entry.compressedSize > 0 && entry.uncompressedSize / entry.compressedSize > limits.maxRatio) {
    return `The zip entry "${name}" expands ${Math.round(entry.uncompressedSize / entry.compressedSize)} times: refused as a zip bomb.`;
  }
  return undefined;
}

/** Archive clutter that is never an image: macOS resource forks, hidden files. */
function isIgnored(name: string): boolean {
  return name.split('/').some((part) => part === '__MACOSX' || part.startsWith('.'));
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(path.join(dir, prefix), { withFileTypes: true })) {
    const relative = path.join(prefix, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(dir, relative)));
    else if (entry.isFile()) out.push(relative);
  }
  return out.sort();
}

async function hashFile(file: string): Promise<StagedFile> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return { file, size: (await stat(file)).size, sha256: hash.digest() };
}
