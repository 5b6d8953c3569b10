import fc from 'fast-check';
import { z } from 'zod';
import type { FilterSpec } from '../../server/src/db/filters.js';
import { LIST_PARAMETERS } from '../../server/src/db/filters.js';

/*
 * Arbitraries for fuzzing the API from its own declarations: a body from an endpoint's zod schema (by
 * way of its JSON Schema, as the OpenAPI document is made), a query from a list's filters. Values stay
 * close to the schema's shape, so they reach past the first check, and are laced with what broke the
 * server before: NUL, lone surrogates, impossible dates, huge numbers, `__proto__` keys.
 */

/** Strings that PostgreSQL, parsers or object handling have refused or mishandled. */
export const HOSTILE_STRINGS = [
  '',
  ' ',
  '\uFFFF',
  '😀',
  '__proto__',
  'constructor',
  'toString',
  '2020-02-30',
  '2020-02-30T10:00:00',
  '2021-02-29T00:00:00Z',
  '0000-01-01T00:00:00',
  '9999-12-31T23:59:59+15:00',
  '2020-01-01T24:00:00',
  '1e309',
  '-1',
  '2147483648',
  '99999999999999999999',
  'NaN',
  "'; SELECT pg_sleep(1); --",
  '%00',
  '../../etc/passwd',
  'a,b,,c',
  '1,2,3',
  'x'.repeat(1001),
] as const;

/** Text PostgreSQL cannot store: NUL and lone surrogates (the holes behind most 500s found so far). */
export const UNSTORABLE_STRINGS = ['\u0000', 'a\u0000b', '\uD800', 'x\uDC00y'] as const;

/** Numbers at and past the edges of int4, float8, JavaScript's safe integers and epoch milliseconds. */
export const HOSTILE_NUMBERS = [
  0,
  -0,
  -1,
  0.5,
  2_147_483_647,
  2_147_483_648,
  -2_147_483_649,
  Number.MAX_SAFE_INTEGER + 2,
  8_640_000_000_000_000,
  1e20,
  1e308,
  -1e308,
  Number.MIN_VALUE,
] as const;

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...UNSTORABLE_STRINGS) },
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
);

const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(...HOSTILE_NUMBERS),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Any JSON value, small, with hostile strings among its leaves and keys. */
export const anyJson: fc.Arbitrary<unknown> = fc
  .jsonValue({ maxDepth: 3 })
  .chain((value) =>
    fc.oneof(fc.constant(value), hostileString, hostileNumber, fc.dictionary(hostileString, hostileString)),
  );

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  minimum?: number;
  maximum?: number;
  additionalProperties?: JsonSchema | boolean;
};

/** A value shaped by `schema` (a zod request schema), with real ids and hostile leaves mixed in. */
export function fromSchema(schema: z.ZodType, ids: readonly number[]): fc.Arbitrary<unknown> {
  const json = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    reused: 'inline',
  }) as JsonSchema;
  return fromJsonSchema(json, ids, 0);
}

function fromJsonSchema(s: JsonSchema, ids: readonly number[], depth: number): fc.Arbitrary<unknown> {
  const shaped = shapedBy(s, ids, depth);
  // Now and then a leaf of the wrong kind entirely: validation must answer it, not the database.
  return fc.oneof(
    { weight: 8, arbitrary: shaped },
    { weight: 1, arbitrary: depth > 3 ? hostileString : anyJson },
  );
}

