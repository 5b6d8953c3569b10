// The one error type routes and services throw on purpose; everything else is a 500. SlideErrors from the
// image sources are mapped here too, by their stable code.
import type { SlideError } from '../sources/slide-error.js';

/** Stable error codes, each with its HTTP status. */
export const TILER_ERROR_STATUS = {
  'not-found': 404,
  'method-not-allowed': 405,
  'bad-request': 400,
  'payload-too-large': 413,
  unprocessable: 422,
  unavailable: 503,
} as const;

/** A stable error code. */
export type TilerErrorCode = keyof typeof TILER_ERROR_STATUS;

/** An expected failure with a stable code and a message safe to show clients. */
export class TilerError extends Error {
  override readonly name = 'TilerError';

  constructor(
    readonly code: TilerErrorCode,
    message: string,
  ) {
    super(message);
  }

  /** The HTTP status for this error. */
  get status(): number {
    return TILER_ERROR_STATUS[this.code];
  }
}

/** The generic 404: the same answer for a bad token, a wrong scope and a missing tile. */
export function notFound(): TilerError {
  return new TilerError('not-found', 'not found');
}

/** Maps a SlideError to the TilerError a client sees (OpenSlide's own message, without the path). */
export function fromSlideError(err: SlideError): TilerError {
  const message = err.path === undefined ? err.message : err.message.replace(` (${err.path})`, '');
  switch (err.code) {
    case 'bad-request':
      return new TilerError('bad-request', message);
    case 'closed':
      return new TilerError('unavailable', 'the image was being closed; retry');
    case 'unsupported':
    case 'open-failed':
    case 'read-failed':
      return new TilerError('unprocessable', `the image cannot be read: ${message}`);
  }
}
