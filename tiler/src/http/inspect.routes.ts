// POST /v1/inspect {"token"}: the server asks whether an uploaded file can be served (and has it converted
// when it is an ordinary image). Called once per upload, so plain JSON and zod are fine here.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TokenVerifier } from '../access/token-cache.js';
import { TilerError, notFound } from '../errors/tiler-error.js';
import { inspectImage } from '../services/inspect.service.js';
import { sendJson } from './respond.js';
import { firstIssue, inspectBody } from './tiles.schema.js';

/** Largest inspect request body. */
const MAX_BODY_BYTES = 16 * 1024;

/** What the inspect route needs. */
export interface InspectRouteContext {
  readonly tokens: TokenVerifier;
  readonly storageRoot: string;
  readonly maxImagePixels: number;
}

/** Handles POST /v1/inspect. */
export async function handleInspect(
  req: IncomingMessage,
  res: ServerResponse,
  { tokens, storageRoot, maxImagePixels }: InspectRouteContext,
): Promise<void> {
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    throw new TilerError('method-not-allowed', 'use POST');
  }
  const body = inspectBody.safeParse(await readJsonBody(req));
  if (!body.success) throw new TilerError('bad-request', firstIssue(body.error));
  const payload = tokens.check(body.data.token, 'inspect');
  if (payload === null) throw notFound();
  sendJson(res, 200, await inspectImage(payload, storageRoot, maxImagePixels));
}

/** A small JSON request body (400 when it is not JSON, 413 past 16 KiB). */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  try {
    return JSON.parse((await readBody(req)).toString('utf8'));
  } catch (err) {
    if (err instanceof TilerError) throw err;
    throw new TilerError('bad-request', 'the body must be JSON');
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES)
      throw new TilerError('payload-too-large', `the body is over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
