import { beforeAll, describe, expect, it } from 'vitest';
import type { Endpoint } from '../../api/endpoint.js';
import { policyParts, type EndpointPolicy, type PolicyObject } from '../../api/endpoint-policy.js';
import { apiEndpoints } from '../../composition/api.js';
import { createServices } from '../../composition/services.js';
import { loadConfig } from '../../config/config.js';
import { Database } from '../../db/database.js';
import { createLogger } from '../../logging/logger.js';
import { useTestServer } from '../../../../test/support/server.js';
import {
  buildPolicyScene,
  subjectOf,
  type PolicyScene,
  type SceneObject,
} from '../../../../test/support/policy-scene.js';
import {
  agrees,
  clientOf,
  expectedStatus,
  inBatches,
  liveAnswer,
  probesOf,
  rawStatus,
  routeOf,
  type LiveAnswer,
} from '../../../../test/support/policy-matrix.js';
import { isBlind } from './modes.js';
import { annotates, decide, seesCopy } from './rules.js';

// The authorization matrix: every route of the registry that mounts them, every caller, every object
// of one scene (a private and a public set of each collaboration mode), each answer checked against
// the policy the route declares (rules.ts). One server and one scene for the whole matrix.
const server = useTestServer();
const config = loadConfig({});
const endpoints = apiEndpoints(
  createServices(
    new Database('postgres://unused@127.0.0.1:1/unused'),
    config,
    'x'.repeat(32),
    createLogger('silent'),
  ),
  config,
);
let scene: PolicyScene;
beforeAll(async () => {
  scene = await buildPolicyScene(server);
}, 120_000);

/** The kinds the scene holds; routes on other kinds are checked for their declaration and 401 only. */
const SCENE_KINDS = new Set<PolicyObject>([
  'team',
  'membership',
  'product',
  'annotation_type',
  'image_set',
  'image',
  'annotation',
  'verification',
  'media_file',
  'version',
  'image_log',
  'screening_mode',
  'annotation_map',
]);
const kindOf = (e: Endpoint) => (e.policy ? policyParts(e.policy)?.object : undefined);
const inScene = (e: Endpoint) => SCENE_KINDS.has(kindOf(e) as PolicyObject);
/** By convention a route's `:id` names its policy's object. */
const pathRoutes = endpoints.filter((e) => e.path.includes(':id/') && inScene(e));
/** Lists of the policy's object (its retrieve route is the list's path plus `:id/`). */
const listRoutes = endpoints.filter(
  (e) => e.list && !e.path.includes(':') && endpoints.some((r) => r.path === `${e.path}:id/`) && inScene(e),
);

/** Routes that name their object in the body or the query: how to name a scene object. */
const NAMED_ELSEWHERE: Record<
  string,
  (o: SceneObject, s: PolicyScene) => { path?: string; query?: string; body?: unknown }
