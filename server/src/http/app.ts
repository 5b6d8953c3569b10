import { createReadStream, existsSync } from 'node:fs';
import path from 'node:path';
import Koa from 'koa';
import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import serve from 'koa-static';
import type { Config } from '../config/config.js';
import type { Database } from '../db/database.js';
import type { Logger } from '../logging/logger.js';
import { mountEndpoints, type Endpoint } from '../api/endpoint.js';
import { buildOpenApi } from '../api/openapi.js';
import { docsRouter } from './docs.routes.js';
import { bodyError, errorMiddleware } from './error.middleware.js';
import { securityHeadersMiddleware } from './security-headers.middleware.js';
import { reportSendingErrors } from './sending-errors.js';
import { healthRouter } from './health.routes.js';
import { requestLogMiddleware } from './request-log.middleware.js';
import { Metrics } from '../metrics/metrics.js';
import { metricsRouter } from '../metrics/metrics.routes.js';
import { requestMetricsMiddleware } from '../metrics/request-metrics.middleware.js';

/** What the HTTP application is assembled from; the parts come from the composition root. */
export interface HttpAppParts {
  readonly config: Config;
  readonly db: Database;
  readonly logger: Logger;
  /** Every REST endpoint below /api/v1. */
  readonly endpoints: readonly Endpoint[];
  /** Identifies the caller (sets `ctx.state.viewer`); runs after the body parser. */
  readonly authentication: Koa.Middleware;
  /**
   * Routes outside /api/v1 that need the caller (EXACT's pixel URLs); matched before the API's many
   * routes, since a viewer asks for dozens of tiles a second.
   */
  readonly routers: readonly Router[];
  /** Paths whose successful answers are logged at debug level only (see requestLogMiddleware). */
  readonly quietPaths?: RegExp;
  /**
   * The process's metrics: request latencies are recorded here and served at /metrics (default: a
   * registry of request latencies and process figures only).
   */
  readonly metrics?: Metrics;
  /** Built browser client to serve at `/` (client/dist); skipped when absent. */
  readonly clientDir?: string;
  readonly isShuttingDown?: () => boolean;
  readonly version?: string;
}

/**
 * Assembles the Koa application: logging, metrics, errors, health, docs, authentication, the API, the
 * client.
 */
export function assembleHttpApp(parts: HttpAppParts): Koa {
  const { config, db, logger, endpoints } = parts;
  const app = new Koa({ proxy: config.trustProxy });
  reportSendingErrors(app, logger);
  let openApi: unknown;
  const getOpenApi = () => (openApi ??= buildOpenApi([...endpoints], parts.version ?? '0.0.0'));

  app.use(requestLogMiddleware(logger, { quietPaths: parts.quietPaths }));
  const metrics = parts.metrics ?? new Metrics();
  app.use(requestMetricsMiddleware(metrics));
  app.use(securityHeadersMiddleware());
  app.use(errorMiddleware());
  const health = healthRouter(db, parts.isShuttingDown ?? (() => false));
  app.use(health.routes());
  const docs = docsRouter(getOpenApi);
  app.use(docs.routes());
  // Before the usual authentication: the metrics token is not an account's credential.
  app.use(metricsRouter(metrics, config.metricsToken, parts.authentication).routes());
  app.use(
    bodyParser({
      enableTypes: ['json'],
      jsonLimit: '20mb',
      // Strict JSON: a body must be an object or array, as DRF's parser expects.
      jsonStrict: true,
      onError: (error) => {
        throw bodyError(error);
      },
    }),
  );
  app.use(parts.authentication);
  for (const router of parts.routers) app.use(router.routes());
  const api = new Router({ prefix: '/api/v1' });
  mountEndpoints(api, endpoints);
  app.use(api.routes());
  app.use(api.allowedMethods());
  if (parts.clientDir !== undefined && existsSync(parts.clientDir)) {
    const indexFile = path.resolve(parts.clientDir, 'index.html');
    app.use(
      serve(parts.clientDir, {
        maxage: 3600_000,
        index: 'index.html',
        // index.html names the hashed assets of one build: a cached copy would outlive them.
        setHeaders: (res, file) => {
          if (file === indexFile) res.setHeader('Cache-Control', 'no-cache');
        },
      }),
    );
    app.use(spaFallback(indexFile));
  }
  return app;
}

/** Paths the browser app never owns: a miss there stays the server's 404. */
const SERVER_PATHS = /^\/(?:api(?:\/|$)|collab(?:\/|$)|images\/image\/|healthz$|readyz$|metrics$)/;

/**
 * The browser app's addresses (/sets/3, /images/7, /account) are routes inside index.html: a page load
 * of one that matched no file gets index.html. Only GET/HEAD asking for HTML, so a missing script or
 * image still answers 404 instead of a page that would confuse its caller.
 */
function spaFallback(indexFile: string): Koa.Middleware {
  return async (ctx, next) => {
    const isPageLoad =
      (ctx.method === 'GET' || ctx.method === 'HEAD') &&
      ctx.get('accept').includes('text/html') &&
      !SERVER_PATHS.test(ctx.path);
    if (!isPageLoad) {
      await next();
      return;
    }
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = createReadStream(indexFile);
  };
}
