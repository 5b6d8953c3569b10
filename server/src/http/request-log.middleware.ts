import { randomUUID } from 'node:crypto';
import type { Context, Middleware, Next } from 'koa';
import type { Logger } from '../logging/logger.js';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;

export interface RequestLogOptions {
  /**
   * Paths whose successful answers are logged at debug level only: a viewer asks for dozens of tiles a
   * second, and a line for each would drown the other lines and cost more than the tile itself.
   */
  readonly quietPaths?: RegExp;
}

/**
 * Gives each request an id (kept from X-Request-Id when sane), a child logger (`state.log`, made when
 * first used), and one log line.
 */
export function requestLogMiddleware(logger: Logger, options: RequestLogOptions = {}): Middleware {
  return async (ctx: Context, next: Next) => {
    const incoming = ctx.get('x-request-id');
    const requestId = REQUEST_ID.test(incoming) ? incoming : randomUUID();
    let log: Logger | undefined;
    const childLog = () => (log ??= logger.child({ requestId }));
    const state = ctx.state as { requestId: string; log: Logger; viewer?: { id: number } | null };
    state.requestId = requestId;
    Object.defineProperty(state, 'log', { get: childLog, enumerable: true, configurable: true });
    ctx.set('X-Request-Id', requestId);
    const started = performance.now();
    try {
      await next();
    } finally {
      const quiet = ctx.status < 400 && options.quietPaths?.test(ctx.path) === true;
      const level = quiet ? 'debug' : 'info';
      if (logger.isLevelEnabled(level)) {
        childLog()[level](
          {
            method: ctx.method,
            path: ctx.path,
            status: ctx.status,
            ms: Math.round((performance.now() - started) * 10) / 10,
            user: state.viewer?.id,
          },
          'request',
        );
      }
    }
  };
}