> = {
  'POST /annotations/annotations/': (o, s) => ({
    body: {
      image: o.id,
      annotation_type: idOf(s, 'annotation_type'),
      vector: { x1: 1, y1: 1, x2: 5, y2: 5 },
    },
  }),
  'POST /annotations/verifications/': (o) => ({ body: { annotation: o.id, verified: false } }),
  'DELETE /annotations/annotations/multiple_delete/': (o) => ({ query: `?id__in=${o.id}` }),
  'POST /annotations/log_image_actions/': (o) => ({ body: { image: o.id, action: 1 } }),
  'POST /images/set_versions/': (o) => ({ body: { name: 'probe', imagesets: [o.id] } }),
  'GET /annotations/annotation_versions/': (o) => ({ query: `?version=${o.id}` }),
  'GET /annotations/annotations/count/': (o) => ({ query: `?id=${o.id}` }),
  'POST /images/screening_modes/': (o) => ({ body: { image: o.id } }),
  'POST /images/image_sets/': (o) => ({ body: { name: 'probe', team: o.id } }),
  'POST /annotations/annotation_maps/': (o, s) => ({
    body: { image_set: o.id, annotation_type: idOf(s, 'annotation_type') },
  }),
  'POST /administration/products/': (o) => ({ body: { name: 'probe', team: o.id } }),
  'POST /annotations/export_formats/': (o) => ({
    body: { name: 'probe', team: o.id, base_format: 'x', annotation_format: 'x' },
  }),
  'POST /users/team_membership/': (o, s) => ({ body: { team: o.id, user: userOf(s, 'outsider') } }),
  'POST /annotations/annotation_types/': (o) => ({ body: { name: 'probe', product: o.id } }),
  'POST /processing/pluginjobs/': (o) => ({ body: { plugin: 1, image: o.id } }),
  'POST /processing/api/plugin_job/create/': (o) => ({ body: { plugin: 1, image: o.id } }),
  'POST /processing/pluginenablements/': (o) => ({ body: { plugin: 1, image_set: o.id } }),
  'POST /datasets/datasets/:name/instantiate/': (o) => ({
    path: '/datasets/datasets/cytology-fields/instantiate/',
    body: { team: o.id },
  }),
};
/** Routes with a multipart body, probed by their own tests (upload refusals), not by this matrix. */
const MULTIPART = new Set([
  'POST /images/images/',
  'POST /annotations/annotation_media_files/',
  'POST /datasets/import/',
  'POST /processing/models/',
]);
/** Valid bodies for PUT, so a refused caller meets the permission check rather than the body's. */
const PUT_BODIES: Record<string, (s: PolicyScene) => unknown> = {
  '/users/teams/:id/': () => ({ name: 'renamed' }),
  '/users/team_membership/:id/': () => ({ is_admin: true }),
  '/images/image_sets/:id/': (s) => ({ name: 'renamed', team: idOf(s, 'team') }),
  '/administration/products/:id/': (s) => ({ name: 'renamed', team: idOf(s, 'team') }),
  '/annotations/annotation_types/:id/': (s) => ({ name: 'renamed', product: idOf(s, 'product') }),
  '/images/images/:id/': (s) => ({ name: 'renamed', image_set: idOf(s, 'image_set') }),
  '/annotations/annotation_media_files/:id/': () => ({ name: 'renamed', media_file_type: 1 }),
  '/annotations/verifications/:id/': () => ({ verified: false }),
  '/annotations/annotations/:id/': () => ({ description: 'changed' }),
  '/annotations/annotation_maps/:id/screening/': () => ({
    screening_tiles: {},
    x_steps: 0,
    y_steps: 0,
    x_resolution: 0,
    y_resolution: 0,
    current_index: 0,
  }),
};
/** Queries a path route needs before it looks at its object (the same for every caller). */
const PATH_QUERIES: Record<string, string> = {
  'GET /images/images/:id/get_patch/': '?x=0&y=0&level=0&width=1&height=1',
  'POST /images/image_sets/:id/import/': '?format=coco',
};
/** Sub-resources the scene lacks: an allowed caller may meet a 404 for them. */
const OTHER_PARAMS: Record<string, string> = { artifact: '999999', name: 'label' };

function userOf(s: PolicyScene, role: string): number {
  const found = s.roles.find((r) => r.name === role)?.user;
  if (!found) throw new Error(`the scene has no ${role}`);
  return found.id;
}

function idOf(s: PolicyScene, kind: PolicyObject): number {
  const found = s.objects.find((o) => o.kind === kind);
  if (!found) throw new Error(`the scene has no ${kind}`);
  return found.id;
}

const pathFor = (e: Endpoint, o: SceneObject) =>
  e.path.replace(':id/', `${o.id}/`).replace(/:([a-z_]+)/g, (_, name: string) => OTHER_PARAMS[name] ?? '1') +
  (PATH_QUERIES[routeOf(e)] ?? '');

