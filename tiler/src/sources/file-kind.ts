// What kind of file an upload is, from its first bytes and its name: enough to choose a reader without
// asking OpenSlide, so ordinary images, DICOM and videos need neither libopenslide nor a probe by it.
import { open } from 'node:fs/promises';
import path from 'node:path';
import { isVideoFile } from './video.js';

/** The kinds the inspector tells apart; 'tiff' may be a plain TIFF or a scanner's TIFF-based format. */
export type FileKind = 'png' | 'jpeg' | 'gif' | 'webp' | 'tiff' | 'dicom' | 'video' | 'other';

/** Whole-slide formats only OpenSlide reads (by file ending; several are TIFF inside). */
export const SCANNER_EXTENSIONS: ReadonlySet<string> = new Set([
  '.svs',
  '.ndpi',
  '.vms',
  '.vmu',
  '.scn',
  '.mrxs',
  '.bif',
  '.svslide',
]);

/** Whether a file name names a scanner format that only OpenSlide reads. */
export function isScannerFile(file: string): boolean {
  return SCANNER_EXTENSIONS.has(path.extname(file).toLowerCase());
}

/** The kind of the file at `file`, from its magic bytes (and its ending for videos). */
export async function fileKind(file: string): Promise<FileKind> {
  const handle = await open(file, 'r');
  let head: Buffer;
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(132), 0, 132, 0);
    head = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  return kindOfHead(head, file);
}

/** The kind told by a file's first bytes (up to 132) and its name. */
export function kindOfHead(head: Buffer, file: string): FileKind {
  const ascii = (start: number, end: number) => head.toString('latin1', start, end);
  // DICOM Part 10 files carry 'DICM' after a 128-byte preamble.
  if (head.length >= 132 && ascii(128, 132) === 'DICM') return 'dicom';
  if (head.length >= 8 && head.subarray(0, 8).equals(PNG_SIGNATURE)) return 'png';
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (ascii(0, 4) === 'GIF8') return 'gif';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
  // Classic TIFF (42) and BigTIFF (43), little- and big-endian.
  if (['II*\0', 'MM\0*', 'II+\0', 'MM\0+'].includes(ascii(0, 4))) return 'tiff';
  if (isVideoFile(file)) return 'video';
  return 'other';
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
