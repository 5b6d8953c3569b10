import type Koa from 'koa';
import type { Config } from '../config/config.js';
import type { Database } from '../db/database.js';
import type { Logger } from '../logging/logger.js';
import { LOGIN_PATH } from '../auth/auth.routes.js';
import { authenticate } from '../auth/authenticate.middleware.js';
import { assembleHttpApp } from '../http/app.js';
import { PIXEL_READ_PATHS, pixelsRouter } from '../resources/images/pixels.routes.js';
import { TileCache } from '../resources/images/tile-cache.js';
import { mapPixelsRouter } from '../maps/map-pixels.routes.js';
import { PixelAccess } from '../resources/images/pixel-access.js';
import { apiEndpoints } from './api.js';
import { createMetrics } from './metrics.js';
import { createServices, type Services } from './services.js';

export interface AppDeps {
  readonly config: Config;
  /** The secret shared with the tiler (from the environment, or the data directory's own). */
  readonly tilerSecret: string;
  readonly db: Database;
  readonly logger: Logger;
  /** Built browser client to serve at `/` (client/dist); skipped when absent. */
  readonly clientDir?: string;
  readonly isShuttingDown?: () => boolean;
  readonly version?: string;
}

/** The application of one process: its services, its API and the HTTP middleware around them. */
export function createApp(deps: AppDeps): { app: Koa; services: Services } {
  const { config } = deps;
  const services = createServices(deps.db, config, deps.tilerSecret, deps.logger);
  // The pixel path's caches, made here so the metrics can read their figures.
  const grants = new PixelAccess(services.images);
  const tiles = new TileCache(config.tileCacheBytes);
  const app = assembleHttpApp({
    ...deps,
    endpoints: apiEndpoints(services, config),
    authentication: authenticate(services.auth, {
      csrfExemptPaths: new Set([LOGIN_PATH]),
      recentlyVerifiedPaths: PIXEL_READ_PATHS,
    }),
    quietPaths: PIXEL_READ_PATHS,
    routers: [
      pixelsRouter(services.images, services.tiler, { tiles, grants }),
      mapPixelsRouter(services.maps, services.tiler),
      services.processing.router,
    ],
    metrics: createMetrics(deps.db, services, { grants, tiles }),
  });
  return { app, services };
}
