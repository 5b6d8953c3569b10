import { AppError } from '../errors/app-error.js';

export const DEFAULT_PAGE_SIZE = 50;

export interface PageRequest {
  readonly limit: number;
  readonly offset: number;
  /** From a verified `next` cursor: start after this id (keyset) and reuse this count. */
  readonly after?: number;
  readonly knownCount?: number;
}

/** Reads `limit` and `offset`; a limit above the cap is a 400 that says the cap. */
export function parsePageRequest(
  query: Record<string, string | string[] | undefined>,
  maxPageSize: number,
): PageRequest {
  const limit = readNonNegativeInt(query, 'limit', DEFAULT_PAGE_SIZE);
  const offset = readNonNegativeInt(query, 'offset', 0);
  if (limit < 1) throw AppError.invalidField('limit', 'Ensure this value is greater than or equal to 1.');
  if (limit > maxPageSize) {
    throw AppError.invalidField('limit', `Ensure this value is less than or equal to ${maxPageSize}.`);
  }
  return { limit, offset };
}

function readNonNegativeInt(
  query: Record<string, string | string[] | undefined>,
  key: string,
  fallback: number,
): number {
  const raw = query[key];
  const text = Array.isArray(raw) ? raw[raw.length - 1] : raw;
  if (text === undefined || text === '') return fallback;
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw AppError.invalidField(key, 'Enter a whole number that is not negative.');
  }
  return Number(text);
}

/**
 * The `next` and `previous` links of a page, keeping every other query parameter. `nextCursor`, given
 * the next offset, makes the signed cursor the `next` link carries (see page-cursor.ts).
 */
export function pageLinks(
  url: URL,
  page: PageRequest,
  count: number,
  nextCursor?: (offset: number) => string | undefined,
): { next: string | null; previous: string | null } {
  const at = (offset: number, cursor?: string): string => {
    const u = new URL(url);
    u.searchParams.set('limit', String(page.limit));
    if (offset > 0) u.searchParams.set('offset', String(offset));
    else u.searchParams.delete('offset');
    if (cursor === undefined) u.searchParams.delete('cursor');
    else u.searchParams.set('cursor', cursor);
    return u.toString();
  };
  const nextOffset = page.offset + page.limit;
  const next = nextOffset < count ? at(nextOffset, nextCursor?.(nextOffset)) : null;
  const previous = page.offset > 0 ? at(Math.max(0, page.offset - page.limit)) : null;
  return { next, previous };
}
