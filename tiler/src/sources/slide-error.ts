/** Why a slide could not be opened or read; `code` is stable, `message` carries OpenSlide's own text. */
export type SlideErrorCode = 'unsupported' | 'open-failed' | 'read-failed' | 'closed' | 'bad-request';

/** A failure reading a slide. After 'open-failed' or 'read-failed' the underlying handle is dead. */
export class SlideError extends Error {
  override readonly name = 'SlideError';

  constructor(
    readonly code: SlideErrorCode,
    message: string,
    readonly path?: string,
  ) {
    super(path === undefined ? message : `${message} (${path})`);
  }
}
