// One log line per request, under the request id the server sent (X-Request-Id), so a tile request is
// found by one id in both processes' logs.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { redact } from './respond.js';

/** The ids the server's request log accepts; anything else is replaced, never logged as sent. */
const REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * Logs `req` once its answer is finished (or its client gone) and returns the request's child logger,
 * for error lines under the same id.
 */
export function logRequest(req: IncomingMessage, res: ServerResponse, logger: Logger): Logger {
  const incoming = req.headers['x-request-id'];
  const requestId = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  const log = logger.child({ requestId });
  const started = performance.now();
  res.once('close', () => {
    log.info(
      {
        method: req.method,
        path: redact(req.url).split('?')[0],
        status: res.statusCode,
        ms: Math.round((performance.now() - started) * 10) / 10,
      },
      'request',
    );
  });
  return log;
}
