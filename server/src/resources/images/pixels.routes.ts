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
import type { TilerClient } from '../../ingest/tiler.client.js';
import { PixelAccess, type PixelAccessOptions } from './pixel-access.js';

function viewerOf(ctx: Context): Viewer {
  const viewer = (ctx.state as AuthState).viewer;
  if (!viewer) throw AppError.notAuthenticated();
  return viewer;
}

/** `/images/image/:id/:z/:frame/...`: the image, its z-layer (only one is supported) and its frame. */
const pixelParams = z.object({ id: pathId, z: pathName, frame: pathId });
const tileParams = pixelParams.extend({ level: pathId, tile: pathName });
const idParams = z.object({ id: pathId });

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
  accessOptions: PixelAccessOptions = {},
): Router {
  const router = new Router();
  const access = new PixelAccess(images, accessOptions);

  // Frames count from 1 (videos and multi-page images have several); z-stacks are not supported yet.
  const source = async (ctx: Context) => {
    const { id, frame } = paramsOf(pixelParams, ctx);
    return tiler.tilesToken(id, await access.source(viewerOf(ctx), id, frame));
  };

  router.get('/images/image/:id/:z/:frame/tile/', async (ctx) => {
    await tiler.relay(ctx, await source(ctx), 'dzi');
  });

  router.get('/images/image/:id/:z/:frame/tile_files/:level/:tile', async (ctx) => {
    const { level, tile } = paramsOf(tileParams, ctx);
    const match = /^(\d{1,7})_(\d{1,7})\.(jpeg|jpg)$/.exec(tile);
    if (!match) throw AppError.notFound();
    await tiler.relay(ctx, await source(ctx), `tiles/${level}/${match[1]}_${match[2]}.jpeg`);
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
