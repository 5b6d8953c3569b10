import type Router from '@koa/router';
import type { Context } from 'koa';
import type { z } from 'zod';
import { drfErrorMap } from '@tessera/shared';
import type { Viewer } from '../auth/viewer.js';
import { AppError, type FieldErrors } from '../errors/app-error.js';
import type { FilterSpec } from '../db/filters.js';
import type { EndpointPolicy } from './endpoint-policy.js';
import { assertParamsMatchPath, parsePathParams, type PathParamsSchema } from './path-params.js';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
export type RawQuery = Record<string, string | string[] | undefined>;

/** What a handler receives: validated input plus the caller. */
export interface HandlerInput<B, V, P = NoParams> {
  /** The path parameters, parsed by the endpoint's `params` schema. */
  readonly params: P;
  readonly body: B;
  readonly query: RawQuery;
  readonly viewer: V;
  /** The request's absolute URL (for pagination links). */
  readonly url: URL;
  readonly ctx: Context;
}

/** A handler's answer: a body with an optional status; `undefined` body means 204. */
export interface Reply {
  readonly status?: number;
  readonly body?: unknown;
  /** The handler wrote the response itself (streams relayed from the tiler, files). */
  readonly streamed?: boolean;
}

/** The parameters of a path without any: reading one is a type error. */
export type NoParams = { readonly [name in never]: never };

interface EndpointBase<B, P> {
  readonly method: Method;
  /** Koa-style path below /api/v1, with a trailing slash like DRF: `/users/users/:id/`. */
  readonly path: string;
  /** One field per `:name` in the path (`idParams` for `:id`); checked against the path at mount. */
  readonly params?: PathParamsSchema<P>;
  readonly summary: string;
  readonly tag: string;
  /**
   * Who may call it, one line: `policy: 'annotation.annotate'` (api/endpoint-policy.ts; the rules are
   * in access/policy/). The authorization matrix test fails for an endpoint that names none.
   */
  readonly policy?: EndpointPolicy;
  readonly description?: string;
  readonly body?: z.ZodType<B>;
  /** Documented response schema (the list wrapper is added for `list` endpoints). */
  readonly response?: z.ZodType;
  readonly status?: number;
  /** Takes a resource's filters; `paginated: false` for answers that are not pages (counts). */
  readonly list?: { readonly filters: FilterSpec; readonly paginated?: boolean };
  readonly flex?: boolean;
}

export interface AuthenticatedEndpoint<B, P = NoParams> extends EndpointBase<B, P> {
  readonly auth?: 'required';
  handler(input: HandlerInput<B, Viewer, P>): Promise<Reply>;
}

export interface AnonymousEndpoint<B, P = NoParams> extends EndpointBase<B, P> {
  readonly auth: 'optional';
  handler(input: HandlerInput<B, Viewer | null, P>): Promise<Reply>;
}

// The handler is a method, so its input type is checked bivariantly: any definition fits the list type.
export type Endpoint<B = unknown, P = unknown> = AuthenticatedEndpoint<B, P> | AnonymousEndpoint<B, P>;

/** Identity helper that keeps the body and path parameter types of one endpoint definition. */
export function endpoint<B = undefined, P = NoParams>(def: AuthenticatedEndpoint<B, P>): Endpoint {
  return def;
}

/** An endpoint that also answers anonymous callers (login, session). */
export function anonymousEndpoint<B = undefined, P = NoParams>(def: AnonymousEndpoint<B, P>): Endpoint {
  return def;
}

/** Mounts endpoints on a router: parses path parameters, validates bodies, demands a caller, renders. */
export function mountEndpoints(router: Router, endpoints: readonly Endpoint[]): void {
  for (const ep of endpoints) {
    assertParamsMatchPath(ep.path, ep.params);
    router[ep.method](ep.path, async (ctx: Context) => {
      const viewer = (ctx.state as { viewer?: Viewer | null }).viewer ?? null;
      if (ep.auth !== 'optional' && viewer === null) throw AppError.notAuthenticated();
      if (ep.body && hasBody(ctx) && !ctx.is('json')) {
        throw new AppError(
          'unsupported_media_type',
          `Unsupported media type "${ctx.get('content-type')}"; send JSON.`,
        );
      }
      const input: HandlerInput<unknown, Viewer | null, unknown> = {
        params: parsePathParams(ep.params, ctx.params as Record<string, string>),
        body: ep.body ? validateBody(ep.body, (ctx.request as { body?: unknown }).body) : undefined,
        query: ctx.query,
        viewer,
        url: new URL(ctx.href),
        ctx,
      };
      const reply = await (
        ep.handler as (i: HandlerInput<unknown, Viewer | null, unknown>) => Promise<Reply>
      )(input);
      if (reply.streamed) return;
      if (reply.body === undefined) {
        ctx.status = reply.status ?? 204;
        ctx.body = null;
      } else {
        ctx.status = reply.status ?? ep.status ?? 200;
        ctx.body = reply.body;
      }
    });
  }
}

function hasBody(ctx: Context): boolean {
  return ctx.get('transfer-encoding') !== '' || Number(ctx.get('content-length') || '0') > 0;
}

/** Validates a JSON body with zod, reporting problems per field in DRF's words. */
export function validateBody<B>(schema: z.ZodType<B>, body: unknown): B {
  if (body === undefined) throw AppError.badRequest('A JSON request body is required.');
  const result = schema.safeParse(body, DRF_MESSAGES);
  if (result.success) return result.data;
  throw AppError.invalid(zodFieldErrors(result.error));
}

/**
 * The parse options of every request input (bodies, form fields, query strings): zod writes DRF's
 * messages wherever a schema names none of its own.
 */
export const DRF_MESSAGES = { error: drfErrorMap } as const;

/**
 * Turns zod issues into `{"field": ["message"]}`; problems with the whole body go to non_field_errors.
 * The messages are the issues' own: parse with DRF_MESSAGES for DRF's words.
 */
export function zodFieldErrors(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? issue.path.join('.') : 'non_field_errors';
    (errors[key] ??= []).push(issue.message);
  }
  return errors;
}
