/// <reference lib="webworker" />
// Tessera's service worker (built by vite-plugin-pwa's injectManifest, Workbox inside): keeps what a
// session needs to go on offline across a set. The annotation documents themselves live in IndexedDB
// (y-indexeddb, one per image and user); this keeps the app and what the pages read around them.
// - The app shell (the build's files, hashed): precached at install, served from the cache.
// - Pages: network first, the precached index.html when offline (one app, every address).
// - REST reads and DeepZoom descriptors: network first, the last good answer when offline (at most
//   API_LIMIT answers per user; exports are not kept).
// - Tiles already viewed: cache first, at most TILE_LIMIT of them per user (least recently used go).
// REST answers and tiles are cached per signed-in user (learned from the session and sign-in
// answers); nothing is cached while nobody is signed in, and sign-out deletes that user's caches.
// Not kept: the live documents (WebSocket), document snapshots (IndexedDB keeps them), annotation
// media files and byte ranges (large; the cache refuses 206), anything but GET.
import { cleanupOutdatedCaches, matchPrecache, precacheAndRoute } from 'workbox-precaching';
import { registerRoute } from 'workbox-routing';
import { CacheFirst, NetworkFirst, type Strategy } from 'workbox-strategies';
import { ExpirationPlugin } from 'workbox-expiration';
import { SESSION_CACHE, TILE_PATH, USER_CACHE_PREFIX, userCacheNames } from './cache-names';

type WorkerScope = ServiceWorkerGlobalScope & { __WB_MANIFEST: Parameters<typeof precacheAndRoute>[0] };
const sw = self as unknown as WorkerScope;

/** Tiles kept per user: about 60 MB of 30 KB JPEG tiles. */
const TILE_LIMIT = 2000;
/** REST answers kept per user (a set of 1,000 images opened one by one needs about 3 each). */
const API_LIMIT = 3000;
const SESSION_PATH = '/api/v1/auth/session/';

// Written as `self.__WB_MANIFEST` (once the cast is compiled away): the build puts the list there.
precacheAndRoute((self as unknown as WorkerScope).__WB_MANIFEST);
cleanupOutdatedCaches();

sw.addEventListener('install', () => {
  void sw.skipWaiting();
});
sw.addEventListener('activate', (event) => {
  // The hand-written worker before this one kept everything in one cache for everybody.
  event.waitUntil(Promise.all([caches.delete('tessera-offline-v1'), sw.clients.claim()]));
});

let currentUser: Promise<number | null> | null = null;

/**
 * The signed-in user this worker last saw: from memory, else the kept session answer, else the
 * server's (a page signed in before this worker took control).
 */
function signedInUser(): Promise<number | null> {
  currentUser ??= (async () => {
    const kept = await caches.match(SESSION_PATH, { cacheName: SESSION_CACHE });
    if (kept !== undefined) return await userOf(kept);
    try {
      const answer = await fetch(SESSION_PATH, { credentials: 'same-origin' });
      if (answer.ok) await rememberSession(answer);
      return answer.ok ? await userOf(answer) : null;
    } catch {
      currentUser = null; // asked again next time: the network may be back
      return null;
    }
  })();
  return currentUser;
}

async function userOf(answer: Response): Promise<number | null> {
  try {
    const body = (await answer.clone().json()) as { user?: { id?: unknown } };
    return typeof body.user?.id === 'number' ? body.user.id : null;
  } catch {
    return null;
  }
}

/** Remembers the session answer (or forgets it) and with it whose caches serve. */
async function rememberSession(answer: Response | null): Promise<void> {
  const cache = await caches.open(SESSION_CACHE);
  const user = answer === null ? null : await userOf(answer);
  currentUser = Promise.resolve(user);
  if (answer !== null && user !== null) await cache.put(SESSION_PATH, answer.clone());
  else await cache.delete(SESSION_PATH);
}

/** Deletes every user's REST and tile caches and the kept session. */
async function forgetUsers(): Promise<void> {
  currentUser = Promise.resolve(null);
  for (const name of await caches.keys()) {
    if (name.startsWith(USER_CACHE_PREFIX) || name === SESSION_CACHE) await caches.delete(name);
  }
}

const strategies = new Map<number, { api: Strategy; tiles: Strategy }>();

function strategiesOf(user: number): { api: Strategy; tiles: Strategy } {
  let found = strategies.get(user);
  if (found === undefined) {
    const names = userCacheNames(user);
    found = {
      api: new NetworkFirst({
        cacheName: names.api,
        plugins: [new ExpirationPlugin({ maxEntries: API_LIMIT, purgeOnQuotaError: true })],
      }),
      tiles: new CacheFirst({
        cacheName: names.tiles,
        plugins: [new ExpirationPlugin({ maxEntries: TILE_LIMIT, purgeOnQuotaError: true })],
      }),
    };
    strategies.set(user, found);
  }
  return found;
}

/** A handler that serves through the signed-in user's strategy, or straight from the network. */
function perUser(pick: (s: { api: Strategy; tiles: Strategy }) => Strategy) {
  return async ({ request, event }: { request: Request; event: ExtendableEvent }): Promise<Response> => {
    const user = await signedInUser();
    if (user === null) return fetch(request);
    return pick(strategiesOf(user)).handle({ request, event });
  };
}

// The session lookup: kept for offline reloads, and it names whose caches serve.
registerRoute(
  ({ url }) => url.pathname === SESSION_PATH,
  async ({ request }) => {
    try {
      const answer = await fetch(request);
      if (answer.ok) await rememberSession(answer);
      else if (answer.status === 401) await rememberSession(null);
      return answer;
    } catch (error) {
      const kept = await (await caches.open(SESSION_CACHE)).match(SESSION_PATH);
      if (kept !== undefined) return kept;
      throw error;
    }
  },
);
registerRoute(
  ({ url }) => url.pathname === '/api/v1/auth/login/',
  async ({ request }) => {
    const answer = await fetch(request);
    if (answer.ok) await rememberSession(answer);
    return answer;
  },
  'POST',
);
registerRoute(
  ({ url }) => url.pathname === '/api/v1/auth/logout/',
  async ({ request }) => {
    const answer = await fetch(request);
    await forgetUsers();
    return answer;
  },
  'POST',
);

registerRoute(
  ({ url, request }) => TILE_PATH.test(url.pathname) && !request.headers.has('range'),
  perUser((s) => s.tiles),
);

/** REST reads worth keeping: not the large or ranged ones, not the document snapshot (IndexedDB). */
function keptRead({ url, request }: { url: URL; request: Request }): boolean {
  if (request.headers.has('range')) return false;
  if (url.pathname.endsWith('/annotation_document/')) return false;
  if (/^\/api\/v1\/annotations\/annotation_media_files\/\d+\/file\/$/.test(url.pathname)) return false;
  if (url.pathname.startsWith('/api/v1/auth/')) return false;
  // Exports and downloads (`?format=csv`, `coco`, ...) are files for the disk, not page data.
  if (url.searchParams.has('format')) return false;
  return url.pathname.startsWith('/api/v1/') || /^\/images\/image\/\d+\/\d+\/\d+\/tile\/$/.test(url.pathname);
}
registerRoute(
  keptRead,
  perUser((s) => s.api),
);

// Pages: the server's answer when online (its headers are per response), else the app's index.html.
const pages = new NetworkFirst({ cacheName: 'tessera-pages' });
registerRoute(
  ({ request }) => request.mode === 'navigate',
  async (options) => {
    try {
      return await pages.handle(options);
    } catch (error) {
      const shell = await matchPrecache('/index.html');
      if (shell !== undefined) return shell;
      throw error;
    }
  },
);
