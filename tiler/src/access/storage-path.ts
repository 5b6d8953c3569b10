// Every file path the tiler touches comes from a signed token and is resolved here, under the storage
// root, with a lexical check that it stays inside. Symlinks inside the root are followed on purpose
// (EXACT links images shared between image sets); only the server, which signs tokens, creates them.
import { resolve, sep } from 'node:path';
import { isSafeRelativePath } from './tile-token.js';

/** The absolute path of a storage-relative path, or null when it would leave the storage root. */
export function resolveInStorage(root: string, relative: string): string | null {
  if (!isSafeRelativePath(relative)) return null;
  const base = resolve(root);
  const path = resolve(base, relative);
  return path.startsWith(base + sep) ? path : null;
}
