import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A random URL-safe secret with `bytes` bytes of entropy. */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Constant-time comparison of two strings. */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

const TOKEN_PATTERN = /^pat_([a-z0-9]{12})\.([A-Za-z0-9_-]{43})$/;

/** A new personal access token: `pat_<prefix>.<secret>`; only the secret's hash is stored. */
export function newAccessToken(): { token: string; prefix: string; secretHash: Buffer } {
  const prefix = randomBytes(9)
    .toString('base64url')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '0')
    .slice(0, 12);
  const secret = randomSecret(32);
  return { token: `pat_${prefix}.${secret}`, prefix, secretHash: sha256(secret) };
}

/** Splits a presented token into its lookup prefix and its secret's hash, or null if malformed. */
export function parseAccessToken(token: string): { prefix: string; secretHash: Buffer } | null {
  const match = TOKEN_PATTERN.exec(token);
  if (!match?.[1] || !match[2]) return null;
  return { prefix: match[1], secretHash: sha256(match[2]) };
}
