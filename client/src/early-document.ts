// The workspace's largest download, its document's stored copy (server/src/collab rule S1), started
// by the shell as the page loads when the address is an image's workspace: before the workspace's
// code (a lazily loaded chunk) has arrived and before its REST data. The workspace takes the answer
// over (document-snapshot.ts). Plain fetch only: the shell's bundle stays free of Yjs and schemas.

/** The stored copy of image `imageId`'s live document (the caller's own copy in blind sets). */
export function documentSnapshotUrl(imageId: number): string {
  return `/api/v1/images/images/${imageId}/annotation_document/`;
}

export interface EarlyFetch {
  readonly imageId: number;
  readonly response: Promise<Response>;
  readonly abort: AbortController;
}

/** An early fetch nobody took within this long is dropped (the page went elsewhere: a sign-in). */
const UNCLAIMED_MS = 30_000;

let early: EarlyFetch | undefined;

/** The image whose workspace `pathname` is (`/images/<id>`), else null. */
export function workspaceImageId(pathname: string): number | null {
  const match = /^\/images\/(\d{1,12})\/?$/.exec(pathname);
  return match === null ? null : Number(match[1]);
}

/** Starts the fetch if `location` is a workspace of the live document (not a version's view). */
export function startEarlyDocumentFetch(location: Pick<Location, 'pathname' | 'search'>): void {
  const imageId = workspaceImageId(location.pathname);
  if (imageId === null || new URLSearchParams(location.search).has('version')) return;
  const abort = new AbortController();
  const response = fetch(documentSnapshotUrl(imageId), {
    credentials: 'same-origin',
    signal: abort.signal,
  });
  // Settled by whoever takes it; until then a failure must not surface as unhandled.
  response.catch(() => undefined);
  const started: EarlyFetch = { imageId, response, abort };
  early = started;
  setTimeout(() => {
    if (early !== started) return;
    early = undefined;
    abort.abort();
  }, UNCLAIMED_MS);
}

/** The early fetch of image `imageId`'s copy, once: later callers (and other images) get none. */
export function takeEarlyDocumentFetch(imageId: number): EarlyFetch | undefined {
  const taken = early;
  if (taken?.imageId !== imageId) return undefined;
  early = undefined;
  return taken;
}
