import type { Context, Middleware, Next } from 'koa';
import type { Metrics } from './metrics.js';

/** The label of a request that no router matched (static files, 404s): one value, not the URL. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Times every request into the latency histogram, labelled by the route template @koa/router matched
 * (`/api/v1/images/images/:id/`), so label values stay as few as the routes however many ids exist.
 * Sits outside the error renderer, so a thrown error is counted with the status it was rendered with.
 */
export function requestMetricsMiddleware(metrics: Metrics): Middleware {
  return async (ctx: Context, next: Next) => {
    const stop = metrics.requestDuration.startTimer();
    try {
      await next();
    } finally {
      const matched = (ctx as { _matchedRoute?: string | RegExp })._matchedRoute;
      stop({
        method: ctx.method,
        route: typeof matched === 'string' ? matched : UNMATCHED_ROUTE,
        status_class: `${Math.floor(ctx.status / 100)}xx`,
      });
    }
  };
}
