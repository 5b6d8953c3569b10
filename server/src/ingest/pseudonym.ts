import { createHash } from 'node:crypto';
import path from 'node:path';

/**
 * EXACT's pseudonymised public name, `yyyymmdd-hhmm-XXXX` (UTC time of upload and a short hash of the
 * original name), keeping the lower-cased extension so clients still know the format.
 */
export function pseudonymFor(originalName: string, at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp =
    `${at.getUTCFullYear()}${pad(at.getUTCMonth() + 1)}${pad(at.getUTCDate())}` +
    `-${pad(at.getUTCHours())}${pad(at.getUTCMinutes())}`;
  const hash = createHash('sha256').update(originalName).digest('hex').slice(0, 4);
  const extension = path
    .extname(originalName)
    .toLowerCase()
    .replace(/[^a-z0-9.]/g, '');
  return `${stamp}-${hash}${extension}`;
}
