// The browser's one door to the REST API: same-origin session cookie, the session's CSRF token on unsafe
// methods, and errors turned into ApiError with the server's message (DRF shape: {detail} or field lists).
import type { SessionInfo } from '@tessera/shared';
import { SESSION_CACHE, USER_CACHE_PREFIX } from '../service-worker/cache-names';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let csrfToken = '';
const unauthorizedListeners = new Set<() => void>();

/** Remembers the CSRF token that sign-in or the session lookup returned. */
export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/** The session's CSRF token, for requests made outside api() (uploads through XMLHttpRequest). */
export function currentCsrfToken(): string {
  return csrfToken;
}

/**
 * Calls `listener` whenever the server answers 401 to a signed-in request: the session expired or was
 * ended elsewhere, so the app goes back to the sign-in page. Returns the unsubscribe function.
 */
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

/** Tells the listeners that the session is gone (used by api() and by the upload). */
export function reportUnauthorized(): void {
  for (const listener of unauthorizedListeners) listener();
}

/** The server's message in DRF's error shapes, or a plain sentence naming the status. */
export function messageOf(status: number, body: unknown): string {
  if (typeof body === 'object' && body !== null) {
    if ('detail' in body && typeof body.detail === 'string') return body.detail;
    const parts = Object.entries(body).map(([field, problem]) =>
      Array.isArray(problem) ? `${field}: ${problem.map(String).join(' ')}` : `${field}: ${String(problem)}`,
    );
    if (parts.length > 0) return parts.join('; ');
  }
  return `The server answered ${status}.`;
}

/** JSON if the text is JSON; proxies and crashed servers may answer HTML or plain text. */
export function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Calls `/api/v1<path>`; JSON in, JSON out (undefined for 204). */
export async function api<T>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken;
  const response = await fetch(`/api/v1${path}`, {
    method,
    credentials: 'same-origin',
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  const parsed = parseJson(text);
  if (!response.ok) {
    // A 401 on sign-in or on the session lookup is an answer, not a lost session.
    if (response.status === 401 && !path.startsWith('/auth/')) reportUnauthorized();
    throw new ApiError(response.status, messageOf(response.status, parsed), parsed);
  }
  return parsed as T;
}

/** The signed-in user (and CSRF token), or null when signed out. */
export async function loadSession(): Promise<SessionInfo | null> {
  try {
    const session = await api<SessionInfo>('GET', '/auth/session/');
    setCsrfToken(session.csrf_token);
    return session;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

/** Signs in with the session cookie; throws ApiError with the server's message on failure. */
export async function signIn(username: string, password: string): Promise<SessionInfo> {
  const session = await api<SessionInfo>('POST', '/auth/login/', { username, password });
  setCsrfToken(session.csrf_token);
  return session;
}

/** Ends the browser session. */
export async function signOut(): Promise<void> {
  await api('POST', '/auth/logout/');
  setCsrfToken('');
  // The service worker's copies of this user's REST answers and tiles go with the session
  // (service-worker/sw.ts, which also forgets them when it sees the sign-out; this covers a page the
  // worker does not control). The app shell stays: it holds nobody's data.
  if ('caches' in window) {
    for (const key of await caches.keys()) {
      if (key.startsWith(USER_CACHE_PREFIX) || key === SESSION_CACHE) await caches.delete(key);
    }
  }
}
