import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';
import { AppError } from '../errors/app-error.js';
import type { ImageStorage, StagedFile } from './storage.js';

export interface UploadedFile {
  readonly field: string;
  readonly originalName: string;
  /** The content type the client declared for the part (busboy's default: application/octet-stream). */
  readonly mimeType?: string;
  readonly staged: StagedFile;
}

export interface MultipartUpload {
  readonly fields: Readonly<Record<string, string>>;
  readonly files: readonly UploadedFile[];
}

const MAX_FILES = 1000;

/**
 * Reads a multipart upload (EXACT's: form fields plus files under any field name), streaming each file
 * to staging storage. Fields may come after the files, so nothing is placed until all is read; on any
 * failure every staged file is removed.
 */
export async function readMultipart(
  req: IncomingMessage,
  storage: ImageStorage,
  maxFileBytes: number,
): Promise<MultipartUpload> {
  const contentType = req.headers['content-type'] ?? '';
  if (!contentType.startsWith('multipart/form-data')) {
    throw new AppError('unsupported_media_type', 'Upload images as multipart/form-data.');
  }
  const fields: Record<string, string> = {};
  // Filled by arrival index: staging finishes out of order, the answer keeps the request's order.
  const files: (UploadedFile | undefined)[] = [];
  const pending: Promise<void>[] = [];
  let failure: unknown;
  const parser = busboy({
    headers: req.headers,
    limits: { files: MAX_FILES, fields: 50, fieldSize: 64 * 1024, parts: MAX_FILES + 50 },
  });
  await new Promise<void>((resolve) => {
    // On the first failure stop parsing but keep reading (and dropping) the body, so the client can
    // finish sending and then read our answer instead of seeing a reset connection.
    const fail = (error: unknown) => {
      if (failure !== undefined) return;
      failure = error;
      req.unpipe(parser);
      req.resume();
      resolve();
    };
    parser.on('field', (name, value) => {
      fields[name] = value;
    });
    parser.on('file', (field, stream, info) => {
      const originalName = info.filename || 'upload';
      const { mimeType } = info;
      const index = pending.length;
      pending.push(
        storage.stage(stream, maxFileBytes).then(
          (staged) => {
            files[index] = { field, originalName, mimeType, staged };
          },
          (error: unknown) => {
            stream.resume();
            fail(error);
          },
        ),
      );
    });
    parser.on('filesLimit', () => {
      fail(AppError.badRequest(`At most ${MAX_FILES} files per upload.`));
    });
    parser.on('error', (error: Error) => {
      fail(AppError.badRequest(`Malformed multipart body: ${error.message}`));
    });
    parser.on('close', resolve);
    req.pipe(parser);
  });
  await Promise.all(pending);
  if (failure !== undefined) {
    await Promise.all(files.flatMap((f) => (f ? [storage.discard(f.staged)] : [])));
    throw failure instanceof Error ? failure : new Error('Upload failed.', { cause: failure });
  }
  return { fields, files: files.filter((f): f is UploadedFile => f !== undefined) };
}
