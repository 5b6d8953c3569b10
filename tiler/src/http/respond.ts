// Writing responses with node:http directly (the tile path has no framework). Successful image answers
// are immutable for their URL; errors are JSON and never cached.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { TilerError, fromSlideError } from '../errors/tiler-error.js';
import type { Encoded } from '../services/image.service.js';
import { SlideError } from '../sources/slide-error.js';

/** For content that never changes for a given source file. */
export const IMMUTABLE = 'private, max-age=31536000, immutable';

/** Sends an encoded image (or 304 when the client's ETag matched). */
export function sendEncoded(res: ServerResponse, contentType: string, encoded: Encoded): void {
  if (encoded.body === null) {
    res.writeHead(304, { ETag: encoded.etag, 'Cache-Control': IMMUTABLE });
    res.end();
    return;
  }
  res.writeHead(200, {
    'Content-Type': contentType,
    'Content-Length': encoded.body.length,
    ETag: encoded.etag,
    'Cache-Control': IMMUTABLE,
  });
  res.end(encoded.body);
}

/** Sends a JSON body with the given status (not cacheable). */
export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': body.length,
    'Cache-Control': 'no-store',
  });
  res.end(body);
}

/** Renders any error as `{ error }` JSON: expected ones with their status, the rest as a logged 500. */
export function sendError(req: IncomingMessage, res: ServerResponse, err: unknown, logger: Logger): void {
  const known = err instanceof SlideError ? fromSlideError(err) : err;
  if (known instanceof TilerError) {
    if (known.status >= 500 || known.code === 'unprocessable') {
      logger.warn({ url: redact(req.url), code: known.code, reason: known.message }, 'request failed');
    }
    sendJson(res, known.status, { error: known.message });
    return;
  }
  logger.error({ err, url: redact(req.url) }, 'unexpected error');
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, 500, { error: 'internal error' });
}

/** A request's URL with its token cut out: tokens are bearer credentials, kept out of logs. */
export function redact(url: string | undefined): string {
  return (url ?? '').replace(/^\/v1\/t\/[^/]+/, '/v1/t/<token>');
}
