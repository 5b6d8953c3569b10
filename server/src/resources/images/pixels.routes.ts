import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import Router from '@koa/router';
import type { Context } from 'koa';
import type { AuthState } from '../../auth/authenticate.middleware.js';
import type { Viewer } from '../../auth/viewer.js';
import { AppError } from '../../errors/app-error.js';
import type { ImagesService } from './images.service.js';
import type { TilerClient } from '../../ingest/tiler.client.js';

function viewerOf(ctx: Context): Viewer {
  const viewer = (ctx.state as AuthState).viewer;
  if (!viewer) throw AppError.notAuthenticated();
  return viewer;
}

function intParam(value: string | undefined): number {
  if (value === undefined || !/^\d{1,9}$/.test(value)) throw AppError.notFound();
  return Number(value);
}

/**
 * EXACT's pixel URLs outside /api/v1: DeepZoom DZI and tiles, and the original download. Every request
 * is authenticated and checked against the image's set before a signed token takes it to the tiler.
 */
export function pixelsRouter(images: ImagesService, tiler: TilerClient): Router {
  const router = new Router();

  // Frames count from 1 (videos and multi-page images have several); z-stacks are not supported yet.
  const source = async (ctx: Context) => {
    const params = ctx.params as Record<string, string | undefined>;
    const id = intParam(params.id);
    const frame = intParam(params.frame);
    const { src } = await images.pixelSource(viewerOf(ctx), id, { frame });
    return tiler.token({ img: id, src, scope: ['tiles'] });
  };

  router.get('/images/image/:id/:z/:frame/tile/', async (ctx) => {
    await tiler.relay(ctx, await source(ctx), 'dzi');
  });

  router.get('/images/image/:id/:z/:frame/tile_files/:level/:tile', async (ctx) => {
    const level = intParam(ctx.params.level);
    const match = /^(\d{1,7})_(\d{1,7})\.(jpeg|jpg)$/.exec(ctx.params.tile ?? '');
    if (!match) throw AppError.notFound();
    await tiler.relay(ctx, await source(ctx), `tiles/${level}/${match[1]}_${match[2]}.jpeg`);
  });

  router.get('/images/api/image/download/:id/', async (ctx) => {
    const { path, row } = await images.originalFile(viewerOf(ctx), intParam(ctx.params.id));
    const info = await stat(path).catch(() => undefined);
    if (!info) throw AppError.notFound();
    ctx.set('Content-Length', String(info.size));
    ctx.attachment(row.original_filename ?? row.name);
    ctx.set('Cache-Control', 'private, no-store');
    ctx.body = createReadStream(path);
  });

  return router;
}
