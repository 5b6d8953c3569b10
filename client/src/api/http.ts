// The browser's one door to the REST API: same-origin session cookie, the session's CSRF token on unsafe
// methods, and errors turned into ApiError with the server's message (DRF shape: {detail} or field lists).
import type { SessionInfo } from '@tessera/shared';

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

/** Remembers the CSRF token that sign-in or the session lookup returned. */
export function setCsrfToken(token: string): void {
  csrfToken = token;
}

function messageOf(status: number, body: unknown): string {
  if (typeof body === 'object' && body !== null) {
    if ('detail' in body && typeof body.detail === 'string') return body.detail;
    const parts = Object.entries(body).map(([field, problem]) =>
      Array.isArray(problem) ? `${field}: ${problem.map(String).join(' ')}` : `${field}: ${String(problem)}`,
    );
    if (parts.length > 0) return parts.join('; ');
  }
  return `The server answered ${status}.`;
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
  const parsed: unknown = text === '' ? undefined : JSON.parse(text);
  if (!response.ok) throw new ApiError(response.status, messageOf(response.status, parsed), parsed);
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

export async function signIn(username: string, password: string): Promise<SessionInfo> {
  const session = await api<SessionInfo>('POST', '/auth/login/', { username, password });
  setCsrfToken(session.csrf_token);
  return session;
}

export async function signOut(): Promise<void> {
  await api('POST', '/auth/logout/');
  setCsrfToken('');
}
