import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** What a `next` link remembers of the page before it, so the next page is a keyset read without count. */
export interface PageHint {
  /** The last id of the previous page: the next page starts after it (the list is in id order). */
  readonly after: number;
  /** The count the first page computed, carried along instead of counting again per page. */
  readonly knownCount: number;
}

/**
 * Signed cursors in `next` links. EXACT's clients page with limit/offset and follow `next`; a plain
 * OFFSET makes page n cost O(n) and DRF counts on every page. The `next` link keeps `offset` (so the
 * link means the same to anyone) and adds `cursor`, a hint signed with a key of this process, bound
 * to the viewer, the resource, the filters and the offset it continues. A cursor that does not verify
 * (edited, made by another server, stale after a restart) is ignored: the page is read by offset and
 * counted, which gives the same rows. The count is the one of the first page: rows written meanwhile
 * appear in later pages (ids only grow) but not in `count` until a list starts again.
 */
export class PageCursors {
  private readonly key = randomBytes(32);

  sign(scope: string, offset: number, hint: PageHint): string {
    const body = `${offset}.${hint.after}.${hint.knownCount}`;
    return `${body}.${this.mac(scope, body)}`;
  }

  /** The hint of a cursor made for this scope and offset, or undefined. */
  read(token: string | undefined, scope: string, offset: number): PageHint | undefined {
    const match =
      token === undefined ? null : /^(\d{1,15})\.(\d{1,15})\.(\d{1,15})\.([\w-]{43})$/.exec(token);
    if (!match) return undefined;
    const [, tokenOffset, after, count, mac] = match as unknown as [string, string, string, string, string];
    const body = `${tokenOffset}.${after}.${count}`;
    const expected = Buffer.from(this.mac(scope, body));
    if (Number(tokenOffset) !== offset || !timingSafeEqual(expected, Buffer.from(mac))) return undefined;
    return { after: Number(after), knownCount: Number(count) };
  }

  private mac(scope: string, body: string): string {
    return createHmac('sha256', this.key).update(scope).update('\0').update(body).digest('base64url');
  }
}

/** What a cursor is bound to: who lists what with which filters (not the page size or the fields). */
export function cursorScope(viewerId: number, resource: string, url: URL): string {
  const params = [...url.searchParams.entries()]
    .filter(([key]) => !['offset', 'cursor', 'limit', 'fields', 'omit', 'expand'].includes(key))
    .sort(([a, av], [b, bv]) => (a === b ? av.localeCompare(bv) : a.localeCompare(b)));
  return JSON.stringify([viewerId, resource, params]);
}
