import { z } from 'zod';
import { endpoint, type Endpoint } from '../api/endpoint.js';
import { idParams } from '../api/path-params.js';
import type { Viewer } from '../auth/viewer.js';
import { AppError } from '../errors/app-error.js';
import type { PluginRoute, PluginRouteContext } from './plugin-manifest.js';
import type { PluginHostService } from './plugin-host.service.js';

/** Where every plugin's routes live: `/api/v1/plugins/<name>/<route>`. */
export const PLUGIN_PREFIX = '/plugins/';

/**
 * One plugin route as an endpoint: the host checks the route's policy on its `:id` before the
 * plugin's handler runs, and hands it a context that reads only as the caller. A plugin cannot
 * forget to authorize, and cannot reach past what the caller may see.
 */
export function pluginRouteEndpoint(host: PluginHostService, plugin: string, route: PluginRoute): Endpoint {
  const path = `${PLUGIN_PREFIX}${plugin}/${route.path}`;
  const handle = async (viewer: Viewer, id: number | null, query: Record<string, unknown>) => {
    await host.authorize(viewer, route.policy, id);
    const context: PluginRouteContext = host.routeContext(viewer, id, stringsOf(query));
    const body = await route.handle(context);
    return { body: body ?? {} };
  };
  if (path.includes(':id/')) {
    return endpoint({
      method: route.method,
      path,
      params: idParams,
      tag: 'plugins',
      policy: route.policy,
      summary: route.summary,
      ...(route.method === 'post' ? { body: z.unknown() } : {}),
      handler: ({ viewer, params, query }) => handle(viewer, params.id, query),
    });
  }
  if (route.policy !== 'signed-in')
    throw new Error(`${path}: a route with policy ${route.policy} needs an :id`);
  return endpoint({
    method: route.method,
    path,
    tag: 'plugins',
    policy: 'signed-in',
    summary: route.summary,
    ...(route.method === 'post' ? { body: z.unknown() } : {}),
    handler: ({ viewer, query }) => handle(viewer, null, query),
  });
}

function stringsOf(query: Record<string, unknown>): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(query).map(([key, value]) => [key, typeof value === 'string' ? value : undefined]),
  );
}

/** A region from `?x=&y=&width=&height=` (level-0 pixels), or none when all four are absent. */
export function regionOfQuery(query: Readonly<Record<string, string | undefined>>) {
  const keys = ['x', 'y', 'width', 'height'] as const;
  const given = keys.filter((k) => query[k] !== undefined);
  if (given.length === 0) return undefined;
  if (given.length < 4) throw AppError.badRequest('A region needs x, y, width and height.');
  const [x, y, width, height] = keys.map((k) => {
    const value = query[k] ?? '';
    if (!/^-?\d{1,10}$/.test(value)) throw AppError.invalidField(k, 'Enter a whole number.');
    return Number(value);
  }) as [number, number, number, number];
  if (width < 1 || height < 1) throw AppError.badRequest('A region has a positive width and height.');
  return { x, y, width, height };
}
