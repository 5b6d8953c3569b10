import { accessToken, accessTokenCreate, accessTokenCreated, login, sessionInfo } from '@tessera/shared';
import type { Config } from '../config/config.js';
import { anonymousEndpoint, endpoint, type Endpoint } from '../api/endpoint.js';
import { idParams } from '../api/path-params.js';
import { AppError } from '../errors/app-error.js';
import type { UsersService } from '../resources/users/users.service.js';
import type { AuthService } from './auth.service.js';
import { SESSION_COOKIE, type AuthState } from './authenticate.middleware.js';

export const LOGIN_PATH = '/api/v1/auth/login/';

/** Browser sign-in and personal access tokens. */
export function authEndpoints(
  auth: AuthService,
  users: UsersService,
  config: Pick<Config, 'sessionTtlHours' | 'secureCookies'>,
): Endpoint[] {
  return [
    anonymousEndpoint({
      method: 'post',
      path: '/auth/login/',
      policy: 'public',
      auth: 'optional',
      tag: 'auth',
      summary: 'Sign in; sets the httpOnly session cookie and returns the CSRF token',
      body: login,
      response: sessionInfo,
      async handler({ body, ctx }) {
        if (!ctx.is('application/json')) throw new AppError('unsupported_media_type', 'Send JSON.');
        const session = await auth.login(body.username, body.password, {
          ip: ctx.ip,
          userAgent: ctx.get('user-agent') || null,
        });
        ctx.cookies.set(SESSION_COOKIE, session.sessionToken, {
          httpOnly: true,
          sameSite: 'lax',
          secure: config.secureCookies,
          maxAge: config.sessionTtlHours * 3600 * 1000,
          path: '/',
        });
        return {
          body: {
            user: await users.present(session.viewer, session.viewer.id),
            csrf_token: session.csrfToken,
          },
        };
      },
    }),
    endpoint({
      method: 'get',
      path: '/auth/session/',
      policy: 'public',
      tag: 'auth',
      summary: 'The signed-in user and, for browser sessions, the CSRF token',
      response: sessionInfo,
      async handler({ viewer, ctx }) {
        const state = ctx.state as AuthState;
        return { body: { user: await users.present(viewer, viewer.id), csrf_token: state.csrfToken ?? '' } };
      },
    }),
    endpoint({
      method: 'post',
      path: '/auth/logout/',
      policy: 'signed-in',
      tag: 'auth',
      summary: 'Ends the browser session',
      async handler({ ctx }) {
        const state = ctx.state as AuthState;
        if (state.sessionToken !== undefined) await auth.logout(state.sessionToken);
        ctx.cookies.set(SESSION_COOKIE, null);
        return {};
      },
    }),
    endpoint({
      method: 'get',
      path: '/users/tokens/',
      policy: 'signed-in',
      tag: 'auth',
      summary: "The caller's personal access tokens (never their secrets)",
      response: accessToken.array(),
      async handler({ viewer }) {
        return { body: await auth.listTokens(viewer) };
      },
    }),
    endpoint({
      method: 'post',
      path: '/users/tokens/',
      policy: 'signed-in',
      tag: 'auth',
      summary: 'Creates a personal access token; the answer is the only time its secret is shown',
      body: accessTokenCreate,
      response: accessTokenCreated,
      status: 201,
      async handler({ viewer, body }) {
        return { status: 201, body: await auth.createToken(viewer, body) };
      },
    }),
    endpoint({
      method: 'delete',
      path: '/users/tokens/:id/',
      policy: 'token.own',
      params: idParams,
      tag: 'auth',
      summary: 'Revokes one of your tokens',
      async handler({ viewer, params }) {
        await auth.revokeToken(viewer, params.id);
        return {};
      },
    }),
  ];
}
