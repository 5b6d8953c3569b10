import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { AuthState } from '../auth/authenticate.middleware.js';
import { pathId, pathName, parsePathParams } from '../api/path-params.js';
import { AppError } from '../errors/app-error.js';
import type { TilerClient } from '../ingest/tiler.client.js';
import type { MapsService } from './maps.service.js';

const mapParams = z.object({ id: pathId });
const tileParams = mapParams.extend({ level: pathId, tile: pathName });

/**
 * A map's mosaic as DeepZoom, beside EXACT's image pixel URLs and answered the same way. Policy:
 * `annotation_map.see` (rule P8, probed by the authorization matrix): the map must be one the caller
 * sees (`maps.mosaicSource`, SQL from access/policy/visibility.ts), else 404; then a signed token takes
 * the request to the tiler, whose answer is relayed. Each generation is a new file, so the tiler's
 * immutable cache headers hold.
 */
export function mapPixelsRouter(maps: MapsService, tiler: TilerClient): Router {
  const router = new Router();
  const token = async (ctx: Context, id: number) => {
    const viewer = (ctx.state as AuthState).viewer;
    if (!viewer) throw AppError.notAuthenticated();
    // The token grants its `src` only: the tiler never reads `img` (an image's id), so a mosaic,
    // which is no image, signs 0, as the mosaic job's token (mosaic.client.ts) does.
    return tiler.tilesToken(0, await maps.mosaicSource(viewer, id));
  };

  router.get('/images/annotation_map/:id/tile/', async (ctx) => {
    const { id } = parsePathParams(mapParams, ctx.params);
    await tiler.relay(ctx, await token(ctx, id), 'dzi');
  });

  router.get('/images/annotation_map/:id/tile_files/:level/:tile', async (ctx) => {
    const { id, level, tile } = parsePathParams(tileParams, ctx.params);
    const match = /^(\d{1,7})_(\d{1,7})\.(jpeg|jpg)$/.exec(tile);
    if (!match) throw AppError.notFound();
    await tiler.relay(ctx, await token(ctx, id), `tiles/${level}/${match[1]}_${match[2]}.jpeg`);
  });

  return router;
}
