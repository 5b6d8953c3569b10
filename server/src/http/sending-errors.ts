import type Koa from 'koa';
import type { Logger } from '../logging/logger.js';

/** Whether an error of a response is only its client having gone away (nothing failed here). */
export function clientLeft(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ECONNRESET' || code === 'EPIPE';
}

/**
 * Koa reports what fails once a streamed body is under way (past the error middleware) as the app's
 * 'error' event, which it otherwise prints to stderr. Those go into the log instead, except a client
 * that left mid-download: a browser closing a region it no longer shows, a tab shut.
 */
export function reportSendingErrors(app: Koa, logger: Pick<Logger, 'error'>): void {
  app.on('error', (error: unknown) => {
    if (clientLeft(error)) return;
    logger.error({ err: error }, 'a response failed while it was being sent');
  });
}
