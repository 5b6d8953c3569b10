import { z } from 'zod';
import { errorBody, page } from '@tessera/shared';
import type { Endpoint } from './endpoint.js';
import { isIdParam } from './path-params.js';

type JsonSchema = Record<string, unknown>;

const pagingParameters = [
  {
    name: 'limit',
    in: 'query',
    schema: { type: 'integer', minimum: 1 },
    description: 'Page size (default 50).',
  },
  { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0 } },
];
const flexParameters = [
  { name: 'expand', in: 'query', schema: { type: 'string' }, description: 'Related objects to nest: a,b.c' },
  { name: 'fields', in: 'query', schema: { type: 'string' }, description: 'Keep only these fields: id,name' },
  { name: 'omit', in: 'query', schema: { type: 'string' }, description: 'Drop these fields: images' },
];

/** The OpenAPI 3.1 document, generated from the same zod schemas that validate requests. */
export function buildOpenApi(endpoints: readonly Endpoint[], version: string): JsonSchema {
  const components: Record<string, JsonSchema> = {};
  const schemaRef = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
    const json = z.toJSONSchema(schema, { io, unrepresentable: 'any', reused: 'inline' }) as JsonSchema;
    delete json.$schema;
    const id = z.globalRegistry.get(schema)?.id;
    if (id === undefined || io === 'input') return json;
    components[id] = json;
    return { $ref: `#/components/schemas/${id}` };
  };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const ep of endpoints) {
    const path = `/api/v1${ep.path.replace(/:([A-Za-z_]+)/g, '{$1}')}`;
    const parameters: unknown[] = [...ep.path.matchAll(/:([A-Za-z_]+)/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      // Ids are numbers; other path parts, a data set's name, are text (see api/path-params.ts).
      schema: isIdParam(ep.params, m[1] ?? '') ? { type: 'integer' } : { type: 'string' },
    }));
    if (ep.list) {
      if (ep.list.paginated !== false) parameters.push(...pagingParameters);
      for (const [name, field] of Object.entries(ep.list.filters)) {
        for (const lookup of field.lookups) {
          parameters.push({
            name: lookup === 'exact' ? name : `${name}__${lookup}`,
            in: 'query',
            schema: { type: 'string' },
            description: `${field.type}${lookup === 'in' || lookup === 'range' ? ', comma-separated' : ''}`,
          });
        }
      }
    }
    if (ep.flex) parameters.push(...flexParameters);
    const status = String(ep.status ?? (ep.method === 'delete' ? 204 : ep.method === 'post' ? 201 : 200));
    const response = ep.response && (ep.list ? page(ep.response) : ep.response);
    (paths[path] ??= {})[ep.method] = {
      summary: ep.summary,
      description: ep.description,
      tags: [ep.tag],
      // The access rule it follows (access/policy/README.md), for readers of the API document.
      'x-tessera-policy': ep.policy,
      security: ep.auth === 'optional' ? [] : undefined,
      parameters,
      requestBody: ep.body && {
        required: true,
        content: { 'application/json': { schema: schemaRef(ep.body, 'input') } },
      },
      responses: {
        [status]: {
          description: 'Success',
          content: response && { 'application/json': { schema: schemaRef(response, 'output') } },
        },
        default: {
          description: 'Error',
          content: { 'application/json': { schema: schemaRef(errorBody, 'output') } },
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tessera API',
      version,
      description:
        "Tessera's REST API. Compatible with EXACT's /api/v1 (paths, fields, pagination, filters).",
    },
    servers: [{ url: '/' }],
    security: [{ basic: [] }, { token: [] }, { session: [] }],
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        basic: { type: 'http', scheme: 'basic' },
        token: {
          type: 'http',
          scheme: 'bearer',
          description: 'Personal access token: pat_<prefix>.<secret>',
        },
        session: { type: 'apiKey', in: 'cookie', name: 'tessera_session' },
      },
    },
  };
}
