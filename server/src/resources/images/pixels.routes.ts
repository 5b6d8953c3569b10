import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { AuthState } from '../../auth/authenticate.middleware.js';
import type { Viewer } from '../../auth/viewer.js';
import { pathId, pathName, parsePathParams } from '../../api/path-params.js';
import { AppError } from '../../errors/app-error.js';
import type { ImagesService } from './images.service.js';
import { requestIdOf, type TilerAnswer, type TilerClient } from '../../ingest/tiler.client.js';
import { PixelAccess, type PixelAccessOptions } from './pixel-access.js';
import { TileCache } from './tile-cache.js';

function viewerOf(ctx: Context): Viewer {
  const viewer = (ctx.state as AuthState).viewer;
  if (!viewer) throw AppError.notAuthenticated();
  return viewer;
}

/** `/images/image/:id/:z/:frame/...`: the image, its z-layer (only one is supported) and its frame. */
const pixelParams = z.object({ id: pathId, z: pathName, frame: pathId });
const tileParams = pixelParams.extend({ level: pathId, tile: pathName });
const idParams = z.object({ id: pathId });
const TILE_NAME = /^(\d{1,7})_(\d{1,7})\.(jpeg|jpg)$/;

/**
 * The pixel reads a viewer repeats many times a second (DZI and tiles): their GET requests may be
 * admitted on a credential checked within the last few seconds (see RecentCredentials).
 */
export const PIXEL_READ_PATHS = /^\/images\/image\/\d+\/[^/]+\/\d+\/tile(?:\/$|_files\/)/;

export interface PixelsRouterOptions {
  readonly access?: PixelAccessOptions;
  /** The grant cache to use, made by the caller to read its figures (default: one of `access`). */
  readonly grants?: PixelAccess;
  /** Where relayed tiles are kept (default: none kept). */
  readonly tiles?: TileCache;
}

/**
 * Answers with a tiler answer held whole: 304 when the client's copy (If-None-Match) is current, so a
 * revalidating browser gets no bytes whether the tile came from memory or from the tiler.
 */
function send(ctx: Context, answer: TilerAnswer): void {
  ctx.status = answer.status;
  if (answer.etag !== '') ctx.set('ETag', answer.etag);
  if (answer.cacheControl !== '') ctx.set('Cache-Control', answer.cacheControl);
  if (answer.status === 304 || (answer.status === 200 && namesTag(ctx.get('if-none-match'), answer.etag))) {
    ctx.status = 304;
    return;
  }
  if (answer.contentType !== '') ctx.set('Content-Type', answer.contentType);
  ctx.body = answer.body;
}

/**
 * Whether an If-None-Match header (tags, weak or strong, or `*`) names `etag`, compared weakly as
 * RFC 9110 asks. As the origin we answer it even when the request also says `Cache-Control:
 * no-cache` (which fetch() adds to every conditional request), as the tiler does.
 */
function namesTag(ifNoneMatch: string, etag: string): boolean {
  if (ifNoneMatch === '' || etag === '') return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((listed) => listed.trim().replace(/^W\//, '') === etag);
}

/** A request's path parameters by the route's schema (404 for a part that does not parse). */
const paramsOf = <P>(schema: z.ZodType<P>, ctx: Context): P =>
  parsePathParams(schema, ctx.params as Record<string, string>);

/**
 * EXACT's pixel URLs outside /api/v1: DeepZoom DZI and tiles, and the original download. Every request
 * is authenticated and checked against the image's set before a signed token takes it to the tiler.
 * The check's outcome is remembered for a few seconds (see PixelAccess for the bound on revocation).
 */
export function pixelsRouter(
  images: ImagesService,
  tiler: TilerClient,
  options: PixelsRouterOptions = {},
): Router {
  const router = new Router();
  const access = options.grants ?? new PixelAccess(images, options.access);
  const tiles = options.tiles ?? new TileCache(0);

  // Frames count from 1 (videos and multi-page images have several); z-stacks are not supported yet.
  const source = async (ctx: Context) => {
    const { id, frame } = paramsOf(pixelParams, ctx);
    return tiler.tilesToken(id, await access.source(viewerOf(ctx), id, frame));
  };

  router.get('/images/image/:id/:z/:frame/tile/', async (ctx) => {
    await tiler.relay(ctx, await source(ctx), 'dzi');
  });

  // A warm tile is answered from the server's memory, after the same checks as a relayed one.
  router.get('/images/image/:id/:z/:frame/tile_files/:level/:tile', async (ctx) => {
    const { id, frame, level, tile } = paramsOf(tileParams, ctx);
    const match = TILE_NAME.exec(tile);
    if (!match) throw AppError.notFound();
    const [col, row] = [Number(match[1]), Number(match[2])];
    const src = await access.source(viewerOf(ctx), id, frame);
    const key = TileCache.key(src, level, col, row);
    let answer = tiles.get(key);
    if (answer === undefined) {
      answer = await tiler.tile(
        tiler.tilesToken(id, src),
        `tiles/${level}/${col}_${row}.jpeg`,
        ctx.get('if-none-match'),
        requestIdOf(ctx),
      );
      if (answer.status === 200) tiles.set(key, answer);
    }
    send(ctx, answer);
  });

  router.get('/images/api/image/download/:id/', async (ctx) => {
    const { path, row } = await images.originalFile(viewerOf(ctx), paramsOf(idParams, ctx).id);
    const info = await stat(path).catch(() => undefined);
    if (!info) throw AppError.notFound();
    ctx.set('Content-Length', String(info.size));
    ctx.attachment(row.original_filename ?? row.name);
    ctx.set('Cache-Control', 'private, no-store');
    ctx.body = createReadStream(path);
  });

  return router;
}
