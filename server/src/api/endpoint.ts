import type Router from '@koa/router';
import type { Context } from 'koa';
import type { z } from 'zod';
import type { Viewer } from '../auth/viewer.js';
import { AppError, type FieldErrors } from '../errors/app-error.js';
import type { FilterSpec } from '../db/filters.js';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
export type RawQuery = Record<string, string | string[] | undefined>;

/** What a handler receives: validated input plus the caller. */
export interface HandlerInput<B, V> {
  readonly params: Record<string, number>;
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

interface EndpointBase<B> {
  readonly method: Method;
  /** Koa-style path below /api/v1, with a trailing slash like DRF: `/users/users/:id/`. */
  readonly path: string;
  readonly summary: string;
  readonly tag: string;
  readonly description?: string;
  readonly body?: z.ZodType<B>;
  /** Documented response schema (the list wrapper is added for `list` endpoints). */
  readonly response?: z.ZodType;
  readonly status?: number;
  /** Takes a resource's filters; `paginated: false` for answers that are not pages (counts). */
  readonly list?: { readonly filters: FilterSpec; readonly paginated?: boolean };
  readonly flex?: boolean;
}

export interface AuthenticatedEndpoint<B> extends EndpointBase<B> {
  readonly auth?: 'required';
  handler(input: HandlerInput<B, Viewer>): Promise<Reply>;
}

export interface AnonymousEndpoint<B> extends EndpointBase<B> {
  readonly auth: 'optional';
  handler(input: HandlerInput<B, Viewer | null>): Promise<Reply>;
}

export type Endpoint<B = unknown> = AuthenticatedEndpoint<B> | AnonymousEndpoint<B>;

/** Identity helper that keeps the body type of one endpoint definition. */
export function endpoint<B = undefined>(def: AuthenticatedEndpoint<B>): Endpoint {
  return def;
}

/** An endpoint that also answers anonymous callers (login, session). */
export function anonymousEndpoint<B = undefined>(def: AnonymousEndpoint<B>): Endpoint {
  return def;
}

/** Mounts endpoints on a router: parses ids, validates bodies, demands a caller, renders the reply. */
export function mountEndpoints(router: Router, endpoints: readonly Endpoint[]): void {
  for (const ep of endpoints) {
    router[ep.method](ep.path, async (ctx: Context) => {
      const viewer = (ctx.state as { viewer?: Viewer | null }).viewer ?? null;
      if (ep.auth !== 'optional' && viewer === null) throw AppError.notAuthenticated();
      if (ep.body && hasBody(ctx) && !ctx.is('json')) {
        throw new AppError(
          'unsupported_media_type',
          `Unsupported media type "${ctx.get('content-type')}"; send JSON.`,
        );
      }
      const input: HandlerInput<unknown, Viewer | null> = {
        params: parseIdParams(ctx.params as Record<string, string>),
        body: ep.body ? validateBody(ep.body, (ctx.request as { body?: unknown }).body) : undefined,
        query: ctx.query,
        viewer,
        url: new URL(ctx.href),
        ctx,
      };
      const reply = await (ep.handler as (i: HandlerInput<unknown, Viewer | null>) => Promise<Reply>)(input);
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

/** Path ids are integers; anything else names nothing, so it is a 404 as in DRF. */
function parseIdParams(params: Record<string, string>): Record<string, number> {
  const ids: Record<string, number> = {};
  for (const [key, value] of Object.entries(params)) {
    // Only ids are numbers; other path parts (an associated image's name) reach the handler as text.
    if (key !== 'id') continue;
    if (!/^\d{1,10}$/.test(value) || Number(value) > 2_147_483_647) throw AppError.notFound();
    ids[key] = Number(value);
  }
  return ids;
}

/** Validates a JSON body with zod, reporting problems per field as DRF does. */
export function validateBody<B>(schema: z.ZodType<B>, body: unknown): B {
  if (body === undefined) throw AppError.badRequest('A JSON request body is required.');
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  throw AppError.invalid(zodFieldErrors(result.error));
}

/** Turns zod issues into `{"field": ["message"]}`; problems with the whole body go to non_field_errors. */
export function zodFieldErrors(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? issue.path.join('.') : 'non_field_errors';
    const message =
      issue.code === 'invalid_type' && issue.input === undefined ? 'This field is required.' : issue.message;
    (errors[key] ??= []).push(message);
  }
  return errors;
}