function shapedBy(s: JsonSchema, ids: readonly number[], depth: number): fc.Arbitrary<unknown> {
  const choices = s.anyOf ?? s.oneOf ?? s.allOf;
  if (choices && choices.length > 0)
    return fc.oneof(...choices.map((c) => fromJsonSchema(c, ids, depth + 1)));
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const types = Array.isArray(s.type) ? s.type : s.type === undefined ? [] : [s.type];
  if (types.length > 1) return fc.oneof(...types.map((type) => shapedBy({ ...s, type }, ids, depth)));
  switch (types[0]) {
    case 'object':
      return objectOf(s, ids, depth);
    case 'array':
      return fc.array(s.items ? fromJsonSchema(s.items, ids, depth + 1) : anyJson, { maxLength: 4 });
    case 'string':
      return s.format === 'date-time'
        ? fc.oneof(
            fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
            fc.constantFrom('2020-02-30T10:00:00', '0000-01-01T00:00:00', '2020-01-01T10:00:00+99:00'),
          )
        : hostileString;
    case 'integer':
    case 'number':
      return fc.oneof(
        ids.length > 0 ? fc.constantFrom(...ids) : fc.constant(1),
        fc.integer({ min: Math.max(s.minimum ?? -1000, -1e9), max: Math.min(s.maximum ?? 1000, 1e9) }),
        hostileNumber,
      );
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return anyJson;
  }
}

function objectOf(s: JsonSchema, ids: readonly number[], depth: number): fc.Arbitrary<unknown> {
  const properties = s.properties ?? {};
  const model = Object.fromEntries(
    Object.entries(properties).map(([key, value]) => [key, fromJsonSchema(value, ids, depth + 1)]),
  );
  if (Object.keys(model).length === 0) return fc.dictionary(hostileString, anyJson, { maxKeys: 3 });
  // Required keys are usually present (so the rest is checked), sometimes missing.
  const required = (s.required ?? []).filter((key) => key in model);
  return fc.oneof(
    { weight: 3, arbitrary: fc.record(model, { requiredKeys: required }) },
    { weight: 1, arbitrary: fc.record(model, { requiredKeys: [] }) },
  );
}

/** A query for a list endpoint: its filters with lookups, the list parameters, now and then an unknown key. */
export function listQuery(filters: FilterSpec, ids: readonly number[]): fc.Arbitrary<Record<string, string>> {
  const keys = [
    ...Object.entries(filters).flatMap(([name, field]) =>
      field.lookups.map((lookup) => (lookup === 'exact' ? name : `${name}__${lookup}`)),
    ),
    ...LIST_PARAMETERS,
    'name__regex',
    'no_such_filter',
  ];
  return queryOf(keys, ids);
}

/** Query parameter names that routes other than lists read. */
const ROUTE_PARAMETERS = [
  'format',
  'image',
  'to',
  'user',
  'frame',
  'size',
  'x',
  'y',
  'level',
  'width',
  'height',
  'split',
  'part',
  'include_deleted',
  'verified_only',
  'min_verifications',
  'annotation_type',
  'export_format',
  'generated',
  'id__in',
  'original_image',
];

/** A query for any other endpoint, from the parameter names routes read and random ones. */
export function routeQuery(ids: readonly number[]): fc.Arbitrary<Record<string, string>> {
  return queryOf(ROUTE_PARAMETERS, ids);
}

function queryOf(keys: readonly string[], ids: readonly number[]): fc.Arbitrary<Record<string, string>> {
  const value = fc.oneof(
    hostileString,
    fc.constantFrom(...ids.map(String), 'true', 'false', 'coco', 'csv', 'exact', 'geojson', 'train'),
    fc.array(fc.constantFrom(...ids.map(String)), { minLength: 1, maxLength: 3 }).map((v) => v.join(',')),
    fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  );
  return fc.dictionary(fc.oneof(fc.constantFrom(...keys), hostileString), value, { maxKeys: 4 });
}

/** JSON text for `body`, now and then with a leading `__proto__` member that JSON.parse keeps as a key. */
export function bodyText(body: unknown, withProto: boolean): string {
  const text = body === undefined ? 'null' : JSON.stringify(body);
  if (!withProto || !text.startsWith('{')) return text;
  return text === '{}'
    ? '{"__proto__":{"is_superuser":true}}'
    : `{"__proto__":{"is_superuser":true},${text.slice(1)}`;
}
