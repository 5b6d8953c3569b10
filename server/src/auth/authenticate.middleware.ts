import type { Context, Middleware, Next } from 'koa';
import { AppError } from '../errors/app-error.js';
import type { AuthService } from './auth.service.js';
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

/**
 * Establishes the caller from an Authorization header (Basic or a personal access token) or the
 * browser's session cookie. Unsafe requests riding on the cookie must echo the session's CSRF token:
 * the cookie travels with cross-site requests, a custom header does not.
 */
export function authenticate(auth: AuthService, csrfExemptPaths: ReadonlySet<string>): Middleware {
  return async (ctx: Context, next: Next) => {
    const state = ctx.state as AuthState;
    state.viewer = null;
    const header = ctx.get('authorization');
    if (header !== '') {
      state.viewer = await fromAuthorizationHeader(auth, header, ctx.ip);
      await next();
      return;
    }
    const sessionToken = ctx.cookies.get(SESSION_COOKIE);
    if (sessionToken !== undefined && sessionToken !== '') {
      const session = await auth.resumeSession(sessionToken);
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
