// POST /v1/mosaic {"token", "write"}: the server asks for an annotation map's mosaic. The token's `src`
// is the job file the server wrote; with `write` the mosaic pyramid goes to the token's `out`, without
// it only the crops' features are answered (a cluster map places cells by them first).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { TokenVerifier } from '../access/token-cache.js';
import type { SourcePool } from '../cache/source-pool.js';
import { TilerError, notFound } from '../errors/tiler-error.js';
import { readJsonBody } from '../http/inspect.routes.js';
import { sendJson } from '../http/respond.js';
import { firstIssue } from '../http/tiles.schema.js';
import { buildMosaic } from './mosaic.service.js';

const mosaicBody = z.object({ token: z.string().min(1).max(8192), write: z.boolean() });

/** What the mosaic route needs. */
export interface MosaicRouteContext {
  readonly tokens: TokenVerifier;
  readonly storageRoot: string;
  readonly maxImagePixels: number;
  readonly pool: SourcePool;
}

/** Handles POST /v1/mosaic. */
export async function handleMosaic(
  req: IncomingMessage,
  res: ServerResponse,
  { tokens, storageRoot, maxImagePixels, pool }: MosaicRouteContext,
): Promise<void> {
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    throw new TilerError('method-not-allowed', 'use POST');
  }
  const body = mosaicBody.safeParse(await readJsonBody(req));
  if (!body.success) throw new TilerError('bad-request', firstIssue(body.error));
  const payload = tokens.check(body.data.token, 'mosaic');
  if (payload === null) throw notFound();
  if (body.data.write && payload.out === undefined) {
    throw new TilerError('bad-request', 'the token names no output for the mosaic');
  }
  const out = body.data.write ? payload.out : undefined;
  sendJson(
    res,
    200,
    await buildMosaic(pool, { storageRoot, job: payload.src, maxImagePixels, ...(out ? { out } : {}) }),
  );
}
