// One log line per request, under the request id the server sent (X-Request-Id), so a tile request is
// found by one id in both processes' logs. As in the server, pixel reads that succeed (and health checks)
// are logged at debug level only: a viewer asks for dozens of tiles a second.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { redact } from './respond.js';

/** The ids the server's request log accepts; anything else is replaced, never logged as sent. */
const REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;

/** Paths whose successful answers are logged at debug level. */
const QUIET_PATHS = /^\/(?:v1\/t\/|healthz$)/;

/**
 * Logs `req` once its answer is finished (or its client gone) and returns the request's child logger
 * (made when first asked for), for error lines under the same id.
 */
export function logRequest(req: IncomingMessage, res: ServerResponse, logger: Logger): () => Logger {
  const incoming = req.headers['x-request-id'];
  const requestId = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  let child: Logger | undefined;
  const log = () => (child ??= logger.child({ requestId }));
  const started = performance.now();
  res.once('close', () => {
    const path = redact(req.url).split('?')[0] ?? '';
    const level = res.statusCode < 400 && QUIET_PATHS.test(path) ? 'debug' : 'info';
    if (!logger.isLevelEnabled(level)) return;
    log()[level](
      {
        method: req.method,
        path,
        status: res.statusCode,
        ms: Math.round((performance.now() - started) * 10) / 10,
      },
      'request',
    );
  });
  return log;
}
