import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Context } from 'koa';
import { AppError } from '../../errors/app-error.js';

/** The one byte range a request asks for, or `unsatisfiable`; undefined for the whole file. */
export function requestedRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | 'unsatisfiable' | undefined {
  if (header === undefined || header === '') return undefined;
  // One range only: players ask for one; several would need multipart/byteranges, so answer whole.
  const match = /^bytes=(\d{0,15})-(\d{0,15})$/.exec(header.trim());
  if (!match) return undefined;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return undefined;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

/**
 * Sends a stored file with its type, as a download unless `inline`, with byte ranges (audio and video
 * players seek with them). `nosniff` is set for every answer by the security headers; the name goes
 * through Koa's Content-Disposition encoding, so quotes and line breaks in it cannot split the header.
 */
export async function sendStoredFile(
  ctx: Context,
  file: { absolutePath: string; name: string; contentType: string; inline: boolean },
): Promise<void> {
  const info = await stat(file.absolutePath).catch(() => undefined);
  if (!info?.isFile()) throw AppError.notFound();
  const range = requestedRange(ctx.get('range'), info.size);
  ctx.set('Cache-Control', 'private, no-store');
  ctx.set('Accept-Ranges', 'bytes');
  if (range === 'unsatisfiable') {
    ctx.status = 416;
    ctx.set('Content-Range', `bytes */${info.size}`);
    ctx.type = 'text/plain';
    ctx.body = 'Range not satisfiable.';
    return;
  }
  ctx.attachment(file.name, { type: file.inline ? 'inline' : 'attachment' });
  // attachment() guesses a type from the name's extension: the stored type is the one checked.
  ctx.type = file.inline ? file.contentType : 'application/octet-stream';
  if (range === undefined) {
    ctx.status = 200;
    ctx.length = info.size;
    ctx.body = createReadStream(file.absolutePath);
    return;
  }
  ctx.status = 206;
  ctx.set('Content-Range', `bytes ${range.start}-${range.end}/${info.size}`);
  ctx.length = range.end - range.start + 1;
  ctx.body = createReadStream(file.absolutePath, { start: range.start, end: range.end });
}
