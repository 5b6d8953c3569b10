import { describe, expect, it } from 'vitest';
import type { Page, User } from '@tessera/shared';
import { Factories } from '../../../../test/support/factories.js';
import { ApiClient, browserLogin } from '../../../../test/support/http.js';
import { useTestServer } from '../../../../test/support/server.js';

const server = useTestServer();

describe('users/users/', () => {
  const api = () => new ApiClient(server.baseUrl);
  const make = () => new Factories(server.db);

  it('answers 401 without credentials and 401 for a wrong password', async () => {
    const res = await api().get('/users/users/');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({
      detail: 'Authentication credentials were not provided.',
      code: 'not_authenticated',
    });
    const user = await make().user();
    const wrong = await api()
      .as({ username: user.username, password: 'not the password' })
      .get('/users/users/');
    expect(wrong.status).toBe(401);
  });

  it('lists users paginated with EXACT fields; e-mail only for oneself', async () => {
    const me = await make().user();
    const other = await make().user();
    const res = await api().as(me).get<Page<User>>(`/users/users/?id__in=${me.id},${other.id}`);
    expect(res.status).toBe(200);
    expect(res.body.count).toBe(2);
    expect(res.body.next).toBeNull();
    const mine = res.body.results.find((u) => u.id === me.id);
    const theirs = res.body.results.find((u) => u.id === other.id);
    expect(mine).toMatchObject({
      username: me.username,
      email: `${me.username}@example.org`,
      is_active: true,
    });
    expect(mine?.date_joined).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/);
    expect(theirs).not.toHaveProperty('email');
  });

  it('lets only superusers create users, with validation per field', async () => {
    const admin = await make().user({ superuser: true });
    const plain = await make().user();
    const body = { username: 'new-user.1', password: 'long enough pw', email: 'n@example.org' };
    expect((await api().as(plain).post('/users/users/', body)).status).toBe(403);
    const created = await api().as(admin).post<User>('/users/users/', body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ username: 'new-user.1', is_superuser: false, team_set: [] });
    const again = await api().as(admin).post('/users/users/', body);
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ username: ['A user with that username already exists.'] });
    const bad = await api().as(admin).post('/users/users/', { username: 'has space', password: 5 });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body as object).sort()).toEqual(['password', 'username']);
    const login = await api()
      .as({ username: 'new-user.1', password: 'long enough pw' })
      .get('/auth/session/');
    expect(login.status).toBe(200);
  });

  it('rejects malformed JSON with a 400 that says so', async () => {
    const admin = await make().user({ superuser: true });
    const res = await api()
      .as(admin)
      .request('POST', '/users/users/', undefined, { rawBody: '{"username": ' });
    expect(res.status).toBe(400);
    expect((res.body as { detail: string }).detail).toMatch(/JSON parse error/);
  });

  it('validates filter values and page limits', async () => {
    const me = await make().user();
    const badId = await api().as(me).get('/users/users/?id=abc');
    expect(badId.status).toBe(400);
    expect(badId.body).toEqual({ id: ['Enter a whole number.'] });
    const badBool = await api().as(me).get('/users/users/?is_active=maybe');
    expect(badBool.status).toBe(400);
    const tooMany = await api().as(me).get('/users/users/?limit=1001');
    expect(tooMany.status).toBe(400);
    expect(tooMany.body).toEqual({ limit: ['Ensure this value is less than or equal to 1000.'] });
    // An unknown filter is named, not ignored: ignoring it answered the whole list as if it matched.
    const unknownKey = await api().as(me).get('/users/users/?no_such_filter=1');
    expect(unknownKey.status).toBe(400);
    expect(unknownKey.body).toEqual({ no_such_filter: ['Unknown filter "no_such_filter".'] });
  });

  it('lets users change their own password only with the current one, and not their flags', async () => {
    const me = await make().user();
    const path = `/users/users/${me.id}/`;
    expect((await api().as(me).patch(path, { is_superuser: true })).status).toBe(403);
    const noCurrent = await api().as(me).patch(path, { password: 'a new password' });
    expect(noCurrent.status).toBe(400);
    expect(noCurrent.body).toHaveProperty('current_password');
    const ok = await api().as(me).patch(path, { password: 'a new password', current_password: me.password });
    expect(ok.status).toBe(200);
    expect((await api().as(me).get('/auth/session/')).status).toBe(401);
    expect(
      (
        await api()
          .as({ ...me, password: 'a new password' })
          .get('/auth/session/')
      ).status,
    ).toBe(200);
  });

  it('a password change ends every token and every other session; the session making it stays', async () => {
    const me = await make().user();
    const changing = await browserLogin(server.baseUrl, me.username, me.password);
    const elsewhere = await browserLogin(server.baseUrl, me.username, me.password);
    const token = await api().as(me).post<{ token: string }>('/users/tokens/', { name: 'script' });
    const sessionOf = (cookie: string) =>
      api().request('GET', '/auth/session/', undefined, { headers: { cookie } });
    const changed = await api().request(
      'PATCH',
      `/users/users/${me.id}/`,
      { password: 'a new password', current_password: me.password },
      { headers: { cookie: changing.cookie, 'x-csrf-token': changing.csrf } },
    );
    expect(changed.status).toBe(200);
    expect((await sessionOf(changing.cookie)).status).toBe(200);
    expect((await sessionOf(elsewhere.cookie)).status).toBe(401);
    expect((await api().as({ token: token.body.token }).get('/auth/session/')).status).toBe(401);
  });

  it('anonymises a deleted user: inactive, renamed, unable to sign in; their products stay', async () => {
    const admin = await make().user({ superuser: true });
    const leaver = await make().user();
    const colleague = await make().user();
    const team = await make().team({ admins: [leaver], members: [colleague] });
    const product = await make().product(team, leaver);
    const plain = await make().user();
    const token = await api().as(leaver).post<{ token: string }>('/users/tokens/', { name: 'script' });
    expect((await api().as(plain).delete(`/users/users/${leaver.id}/`)).status).toBe(403);
    expect((await api().as(admin).delete(`/users/users/${leaver.id}/`)).status).toBe(204);
    expect((await api().as(leaver).get('/auth/session/')).status).toBe(401);
    expect((await api().as({ token: token.body.token }).get('/auth/session/')).status).toBe(401);
    const tokens = await server.db.query<{ revoked: boolean }>(
      'SELECT revoked_at IS NOT NULL AS revoked FROM personal_access_tokens WHERE user_id = $1',
      [leaver.id],
    );
    expect(tokens).toEqual([{ revoked: true }]);
    const seen = await api().as(admin).get<User>(`/users/users/${leaver.id}/`);
    expect(seen.body).toMatchObject({ username: `deleted-user-${leaver.id}`, is_active: false, email: null });
    const products = await api()
      .as(admin)
      .get<Page<{ id: number; creator: User }>>(`/administration/products/?id=${product}&expand=creator`);
    expect(products.body.results[0]?.creator).toMatchObject({
      id: leaver.id,
      username: `deleted-user-${leaver.id}`,
    });
  });

  it('keeps the last active superuser', async () => {
    const admin = await make().user({ superuser: true });
    const others = await api()
      .as(admin)
      .get<Page<User>>('/users/users/?is_superuser=true&is_active=true&limit=1000');
    for (const u of others.body.results.filter((x) => x.id !== admin.id)) {
      await api().as(admin).patch(`/users/users/${u.id}/`, { is_superuser: false });
    }
    const res = await api().as(admin).patch(`/users/users/${admin.id}/`, { is_superuser: false });
    expect(res.status).toBe(409);
  });

  it('answers 404 for ids that do not exist or are not numbers', async () => {
    const me = await make().user();
    expect((await api().as(me).get('/users/users/99999999/')).status).toBe(404);
    expect((await api().as(me).get('/users/users/abc/')).status).toBe(404);
  });
});
