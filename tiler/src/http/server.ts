// The tiler's HTTP server: plain node:http and a hand-written router, because the tile path must stay
// close to the cost of answering a buffer from memory. Routes: /healthz, POST /v1/inspect, GET /v1/t/...
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import { TokenVerifier } from '../access/token-cache.js';
import { SourcePool } from '../cache/source-pool.js';
import type { TilerConfig } from '../config.js';
import { notFound } from '../errors/tiler-error.js';
import { ImageService } from '../services/image.service.js';
import { storageSourceOpener, type OpenerOptions } from '../services/open-source.js';
import { missingLibraries, useSystemLibraries } from '../services/system-libraries.js';
import { handleMosaic } from '../mosaic/mosaic.routes.js';
import { handleInspect } from './inspect.routes.js';
import { logRequest } from './request-log.js';
import { sendError, sendJson } from './respond.js';
import { handleTokenRoute } from './tiles.routes.js';

/** Sources kept open at once (each OpenSlide handle also keeps its own decoded-tile cache). */
export const MAX_OPEN_SOURCES = 16;

/** A tiler HTTP server that can be started and stopped (tests listen on port 0). */
export interface TilerServer {
  readonly server: Server;
  readonly images: ImageService;
  /** Starts listening on the configured host and port; resolves with the bound address. */
  listen(): Promise<AddressInfo>;
  /**
   * Stops accepting connections, lets requests in flight finish (also those whose client has gone),
   * then closes every open source.
   */
  close(): Promise<void>;
}

/** Options beyond the configuration. */
export interface TilerServerOptions {
  readonly logger?: Logger;
  /** Seconds since the epoch (tests move time to expire tokens). */
  readonly now?: () => number;
  /** How slides are laid out (tests lower the tile-pack limit to serve small slides natively). */
  readonly layout?: OpenerOptions;
}

/** Builds the tiler server for `config` (does not listen yet). */
export function createTilerServer(config: TilerConfig, options: TilerServerOptions = {}): TilerServer {
  const logger = options.logger ?? pino({ level: config.logLevel });
  useSystemLibraries(config);
  const tokens = new TokenVerifier(config.secret, options.now);
  const pool = new SourcePool(
    storageSourceOpener(config.storageRoot, options.layout),
    MAX_OPEN_SOURCES,
    (err, src) => {
      logger.error({ err, src }, 'closing a source failed');
    },
  );
  const images = new ImageService(pool, config.cacheBytes, {
    prefetchTiles: config.prefetchTiles,
    onPrefetchError: (err, key) => {
      logger.warn({ err, key }, 'prefetching a tile failed');
    },
  });
  const inspect = { tokens, storageRoot: config.storageRoot, maxImagePixels: config.maxImagePixels };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    if (path.startsWith('/v1/t/')) {
      await handleTokenRoute(req, res, path.slice('/v1/t/'.length), q < 0 ? '' : url.slice(q + 1), {
        tokens,
        images,
      });
    } else if (path === '/v1/inspect') {
      await handleInspect(req, res, inspect);
    } else if (path === '/v1/mosaic') {
      await handleMosaic(req, res, { ...inspect, pool });
    } else if (path === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) {
      sendJson(res, 200, {
        status: 'ok',
        openSources: pool.size,
        cachedBytes: images.cachedBytes,
        cache: images.cacheLookups,
        prefetch: images.prefetch,
        missing: await missingLibraries(),
      });
    } else {
      throw notFound();
    }
  };

  // Handlers still running: one whose client went away (a job runner cancelled at shutdown) keeps
  // working, converting into the storage, after its socket has closed; close() waits for it too.
  const inFlight = new Set<Promise<void>>();
  const server = createServer({ keepAliveTimeout: 10_000 }, (req, res) => {
    const log = logRequest(req, res, logger);
    const handled = route(req, res).catch((err: unknown) => {
      sendError(req, res, err, log());
    });
    inFlight.add(handled);
    void handled.finally(() => inFlight.delete(handled));
  });

  return {
    server,
    images,
    listen: () =>
      new Promise<AddressInfo>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          server.off('error', reject);
          resolve(server.address() as AddressInfo);
        });
      }),
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeIdleConnections();
      });
      await Promise.all(inFlight);
      await images.close();
      await pool.closeAll();
    },
  };
}
