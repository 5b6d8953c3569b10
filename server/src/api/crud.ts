import type { z } from 'zod';
import type { Viewer } from '../auth/viewer.js';
import { endpoint, type Endpoint } from './endpoint.js';
import type { EndpointPolicy } from './endpoint-policy.js';
import { idParams } from './path-params.js';
import type { ReadableResource, Listing } from './listing.js';

export interface CrudOptions<C, U> {
  /** Collection path with trailing slash, e.g. `/users/teams/`. */
  readonly path: string;
  readonly tag: string;
  /** Human name for the summaries, e.g. "team". */
  readonly noun: string;
  readonly resource: ReadableResource;
  readonly listing: Listing;
  readonly output: z.ZodType;
  /** The policy of the list and retrieve routes (`team.see`); each write names its own. */
  readonly policy: EndpointPolicy;
  readonly create?: {
    readonly policy: EndpointPolicy;
    readonly body: z.ZodType<C>;
    run(viewer: Viewer, body: C): Promise<number>;
  };
  readonly update?: {
    readonly policy: EndpointPolicy;
    readonly put: z.ZodType<U>;
    readonly patch: z.ZodType<Partial<U>>;
    run(viewer: Viewer, id: number, body: Partial<U>): Promise<void>;
  };
  readonly remove?: { readonly policy: EndpointPolicy; run(viewer: Viewer, id: number): Promise<void> };
}

/** DRF's ModelViewSet routes for one resource: list, retrieve, and the writes it supports. */
export function crudEndpoints<C, U>(o: CrudOptions<C, U>): Endpoint[] {
  const item = `${o.path}:id/`;
  const endpoints: Endpoint[] = [
    endpoint({
      method: 'get',
      path: o.path,
      tag: o.tag,
      policy: o.policy,
      summary: `Lists the ${o.noun}s you may see`,
      list: { filters: o.resource.filters },
      flex: true,
      response: o.output,
      async handler({ viewer, query, url }) {
        return { body: await o.listing.list(o.resource, viewer, query, url) };
      },
    }),
    endpoint({
      method: 'get',
      path: item,
      params: idParams,
      tag: o.tag,
      policy: o.policy,
      summary: `One ${o.noun}`,
      flex: true,
      response: o.output,
      async handler({ viewer, params, query }) {
        return { body: await o.listing.retrieve(o.resource, viewer, params.id, query) };
      },
    }),
  ];
  const { create, update, remove } = o;
  // A write answers the object as the viewer now sees it, like a retrieve.
  const answer = (viewer: Viewer, id: number, query: Record<string, string | string[] | undefined>) =>
    o.listing.retrieve(o.resource, viewer, id, query);
  if (create) {
    endpoints.push(
      endpoint({
        method: 'post',
        path: o.path,
        tag: o.tag,
        policy: create.policy,
        summary: `Creates a ${o.noun}`,
        body: create.body,
        response: o.output,
        status: 201,
        async handler({ viewer, body, query }) {
          const id = await create.run(viewer, body);
          return { status: 201, body: await answer(viewer, id, query) };
        },
      }),
    );
  }
  if (update) {
    for (const [method, body] of [
      ['put', update.put],
      ['patch', update.patch],
    ] as const) {
      endpoints.push(
        endpoint({
          method,
          path: item,
          params: idParams,
          tag: o.tag,
          policy: update.policy,
          summary:
            method === 'put' ? `Replaces a ${o.noun}'s fields` : `Changes some of a ${o.noun}'s fields`,
          body,
          response: o.output,
          async handler({ viewer, params, body: input, query }) {
            const id = params.id;
            await update.run(viewer, id, input);
            return { body: await answer(viewer, id, query) };
          },
        }),
      );
    }
  }
  if (remove) {
    endpoints.push(
      endpoint({
        method: 'delete',
        path: item,
        params: idParams,
        tag: o.tag,
        policy: remove.policy,
        summary: `Deletes a ${o.noun}`,
        async handler({ viewer, params }) {
          await remove.run(viewer, params.id);
          return {};
        },
      }),
    );
  }
  return endpoints;
}
