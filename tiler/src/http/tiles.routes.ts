// GET /v1/t/{token}/...: everything a viewer or an analysis script reads under a tiles token. Any token
// problem (bad, expired, wrong scope) is a plain 404, so the tiler never reveals what exists.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import type { TokenVerifier } from '../access/token-cache.js';
import { TilerError, notFound } from '../errors/tiler-error.js';
import type { ImageService } from '../services/image.service.js';
import { sendEncoded } from './respond.js';
import { firstIssue, parseTileAddress, regionQuery, thumbnailQuery } from './tiles.schema.js';

/** What the token routes need. */
export interface TokenRouteContext {
  readonly tokens: TokenVerifier;
  readonly images: ImageService;
}

/** Handles a path below /v1/t/ (`rest` is the part after that prefix, `query` the raw query string). */
export async function handleTokenRoute(
  req: IncomingMessage,
  res: ServerResponse,
  rest: string,
  query: string,
  { tokens, images }: TokenRouteContext,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    throw new TilerError('method-not-allowed', 'use GET');
  }
  const [token = '', first = '', second, third, ...extra] = rest.split('/');
  if (extra.length > 0) throw notFound();
  const ifNoneMatch = req.headers['if-none-match'];

  if (first === 'tiles' && second !== undefined && third !== undefined) {
    const payload = tokens.check(token, 'tiles');
    const address = parseTileAddress(second, third);
    if (payload === null || address === null) throw notFound();
    sendEncoded(res, 'image/jpeg', await images.tile(payload.src, address, ifNoneMatch));
    return;
  }
  if (first === 'associated' && second?.endsWith('.jpeg') === true && third === undefined) {
    const payload = tokens.check(token, 'associated');
    const name = decodeName(second.slice(0, -'.jpeg'.length));
    if (payload === null || name === null) throw notFound();
    sendEncoded(res, 'image/jpeg', await images.associated(payload.src, name, ifNoneMatch));
    return;
  }
  if (second !== undefined) throw notFound();
  const payload = tokens.check(token, 'tiles');
  if (payload === null) throw notFound();
  switch (first) {
    case 'dzi':
      sendEncoded(res, 'application/xml; charset=utf-8', await images.dzi(payload.src, ifNoneMatch));
      return;
    case 'info':
      sendEncoded(res, 'application/json; charset=utf-8', await images.info(payload.src, ifNoneMatch));
      return;
    case 'thumbnail.jpeg': {
      const { size } = parse(thumbnailQuery, query);
      sendEncoded(res, 'image/jpeg', await images.thumbnail(payload.src, size, ifNoneMatch));
      return;
    }
    case 'region.png':
      sendEncoded(res, 'image/png', await images.region(payload.src, parse(regionQuery, query)));
      return;
    case 'region.rgb':
      // Raw RGB, width x height x 3 bytes, for analysis on the server: no PNG to encode and decode.
      sendEncoded(
        res,
        'application/octet-stream',
        await images.regionRgb(payload.src, parse(regionQuery, query)),
      );
      return;
    default:
      throw notFound();
  }
}

// Query strings are parsed only on these rare routes; the tile route never builds a URL object.
function parse<S extends z.ZodType>(schema: S, query: string): z.output<S> {
  const result = schema.safeParse(Object.fromEntries(new URLSearchParams(query)));
  if (!result.success) throw new TilerError('bad-request', firstIssue(result.error));
  return result.data;
}

function decodeName(encoded: string): string | null {
  try {
    const name = decodeURIComponent(encoded);
    return name.length > 0 && !name.includes('\0') ? name : null;
  } catch {
    return null;
  }
}
