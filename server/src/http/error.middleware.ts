import type { Context, Middleware, Next } from 'koa';
import { AppError } from '../errors/app-error.js';
import type { Logger } from '../logging/logger.js';

interface HttpErrorLike {
  status?: unknown;
  expose?: unknown;
  type?: unknown;
  message?: unknown;
}

/** Renders every failure in DRF's shape; unexpected errors are logged and answered with a plain 500. */
export function errorMiddleware(): Middleware {
  return async (ctx: Context, next: Next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined && ctx.path.startsWith('/api/')) {
        throw AppError.notFound();
      }
    } catch (caught) {
      const error = toAppError(caught);
      if (!error) {
        (ctx.state as { log?: Logger }).log?.error({ err: caught }, 'unhandled error');
        ctx.status = 500;
        ctx.body = { detail: 'A server error occurred.', code: 'server_error' };
        return;
      }
      ctx.status = error.status;
      for (const [name, value] of Object.entries(error.headers ?? {})) ctx.set(name, value);
      if (error.status === 401) ctx.set('WWW-Authenticate', 'Bearer realm="tessera"');
      ctx.body = error.fieldErrors ? { ...error.fieldErrors } : { detail: error.message, code: error.code };
    }
  };
}

/** Our own errors pass through; errors Koa's helpers throw (body parser, etc.) are translated. */
function toAppError(caught: unknown): AppError | undefined {
  if (caught instanceof AppError) return caught;
  if (typeof caught !== 'object' || caught === null) return undefined;
  const e = caught as HttpErrorLike;
  if (typeof e.status !== 'number' || e.expose !== true) return undefined;
  if (e.status === 405) return new AppError('method_not_allowed', 'Method not allowed.');
  if (e.status === 413) return new AppError('payload_too_large', 'Request body is too large.');
  if (e.status === 415) return new AppError('unsupported_media_type', 'Unsupported media type; send JSON.');
  return undefined;
}

/** The body parser's failures: too large, or not JSON at all. */
export function bodyError(caught: unknown): AppError {
  const e = (typeof caught === 'object' && caught !== null ? caught : {}) as HttpErrorLike;
  if (e.status === 413) return new AppError('payload_too_large', 'Request body is too large.');
  if (e.status === 415) return new AppError('unsupported_media_type', 'Unsupported media type; send JSON.');
  const message = typeof e.message === 'string' ? e.message : 'invalid JSON';
  return AppError.badRequest(`JSON parse error - ${message}`);
}
