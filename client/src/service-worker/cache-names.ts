// The service worker's per-user cache names and what it caches as tiles, shared with the page (sign-out
// deletes the caches; the page fetches its tiles again once the worker takes over).

/** Every per-user cache name starts with this. */
export const USER_CACHE_PREFIX = 'tessera-user.';

/** The REST and tile caches of one signed-in user. */
export function userCacheNames(user: number): { api: string; tiles: string } {
  return { api: `${USER_CACHE_PREFIX}${user}.api`, tiles: `${USER_CACHE_PREFIX}${user}.tiles` };
}

/** Where the worker keeps the signed-in user's session answer (the key to that user's caches). */
export const SESSION_CACHE = 'tessera-session';

/** A DeepZoom tile's address: the worker's tile route caches these. */
export const TILE_PATH = /^\/images\/image\/\d+\/\d+\/\d+\/tile_files\/\d+\/\d+_\d+\.\w+$/;
