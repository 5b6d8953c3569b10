// Tessera's service worker: lets a page reload while the network is gone, so offline work stays in
// reach (the annotations themselves are kept by y-indexeddb; this keeps the app that shows them).
// - Build assets (/assets/, names carry a content hash): cache first; they never change.
// - Pages, REST reads and DeepZoom descriptors: network first, the last good answer when offline.
// - Tiles and annotations' media files are not kept (they would fill the disk), nor byte ranges, nor
//   anything but GET, nor the live documents.
// Signing out deletes the cache (client/src/api/http.ts), so one user's answers never serve another.
const CACHE = 'tessera-offline-v1';

self.addEventListener('install', () => {
  void self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/collab')) return;
  // A document snapshot is large and changes with every edit: IndexedDB keeps the document offline.
  if (url.pathname.endsWith('/annotation_document/')) return;
  // Media players ask for byte ranges, which the cache cannot hold (it refuses a 206), and an
  // annotation's media files may be large: like tiles, they are not kept.
  if (
    request.headers.has('range') ||
    /^\/api\/v1\/annotations\/annotation_media_files\/\d+\/file\/$/.test(url.pathname)
  )
    return;
  if (url.pathname.startsWith('/assets/')) {
    event.respondWith(cacheFirst(request));
  } else if (
    request.mode === 'navigate' ||
    url.pathname.startsWith('/api/v1/') ||
    (url.pathname.startsWith('/images/image/') && !url.pathname.includes('/tile_files/'))
  ) {
    event.respondWith(networkFirst(request));
  }
});

async function cacheFirst(request) {
  const cached = await caches.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await (await caches.open(CACHE)).put(request, response.clone());
  return response;
}

async function networkFirst(request) {
  try {
    const response = await fetch(request);
    if (response.ok) await (await caches.open(CACHE)).put(request, response.clone());
    return response;
  } catch (error) {
    // Pages are one app: any address falls back to the cached index.html.
    const cached =
      (await caches.match(request)) ?? (request.mode === 'navigate' ? await caches.match('/') : undefined);
    if (cached) return cached;
    throw error;
  }
}