describe('the authorization matrix', () => {
  it('every endpoint declares its policy (a new endpoint without one fails here)', () => {
    expect(endpoints.filter((e) => e.policy === undefined).map(routeOf)).toEqual([]);
  });

  it('every route on a scene object is probed: by its :id, as a list, or by how it names the object', () => {
    const probed = new Set([...pathRoutes, ...listRoutes].map(routeOf));
    const unprobed = endpoints
      .filter((e) => inScene(e) && !probed.has(routeOf(e)))
      .map(routeOf)
      .filter((route) => !(route in NAMED_ELSEWHERE) && !MULTIPART.has(route));
    expect(unprobed.join('\n')).toBe('');
  });

  it.each(pathRoutes.map((e) => [routeOf(e), e] as const))(
    '%s answers every caller as its policy says',
    async (_, e) => {
      const policy = e.policy as EndpointPolicy;
      const writes = e.method !== 'get' && e.method !== 'patch';
      const sample = e.method === 'put' ? PUT_BODIES[e.path] : undefined;
      // Writes other than an empty PATCH run for refused callers only: the scene stays as it is.
      const probes = probesOf(scene, policy).filter(
        (p) => !writes || expectedStatus(policy, p) !== 'allowed',
      );
      const wrong = await inBatches(probes, 8, async (p) => {
        const body = e.method === 'get' || e.method === 'delete' ? undefined : (sample?.(scene) ?? {});
        const res = await clientOf(server.baseUrl, p.role).request(
          e.method.toUpperCase(),
          pathFor(e, p.object),
          body,
        );
        const expected = expectedStatus(policy, p);
        const ok = agrees(expected, res.status, {
          bodyCheckedFirst: e.body !== undefined && sample === undefined,
          allowedMayBe404: /:(artifact|name)/.test(e.path),
        });
        return ok ? null : `${p.role.name} on ${p.object.label}: expected ${expected}, got ${res.status}`;
      });
      expect(wrong.filter((w) => w !== null).join('\n')).toBe('');
    },
  );

  it.each(listRoutes.map((e) => [routeOf(e), e] as const))(
    '%s lists to every caller exactly the objects its policy lets them see',
    async (_, e) => {
      const policy = e.policy as EndpointPolicy;
      const kind = kindOf(e);
      const wrong: string[] = [];
      for (const role of scene.roles) {
        const res = await clientOf(server.baseUrl, role).get<{ results: { id: number }[] }>(
          `${e.path}?limit=1000`,
        );
        if (role.user === null) {
          if (res.status !== 401) wrong.push(`anonymous: expected 401, got ${res.status}`);
          continue;
        }
        const ofKind = scene.objects.filter((o) => o.kind === kind);
        const listed = new Set(res.body.results.map((r) => r.id));
        const seen = ofKind.filter((o) => listed.has(o.id)).map((o) => o.label);
        const allowed = ofKind
          .filter((o) => decide(policy, subjectOf(role, o)) === 'allow')
          .map((o) => o.label);
        if (JSON.stringify(seen.sort()) !== JSON.stringify(allowed.sort()))
          wrong.push(`${role.name}: listed [${seen.join('; ')}], the policy allows [${allowed.join('; ')}]`);
      }
      expect(wrong.join('\n')).toBe('');
    },
  );

  it.each(
    Object.keys(NAMED_ELSEWHERE)
      .map((route) => endpoints.find((e) => routeOf(e) === route))
      .filter((e): e is Endpoint => e !== undefined)
      .map((e) => [routeOf(e), e] as const),
  )('%s (object named in the body or query) refuses every caller its policy refuses', async (route, e) => {
    const policy = e.policy as EndpointPolicy;
    const name = NAMED_ELSEWHERE[route];
    const reads = e.method === 'get';
    const probes = probesOf(scene, policy).filter((p) => reads || expectedStatus(policy, p) !== 'allowed');
    const wrong = await inBatches(probes, 8, async (p) => {
      const { path = e.path, query = '', body } = name?.(p.object, scene) ?? {};
      const res = await clientOf(server.baseUrl, p.role).request(
        e.method.toUpperCase(),
        `${path}${query}`,
        body,
      );
      const expected = expectedStatus(policy, p);
      const items =
        (res.body as { results?: unknown[]; count?: number }).results?.length ??
        (res.body as { count?: number }).count;
      // An object named in a body is refused as a field (400, DRF's "Invalid pk"); a filter matches nothing.
      const ok =
        expected === 'allowed'
          ? agrees(expected, res.status, { bodyCheckedFirst: false }) && items !== 0
          : res.status === expected ||
            (expected === 404 && (res.status === 400 || (res.status === 200 && items === 0)));
      return ok ? null : `${p.role.name} on ${p.object.label}: expected ${expected}, got ${res.status}`;
    });
    expect(wrong.filter((w) => w !== null).join('\n')).toBe('');
  });
});

describe('counts follow the policy', () => {
  // The images list's annotation filters count annotations: only those the caller sees (P2), so a
  // reader of a blind set learns nothing of the other readers' copies.
  it.each([
    ['num_annotations_min=2', 2],
    ['num_annotations_min=1', 1],
    ['verified=true', 1],
  ] as const)(
    'GET /images/images/?%s counts only the annotations each caller sees',
    async (filter, least) => {
      const wrong: string[] = [];
      for (const role of scene.roles.filter((r) => r.user !== null)) {
        const res = await clientOf(server.baseUrl, role).get<{ results: { id: number }[] }>(
          `/images/images/?${filter}&limit=1000`,
        );
        const listed = res.body.results.map((r) => r.id).sort();
        const expected = scene.objects
          .filter((o) => o.kind === 'image' && decide('image.see', subjectOf(role, o)) === 'allow')
          .filter((image) => {
            const seen = scene.objects.filter(
              (o) =>
                o.kind === 'annotation' &&
                o.image === image.id &&
                decide('annotation.see', subjectOf(role, o)) === 'allow',
            );
            return seen.length >= least;
          })
          .map((o) => o.id)
          .sort();
        if (JSON.stringify(listed) !== JSON.stringify(expected))
          wrong.push(`${role.name}: listed images [${listed.join(', ')}], expected [${expected.join(', ')}]`);
      }
      expect(wrong.join('\n')).toBe('');
    },
  );
});

