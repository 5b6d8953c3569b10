// Signed tile tokens: the server (which knows users and permissions) signs a short-lived grant for one
// image file; the tiler trusts nothing else. Format: base64url(JSON payload) '.' base64url(HMAC-SHA256).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * What a token lets its bearer do: tiles/DZI/info/thumbnail/region, associated images, inspect, or build
 * an annotation map's mosaic from the job file at `src` (the crops it names, into `out`).
 */
export const TILE_TOKEN_SCOPES = ['tiles', 'associated', 'inspect', 'mosaic'] as const;

/** One scope of a tile token. */
export type TileTokenScope = (typeof TILE_TOKEN_SCOPES)[number];

/** A path relative to the storage root that cannot leave it: no '..', no absolute path, no NUL. */
export const storageRelativePath = z
  .string()
  .min(1)
  .max(1024)
  .refine((path) => isSafeRelativePath(path), { error: 'must be a relative path inside the storage root' });

const payloadSchema = z.strictObject({
  v: z.literal(1),
  img: z.number().int().nonnegative(),
  src: storageRelativePath,
  exp: z.number().int().positive(),
  scope: z.array(z.enum(TILE_TOKEN_SCOPES)).min(1),
  out: storageRelativePath.optional(),
});

/** The signed content of a tile token. */
export type TileTokenPayload = z.infer<typeof payloadSchema>;

/** Why a token was refused (for logs only: clients always get a plain 404). */
export type TileTokenFailure = 'malformed' | 'bad-signature' | 'expired' | 'bad-payload';

/** The outcome of verifyTileToken. */
export type TileTokenResult =
  | { readonly ok: true; readonly payload: TileTokenPayload }
  | { readonly ok: false; readonly reason: TileTokenFailure };

/** Whether `path` is a plain relative path (forward or back slashes) that never climbs out with '..'. */
export function isSafeRelativePath(path: string): boolean {
  if (path.length === 0 || path.includes('\0')) return false;
  if (path.startsWith('/') || path.startsWith('\\') || /^[a-zA-Z]:/.test(path)) return false;
  return path.split(/[\\/]/).every((part) => part !== '..');
}

/** Signs `payload` (validated first, so the server cannot mint a token the tiler would refuse). */
export function signTileToken(secret: string, payload: TileTokenPayload): string {
  const body = Buffer.from(JSON.stringify(payloadSchema.parse(payload)), 'utf8').toString('base64url');
  return `${body}.${mac(secret, body).toString('base64url')}`;
}

/** Checks MAC (constant time), expiry against `nowSeconds`, and the payload schema. */
export function verifyTileToken(secret: string, token: string, nowSeconds: number): TileTokenResult {
  const dot = token.indexOf('.');
  if (dot <= 0 || dot !== token.lastIndexOf('.') || token.length > 8192) {
    return { ok: false, reason: 'malformed' };
  }
  const body = token.slice(0, dot);
  const signature = token.slice(dot + 1);
  if (!BASE64URL.test(body) || !BASE64URL.test(signature)) return { ok: false, reason: 'malformed' };
  const expected = mac(secret, body);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'bad-signature' };
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'bad-payload' };
  }
  const parsed = payloadSchema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: 'bad-payload' };
  if (parsed.data.exp <= nowSeconds) return { ok: false, reason: 'expired' };
  return { ok: true, payload: parsed.data };
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

function mac(secret: string, body: string): Buffer {
  return createHmac('sha256', secret).update(body).digest();
}

export { framePath, tilePackPath } from './layout.js';
export type { MosaicJob, MosaicCrop } from '../mosaic/mosaic-job.js';
