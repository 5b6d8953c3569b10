import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Factories, type TestUser } from '../../../test/support/factories.js';
import { ApiClient } from '../../../test/support/http.js';
import { useTestServer } from '../../../test/support/server.js';
import { loadConfig } from '../config/config.js';
import { Database } from '../db/database.js';
import { apiEndpoints } from '../composition/api.js';
import { createServices } from '../composition/services.js';
import { createLogger } from '../logging/logger.js';
import type { Endpoint } from './endpoint.js';
import {
  anyJson,
  bodyText,
  fromSchema,
  hostileString,
  listQuery,
  routeQuery,
} from '../../../test/support/fuzz.js';

/*
 * Every endpoint of the registry that mounts the routes, fuzzed through the real HTTP server as an
 * authenticated superuser (the caller who reaches furthest): bodies shaped by the endpoint's own schema
 * or arbitrary JSON, queries from its filters or from the names routes read, laced with hostile values.
 * No answer may be a 5xx. A new route is fuzzed because it is in the registry. A fixed seed runs first;
 * then a fresh one, whose seed a failure prints (replay it with FUZZ_SEED=<seed>; FUZZ_RUNS=<n> runs longer).
 */

const server = useTestServer({ tiler: true });

const unusedDatabase = new Database('postgres://unused@127.0.0.1:1/unused');
const config = loadConfig({});
const endpoints = apiEndpoints(
  createServices(unusedDatabase, config, 'x'.repeat(32), createLogger('silent')),
  config,
);

const FIXED_SEED = 20_261_207;
const FRESH_SEED = process.env.FUZZ_SEED === undefined ? Date.now() % 2 ** 31 : Number(process.env.FUZZ_SEED);
// FUZZ_RUNS=<n> fuzzes longer locally (the fresh seed's run count).
const RUNS = { fixed: 16, fresh: Number(process.env.FUZZ_RUNS ?? 4) };

interface Scene {
  readonly user: TestUser;
  readonly ids: readonly number[];
}

/** A superuser of their own and a small world of rows (team, set, product, type, image, annotation). */
async function scene(): Promise<Scene> {
  const f = new Factories(server.db);
  const user = await f.user({ superuser: true });
  const team = await f.team({ admins: [user] });
  const set = await f.imageSet(team, user);
  const product = await f.product(team, user, [set]);
  const type = await f.annotationType(product, { vector_type: 1 });
  const image = await f.image(set, user);
  const annotation = await new ApiClient(server.baseUrl, user).post<{ id: number }>(
    '/annotations/annotations/',
    { annotation_type: type, image, vector: { x1: 1, y1: 1, x2: 9, y2: 9 } },
  );
  expect(annotation.status).toBe(201);
  return { user, ids: [team, set, product, type, image, annotation.body.id, 2_147_483_647] };
}

interface Attempt {
  readonly path: string;
  readonly query: Record<string, string>;
  readonly body: string | undefined;
}

/** A path segment; text with a lone surrogate (no URI can hold it) is sent as the bytes it would be. */
function pathSegment(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return '%ED%A0%80';
  }
}

function attempts(ep: Endpoint, ids: readonly number[]): fc.Arbitrary<Attempt> {
  const pathIds = fc.constantFrom(...ids.map(String), '0');
  // Dataset names are fuzzed with names no dataset has: a real one would build a whole image set.
  const pathNames = fc.oneof(hostileString, fc.constant('no-such-dataset'));
  const path = fc
    .record({ id: pathIds, other: pathNames })
    .map(({ id, other }) =>
      ep.path.replace(/:([a-z_]+)/g, (_m, name: string) =>
        pathSegment(name === 'id' || name === 'artifact' ? id : other),
      ),
    );
  const query = ep.list ? listQuery(ep.list.filters, ids) : routeQuery(ids);
  const sendsBody = ep.method !== 'get' && ep.method !== 'delete';
  const value = ep.body ? fc.oneof({ weight: 5, arbitrary: fromSchema(ep.body, ids) }, anyJson) : anyJson;
  // A `__proto__` member is refused by the body parser whatever else the body holds: now and then only.
  const proto = fc.oneof({ weight: 7, arbitrary: fc.constant(false) }, fc.constant(true));
  const body = sendsBody ? fc.tuple(value, proto).map(([v, p]) => bodyText(v, p)) : fc.constant(undefined);
  return fc.record({ path, query, body });
}

async function send(ep: Endpoint, user: TestUser, a: Attempt): Promise<void> {
  const search = new URLSearchParams(a.query).toString();
  const url = `${server.baseUrl}/api/v1${a.path}${search === '' ? '' : `?${search}`}`;
  const headers: Record<string, string> = {
    authorization: `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`,
  };
  if (a.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, { method: ep.method.toUpperCase(), headers, body: a.body });
  const text = await response.text();
  if (response.status >= 500) {
    throw new Error(
      `${ep.method.toUpperCase()} ${url} with ${a.body ?? 'no body'} answered ${response.status}: ${text}`,
    );
  }
}

describe('fuzzing every REST endpoint of the registry', () => {
  let shared: Scene | undefined;
  beforeAll(async () => {
    shared = await scene();
  });

  it.each(endpoints.map((ep) => [ep.method.toUpperCase(), ep.path, ep] as const))(
    '%s %s never answers 5xx',
    async (_method, _path, ep) => {
      // Reads and creations share one world; changes and deletions get their own, which they may ruin.
      const s = (ep.method === 'get' || ep.method === 'post') && shared ? shared : await scene();
      const property = fc.asyncProperty(attempts(ep, s.ids), (a) => send(ep, s.user, a));
      await fc.assert(property, { seed: FIXED_SEED, numRuns: RUNS.fixed });
      try {
        await fc.assert(property, { seed: FRESH_SEED, numRuns: RUNS.fresh });
      } catch (error) {
        throw new Error(`fresh run failed; replay with FUZZ_SEED=${FRESH_SEED}`, { cause: error });
      }
    },
  );
});
