import { createHash, timingSafeEqual } from 'node:crypto';
import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { Viewer } from '../auth/viewer.js';
import { AppError } from '../errors/app-error.js';
import type { Metrics } from './metrics.js';

/** Where Prometheus scrapes. */
export const METRICS_PATH = '/metrics';

/**
 * `GET /metrics`: the Prometheus text, for a bearer `TESSERA_METRICS_TOKEN` (when set) or a signed-in
 * superuser. The token is looked at before the usual authentication, which would refuse it as an
 * unknown access token. Anyone else is refused like a `superuser` endpoint: 401 without credentials,
 * 403 for another signed-in user (the path itself is no secret).
 */
export function metricsRouter(
  metrics: Metrics,
  token: string | undefined,
  authentication: Middleware,
): Router {
  const router = new Router();
  router.get(METRICS_PATH, async (ctx) => {
    if (token === undefined || !presentsToken(ctx, token)) {
      await authentication(ctx, () => Promise.resolve());
      const viewer = (ctx.state as { viewer?: Viewer | null }).viewer;
      if (!viewer) throw AppError.notAuthenticated();
      if (!viewer.isSuperuser) throw AppError.forbidden();
    }
    const { contentType, body } = await metrics.text();
    ctx.set('Cache-Control', 'no-store');
    ctx.type = contentType;
    ctx.body = body;
  });
  return router;
}

/** Whether the request carries `Authorization: Bearer <token>`, compared in constant time. */
function presentsToken(ctx: Context, token: string): boolean {
  const match = /^bearer\s+(\S+)\s*$/i.exec(ctx.get('authorization'));
  if (!match?.[1]) return false;
  // Digests have one length, so the comparison takes the same time whatever was presented.
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(match[1]), digest(token));
}
