import type { Context, Middleware, Next } from 'koa';
import { AppError } from '../errors/app-error.js';
import type { AuthService, SessionViewer } from './auth.service.js';
import { RecentCredentials, type RecentCredentialsOptions } from './recent-credentials.js';
import { safeEqual } from './secrets.js';
import type { Viewer } from './viewer.js';

export const SESSION_COOKIE = 'tessera_session';
export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** What the middleware leaves in `ctx.state` for the routes. */
export interface AuthState {
  viewer: Viewer | null;
  csrfToken?: string;
  sessionToken?: string;
}

export interface AuthenticateOptions {
  /** Paths whose answers need no CSRF token (signing in). */
  readonly csrfExemptPaths: ReadonlySet<string>;
  /**
   * Paths whose GET and HEAD requests may be admitted on a credential verified within the last few
   * seconds (RecentCredentials): the tile URLs, where a viewer sends dozens of requests a second.
   */
  readonly recentlyVerifiedPaths?: RegExp;
  readonly recent?: RecentCredentialsOptions;
}

/**
 * Establishes the caller from an Authorization header (Basic or a personal access token) or the
 * browser's session cookie. Unsafe requests riding on the cookie must echo the session's CSRF token:
 * the cookie travels with cross-site requests, a custom header does not.
 */
export function authenticate(auth: AuthService, options: AuthenticateOptions): Middleware {
  const { csrfExemptPaths, recentlyVerifiedPaths } = options;
  const headers = new RecentCredentials<Viewer>(options.recent);
  const sessions = new RecentCredentials<SessionViewer | null>(options.recent);
  return async (ctx: Context, next: Next) => {
    const state = ctx.state as AuthState;
    state.viewer = null;
    const recent =
      recentlyVerifiedPaths !== undefined &&
      SAFE_METHODS.has(ctx.method) &&
      recentlyVerifiedPaths.test(ctx.path);
    const header = ctx.get('authorization');
    if (header !== '') {
      const check = () => fromAuthorizationHeader(auth, header, ctx.ip);
      state.viewer = await (recent ? headers.get(header, check) : check());
      await next();
      return;
    }
    const sessionToken = ctx.cookies.get(SESSION_COOKIE);
    if (sessionToken !== undefined && sessionToken !== '') {
      const check = () => auth.resumeSession(sessionToken);
      const session = await (recent ? sessions.get(sessionToken, check, (found) => found !== null) : check());
      if (session) {
        state.viewer = session.viewer;
        state.csrfToken = session.csrfToken;
        state.sessionToken = sessionToken;
        if (!SAFE_METHODS.has(ctx.method) && !csrfExemptPaths.has(ctx.path)) {
          const presented = ctx.get(CSRF_HEADER);
          if (presented === '' || !safeEqual(presented, session.csrfToken)) {
            throw AppError.forbidden('CSRF token missing or incorrect.');
          }
        }
      } else {
        ctx.cookies.set(SESSION_COOKIE, null);
      }
    }
    await next();
  };
}

async function fromAuthorizationHeader(auth: AuthService, header: string, ip: string): Promise<Viewer> {
  const space = header.indexOf(' ');
  const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
  const value = space < 0 ? '' : header.slice(space + 1).trim();
  if (scheme === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 1)
      throw AppError.authenticationFailed('Invalid basic header. Credentials not correctly base64 encoded.');
    return auth.verifyCredentials(decoded.slice(0, colon), decoded.slice(colon + 1), ip, 'basic');
  }
  if (scheme === 'bearer' || scheme === 'token') return auth.verifyAccessToken(value);
  throw AppError.authenticationFailed('Unsupported authorization scheme: use Basic or Bearer.');
}
