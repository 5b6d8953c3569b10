import { describe, expect, it } from 'vitest';
import type { AccessToken } from '@tessera/shared';
import { Factories } from '../../../test/support/factories.js';
import { ApiClient, browserLogin as signIn } from '../../../test/support/http.js';
import { useTestServer } from '../../../test/support/server.js';

const server = useTestServer();
const api = () => new ApiClient(server.baseUrl);
const make = () => new Factories(server.db);

/** Signs in like the browser does and returns the cookie and CSRF token. */
const browserLogin = (username: string, password: string) => signIn(server.baseUrl, username, password);

describe('browser sessions', () => {
  it('sets an httpOnly SameSite cookie and demands the CSRF token on unsafe requests', async () => {
    const user = await make().user();
    const login = await browserLogin(user.username, user.password);
    expect(login.status).toBe(200);
    expect(login.setCookie).toMatch(/tessera_session=.+; path=\/; expires=.+; samesite=lax; httponly/i);
    const headers = { cookie: login.cookie };
    const session = await api().request('GET', '/auth/session/', undefined, { headers });
    expect(session.body).toMatchObject({ user: { username: user.username }, csrf_token: login.csrf });
    const noCsrf = await api().request('POST', '/users/teams/', { name: `t-${user.id}` }, { headers });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.body).toMatchObject({ detail: 'CSRF token missing or incorrect.' });
    const wrongCsrf = await api().request(
      'POST',
      '/users/teams/',
      { name: `t-${user.id}` },
      {
        headers: { ...headers, 'x-csrf-token': 'nope' },
      },
    );
    expect(wrongCsrf.status).toBe(403);
    const ok = await api().request(
      'POST',
      '/users/teams/',
      { name: `t-${user.id}` },
      {
        headers: { ...headers, 'x-csrf-token': login.csrf },
      },
    );
    expect(ok.status).toBe(201);
    const logout = await api().request('POST', '/auth/logout/', undefined, {
      headers: { ...headers, 'x-csrf-token': login.csrf },
    });
    expect(logout.status).toBe(204);
    expect((await api().request('GET', '/auth/session/', undefined, { headers })).status).toBe(401);
  });

  it('refuses wrong passwords and inactive users alike', async () => {
    const user = await make().user();
    expect((await browserLogin(user.username, 'wrong password')).status).toBe(401);
    expect((await browserLogin('nobody-at-all', 'whatever pw')).status).toBe(401);
    const admin = await make().user({ superuser: true });
    await api().as(admin).patch(`/users/users/${user.id}/`, { is_active: false });
    expect((await browserLogin(user.username, user.password)).status).toBe(401);
  });

  it('throttles repeated failures per user name and address, even for the right password, with Retry-After', async () => {
    const user = await make().user();
    for (let i = 0; i < 10; i++) expect((await browserLogin(user.username, `wrong ${i}`)).status).toBe(401);
    const blocked = await api()
      .as({ username: user.username, password: user.password })
      .get('/auth/session/');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another account is not affected.
    const other = await make().user();
    expect((await api().as(other).get('/auth/session/')).status).toBe(200);
  });
});

describe('personal access tokens', () => {
  it('shows the secret once, authenticates with it, lists without it, and stops on revoke', async () => {
    const user = await make().user();
    const created = await api().as(user).post<AccessToken & { token: string }>('/users/tokens/', {
      name: 'notebook',
      expires_in_days: 30,
    });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^pat_[a-z0-9]{12}\.[A-Za-z0-9_-]{43}$/);
    const viaToken = api().as({ token: created.body.token });
    const me = await viaToken.get<{ user: { id: number } }>('/auth/session/');
    expect(me.status).toBe(200);
    expect(me.body.user.id).toBe(user.id);
    const listed = await api().as(user).get<AccessToken[]>('/users/tokens/');
    expect(listed.body).toHaveLength(1);
    expect(listed.body[0]).not.toHaveProperty('token');
    expect(listed.body[0]?.last_used).not.toBeNull();
    // Tokens skip CSRF (not ambient), so writes work with the header alone.
    expect((await viaToken.post('/users/teams/', { name: `tok-${user.id}` })).status).toBe(201);
    const other = await make().user();
    expect((await api().as(other).delete(`/users/tokens/${created.body.id}/`)).status).toBe(404);
    expect((await api().as(user).delete(`/users/tokens/${created.body.id}/`)).status).toBe(204);
    const revoked = await viaToken.get('/auth/session/');
    expect(revoked.status).toBe(401);
    expect(revoked.body).toMatchObject({ detail: 'Token has been revoked.' });
  });

  it('stops working when expired, and a tampered secret is refused', async () => {
    const user = await make().user();
    const created = await api()
      .as(user)
      .post<{ id: number; token: string }>('/users/tokens/', { name: 'ci' });
    const tampered = `${created.body.token.slice(0, -1)}${created.body.token.endsWith('A') ? 'B' : 'A'}`;
    expect((await api().as({ token: tampered }).get('/auth/session/')).status).toBe(401);
    await server.db.query(
      `UPDATE personal_access_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`,
      [created.body.id],
    );
    const expired = await api().as({ token: created.body.token }).get('/auth/session/');
    expect(expired.status).toBe(401);
    expect(expired.body).toMatchObject({ detail: 'Token has expired.' });
  });

  it('rejects unknown authorization schemes and malformed Basic headers', async () => {
    const res = await api().request('GET', '/auth/session/', undefined, {
      headers: { authorization: 'Digest x' },
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="tessera"');
    const basic = await api().request('GET', '/auth/session/', undefined, {
      headers: { authorization: 'Basic !!!' },
    });
    expect(basic.status).toBe(401);
  });
});
