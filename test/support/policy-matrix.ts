import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { vi } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import type { Endpoint } from '../../server/src/api/endpoint.js';
import { policyParts, type EndpointPolicy } from '../../server/src/api/endpoint-policy.js';
import { decide, type Verdict } from '../../server/src/access/policy/rules.js';
import { ApiClient } from './http.js';
import { subjectOf, type PolicyScene, type SceneObject, type SceneRole } from './policy-scene.js';

/** One request of the matrix: who, on what, and what the policy says. */
export interface Probe {
  readonly role: SceneRole;
  readonly object: SceneObject;
  readonly verdict: Verdict;
}

/** What a probe must answer: 401 anonymous, 404 hidden, 403 forbidden, anything else when allowed. */
export function expectedStatus(policy: EndpointPolicy, probe: Probe): number | 'allowed' {
  if (probe.role.user === null && policy !== 'public') return 401;
  if (probe.verdict === 'hidden') return 404;
  if (probe.verdict === 'forbidden') return 403;
  return 'allowed';
}

/** Every role against every scene object of the policy's kind, with the policy's verdict. */
export function probesOf(scene: PolicyScene, policy: EndpointPolicy): Probe[] {
  const parts = policyParts(policy);
  if (parts === null) return [];
  return scene.objects
    .filter((o) => o.kind === parts.object)
    .flatMap((object) =>
      scene.roles.map((role) => ({ role, object, verdict: decide(policy, subjectOf(role, object)) })),
    );
}

/** A route as `METHOD /path/`. */
export const routeOf = (e: Pick<Endpoint, 'method' | 'path'>) => `${e.method.toUpperCase()} ${e.path}`;

/**
 * Whether an answer agrees with the policy. A 400 for a caller the policy refuses is accepted only
 * where the endpoint checks its body before anything else and no valid body was sent: that answer is
 * the same for every caller and tells nothing of the object.
 */
export function agrees(
  expected: number | 'allowed',
  status: number,
  o: { bodyCheckedFirst: boolean; allowedMayBe404?: boolean },
): boolean {
  if (expected === 'allowed') {
    return ![401, 403].includes(status) && (status !== 404 || o.allowedMayBe404 === true) && status < 500;
  }
  return status === expected || (o.bodyCheckedFirst && status === 400 && expected !== 401);
}

/** Runs `work` over `items`, at most `limit` at a time (the server shares two cores with others). */
export async function inBatches<T, R>(items: readonly T[], limit: number, work: (t: T) => Promise<R>) {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += limit) {
    results.push(...(await Promise.all(items.slice(i, i + limit).map(work))));
  }
  return results;
}

/** An API client for a role (none for the anonymous caller). */
export function clientOf(baseUrl: string, role: SceneRole): ApiClient {
  return new ApiClient(baseUrl, role.user ?? undefined);
}

/** A raw request outside /api/v1 (EXACT's pixel URLs), as `role`. */
export async function rawStatus(baseUrl: string, role: SceneRole, path: string): Promise<number> {
  const headers: Record<string, string> = {};
  if (role.user !== null) {
    const basic = Buffer.from(`${role.user.username}:${role.user.password}`).toString('base64');
    headers.authorization = `Basic ${basic}`;
  }
  const response = await fetch(`${baseUrl}${path}`, { headers });
  await response.arrayBuffer();
  return response.status;
}

/** How the live-document endpoint answered a connection: refused, or the scope it granted. */
export type LiveAnswer = 'refused' | 'readonly' | 'read-write';

/** Connects to live document `name` with `token` and waits for the server's answer. */
export async function liveAnswer(baseUrl: string, name: string, token: string): Promise<LiveAnswer> {
  const socket = new HocuspocusProviderWebsocket({
    url: `${baseUrl.replace(/^http/, 'ws')}/collab`,
    WebSocketPolyfill: WebSocket,
  });
  const answer = { refused: false };
  const provider = new HocuspocusProvider({
    websocketProvider: socket,
    name,
    document: new Y.Doc(),
    token,
    onAuthenticationFailed: () => {
      answer.refused = true;
    },
  });
  provider.attach();
  try {
    await vi.waitFor(
      () => {
        if (!answer.refused && provider.authorizedScope === undefined)
          throw new Error(`no answer for ${name}`);
      },
      { timeout: 10_000, interval: 20 },
    );
    return answer.refused ? 'refused' : provider.authorizedScope === 'readonly' ? 'readonly' : 'read-write';
  } finally {
    provider.destroy();
    socket.destroy();
  }
}
