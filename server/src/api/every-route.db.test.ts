import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.js';
import { apiEndpoints } from '../composition/api.js';
import { createServices } from '../composition/services.js';
import { Factories } from '../../../test/support/factories.js';
import { ApiClient } from '../../../test/support/http.js';
import { useTestServer } from '../../../test/support/server.js';
import { Database } from '../db/database.js';
import { createLogger } from '../logging/logger.js';

const server = useTestServer();

// The registry that mounts the routes is the list checked here, so a new route cannot skip these checks.
// Building it touches no database: services only keep the handle.
const unusedDatabase = new Database('postgres://unused@127.0.0.1:1/unused');
const config = loadConfig({});
const endpoints = apiEndpoints(
  createServices(unusedDatabase, config, 'x'.repeat(32), createLogger('silent')),
  config,
);
const concretePath = (path: string) => path.replace(/:[a-z_]+/g, '1');

// Routes that look their object up before they read the body: for id 1, which no test row has, they
// answer 404; every other route with a body reads it first and names the wrong fields (400).
const LOOKUP_BEFORE_BODY = new Set([
  'PATCH /annotations/annotations/:id/',
  'PUT /annotations/annotations/:id/',
  'PATCH /annotations/verifications/:id/',
  'PUT /annotations/verifications/:id/',
  'POST /images/set_versions/:id/restore/',
]);
const withBody = endpoints.filter((e) => e.body !== undefined);

describe('every API route', () => {
  it.each(
    endpoints.filter((e) => e.auth !== 'optional').map((e) => [e.method.toUpperCase(), e.path] as const),
  )('%s %s answers 401 without credentials', async (method, path) => {
    const body = method === 'GET' || method === 'DELETE' ? undefined : {};
    const res = await new ApiClient(server.baseUrl).request(method, concretePath(path), body);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 'not_authenticated' });
  });

  it.each(withBody.map((e) => [e.method.toUpperCase(), e.path] as const))(
    '%s %s answers 400 to malformed JSON',
    async (method, path) => {
      const admin = await new Factories(server.db).user({ superuser: true });
      const res = await new ApiClient(server.baseUrl, admin).request(method, concretePath(path), undefined, {
        rawBody: '{"name": "x",',
      });
      expect(res.status).toBe(400);
      expect((res.body as { detail: string }).detail).toMatch(/^JSON parse error/);
    },
  );

  it('names only routes that exist among those that look up before reading the body', () => {
    const routes = new Set(withBody.map((e) => `${e.method.toUpperCase()} ${e.path}`));
    expect([...LOOKUP_BEFORE_BODY].filter((route) => !routes.has(route))).toEqual([]);
  });

  it.each(withBody.map((e) => [e.method.toUpperCase(), e.path] as const))(
    '%s %s answers 400 with field errors to wrong types (404 first where it looks up before reading)',
    async (method, path) => {
      const admin = await new Factories(server.db).user({ superuser: true });
      const wrong = Object.fromEntries(
        ['name', 'username', 'password', 'team', 'user', 'product', 'is_admin', 'vector_type'].map((k) => [
          k,
          [{}],
        ]),
      );
      const res = await new ApiClient(server.baseUrl, admin).request(method, concretePath(path), wrong);
      if (LOOKUP_BEFORE_BODY.has(`${method} ${path}`)) {
        expect(res.status).toBe(404);
        expect(res.body).toEqual({ detail: 'Not found.', code: 'not_found' });
        return;
      }
      expect(res.status).toBe(400);
      const fields = Object.entries(res.body as object);
      expect(fields.length).toBeGreaterThan(0);
      expect(fields.filter(([, messages]) => !Array.isArray(messages))).toEqual([]);
    },
  );

  it.each(endpoints.filter((e) => e.list).map((e) => [e.path, e.list?.paginated !== false] as const))(
    'GET %s answers 400 to an unknown filter, a bad value of a known one (and, for pages, to a limit over the cap)',
    async (path, paginated) => {
      const user = await new Factories(server.db).user();
      const api = new ApiClient(server.baseUrl, user);
      const badFilter = await api.get(`${path}?id=one`);
      expect(badFilter.status).toBe(400);
      expect(badFilter.body).toEqual({ id: ['Enter a whole number.'] });
      const unknownFilter = await api.get(`${path}?no_such_filter=1`);
      expect(unknownFilter.status).toBe(400);
      expect(unknownFilter.body).toEqual({ no_such_filter: ['Unknown filter "no_such_filter".'] });
      if (!paginated) return;
      const badLimit = await api.get(`${path}?limit=1000000`);
      expect(badLimit.status).toBe(400);
      expect(badLimit.body).toHaveProperty('limit');
      const badOffset = await api.get(`${path}?offset=-1`);
      expect(badOffset.status).toBe(400);
    },
  );

  it('sends JSON only: another content type is a 415', async () => {
    const admin = await new Factories(server.db).user({ superuser: true });
    const res = await new ApiClient(server.baseUrl, admin).request('POST', '/users/teams/', undefined, {
      rawBody: 'name=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(415);
  });

  it('answers unknown API paths and methods in DRF shape', async () => {
    const user = await new Factories(server.db).user();
    const api = new ApiClient(server.baseUrl, user);
    expect((await api.get('/no/such/thing/')).body).toEqual({ detail: 'Not found.', code: 'not_found' });
    const res = await api.request('PATCH', '/users/teams/', {});
    expect(res.status).toBe(405);
  });
});
