// Uploads go through XMLHttpRequest because fetch() reports no upload progress in browsers.
import type { Image, Page } from '@tessera/shared';
import { ApiError, currentCsrfToken, messageOf, parseJson, reportUnauthorized } from './http';

/** The upload answer: the images created, and files skipped (identical bytes already in the set). */
export type UploadAnswer = Page<Image> & { skipped: { file: string; reason: string; image?: number }[] };

/** Bytes sent so far of the whole request body. */
export interface UploadProgress {
  loaded: number;
  total: number;
}

/**
 * Uploads files into an image set with EXACT's multipart form (image_set, image_type, file_path),
 * reporting progress; the fields go first so the server sees them before the file bytes.
 */
export function uploadImages(
  imageSet: number,
  files: readonly File[],
  onProgress: (progress: UploadProgress) => void,
  signal?: AbortSignal,
): Promise<UploadAnswer> {
  const form = new FormData();
  form.set('image_set', String(imageSet));
  form.set('image_type', '0');
  for (const file of files) form.append('file_path', file, file.name);
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', '/api/v1/images/images/');
    request.setRequestHeader('accept', 'application/json');
    request.setRequestHeader('x-csrf-token', currentCsrfToken());
    request.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) onProgress({ loaded: event.loaded, total: event.total });
    });
    request.addEventListener('load', () => {
      const body = parseJson(request.responseText);
      if (request.status >= 200 && request.status < 300) {
        resolve(body as UploadAnswer);
        return;
      }
      if (request.status === 401) reportUnauthorized();
      reject(new ApiError(request.status, messageOf(request.status, body), body));
    });
    request.addEventListener('error', () => {
      reject(new ApiError(0, 'The upload was interrupted: the server could not be reached.', undefined));
    });
    request.addEventListener('abort', () => {
      reject(new ApiError(0, 'The upload was cancelled.', undefined));
    });
    signal?.addEventListener('abort', () => {
      request.abort();
    });
    request.send(form);
  });
}