describe('live documents and their snapshots follow the policy', () => {
  /** Every document name of the scene's images: shared ones, each reader's copy, and names A2 refuses. */
  const documents = () =>
    scene.sets.flatMap((set) => {
      const readers = scene.roles.filter((r) => r.name === 'member' || r.name === 'blind peer');
      const copies = readers.map((r) => ({ set, owner: r.user?.id ?? null }));
      return [{ set, owner: null }, ...copies];
    });

  /** What the rules grant `role` on a document: the A2 shape first, then P2 (see) and P3 (write). */
  const granted = (
    role: PolicyScene['roles'][number],
    doc: ReturnType<typeof documents>[number],
  ): LiveAnswer => {
    if (isBlind(doc.set.mode) !== (doc.owner !== null)) return 'refused';
    const subject = subjectOf(role, {
      public: doc.set.public,
      mode: doc.set.mode,
      copyOwner: doc.owner,
      owner: null,
    });
    if (!seesCopy(subject)) return 'refused';
    return annotates(subject.standing) ? 'read-write' : 'readonly';
  };

  it('each caller opens exactly the documents the policy grants, read-only where it may only read', async () => {
    const probes = documents().flatMap((doc) =>
      scene.roles.filter((r) => r.token !== null).map((role) => ({ doc, role })),
    );
    const wrong = await inBatches(probes, 6, async ({ doc, role }) => {
      const name = `image.${doc.set.image}${doc.owner === null ? '' : `.user.${doc.owner}`}`;
      const answer = await liveAnswer(server.baseUrl, name, role.token as string);
      const expected = granted(role, doc);
      return answer === expected ? null : `${role.name} on ${name}: expected ${expected}, got ${answer}`;
    });
    expect(wrong.filter((w) => w !== null).join('\n')).toBe('');
  });

  it("the stored document of another reader's copy (?user=) is served exactly where the copy opens", async () => {
    const probes = documents()
      .filter((doc) => doc.owner !== null)
      .flatMap((doc) => scene.roles.map((role) => ({ doc, role })));
    const wrong = await inBatches(probes, 8, async ({ doc, role }) => {
      const path = `/images/images/${doc.set.image}/annotation_document/?user=${doc.owner}`;
      const res = await clientOf(server.baseUrl, role).get(path);
      const expected = role.user === null ? 401 : granted(role, doc) === 'refused' ? 404 : 200;
      return res.status === expected
        ? null
        : `${role.name} on ${path}: expected ${expected}, got ${res.status}`;
    });
    expect(wrong.filter((w) => w !== null).join('\n')).toBe('');
  });
});

describe("EXACT's pixel URLs follow the policy", () => {
  // Outside /api/v1 (pixels.routes.ts, maps/map-pixels.routes.ts). The scene's images are still
  // processing and its maps are being generated: an allowed caller gets 409 for tiles; the original's
  // bytes do not exist, so an allowed download may answer 404.
  const PIXEL_ROUTES: { path: (id: number) => string; policy: EndpointPolicy }[] = [
    { path: (id) => `/images/image/${id}/1/1/tile/`, policy: 'image.see' },
    { path: (id) => `/images/image/${id}/1/1/tile_files/0/0_0.jpeg`, policy: 'image.see' },
    { path: (id) => `/images/api/image/download/${id}/`, policy: 'image.administer' },
    { path: (id) => `/images/annotation_map/${id}/tile/`, policy: 'annotation_map.see' },
    { path: (id) => `/images/annotation_map/${id}/tile_files/0/0_0.jpeg`, policy: 'annotation_map.see' },
  ];

  it.each(PIXEL_ROUTES.map((r) => [r.path(0).replace('/0/', '/:id/'), r] as const))(
    'GET %s',
    async (_, route) => {
      const probes = probesOf(scene, route.policy);
      const wrong = await inBatches(probes, 8, async (p) => {
        const status = await rawStatus(server.baseUrl, p.role, route.path(p.object.id));
        const expected = expectedStatus(route.policy, p);
        const ok = agrees(expected, status, {
          bodyCheckedFirst: false,
          allowedMayBe404: route.policy === 'image.administer',
        });
        return ok ? null : `${p.role.name} on ${p.object.label}: expected ${expected}, got ${status}`;
      });
      expect(wrong.filter((w) => w !== null).join('\n')).toBe('');
    },
  );
});

describe('the metrics follow the superuser policy', () => {
  // Outside /api/v1 and no endpoint declaration (metrics/metrics.routes.ts): a `superuser` route. Its
  // bearer token, which is no user's credential, is tested in metrics/metrics.db.test.ts.
  it('GET /metrics answers superusers only: 401 anonymous, 403 any other user', async () => {
    const wrong = await inBatches(scene.roles, 8, async (role) => {
      const status = await rawStatus(server.baseUrl, role, '/metrics');
      const expected = role.user === null ? 401 : role.superuser ? 200 : 403;
      return status === expected ? null : `${role.name} on /metrics: expected ${expected}, got ${status}`;
    });
    expect(wrong.filter((w) => w !== null).join('\n')).toBe('');
  });
});
