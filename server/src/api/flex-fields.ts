import { AppError } from '../errors/app-error.js';

/** A parsed `expand`/`fields`/`omit` list: `a,b.c` becomes {a: {}, b: {c: {}}}. */
export type FieldTree = Map<string, FieldTree>;

export interface FlexRequest {
  readonly expand: FieldTree;
  readonly fields: FieldTree | undefined;
  readonly omit: FieldTree | undefined;
}

export type JsonObject = Record<string, unknown>;

const MAX_DEPTH = 3;

/** Reads drf-flex-fields' `expand`, `fields` and `omit` parameters. */
export function parseFlexRequest(query: Record<string, string | string[] | undefined>): FlexRequest {
  return {
    expand: parseFieldList(query, 'expand') ?? new Map<string, FieldTree>(),
    fields: parseFieldList(query, 'fields'),
    omit: parseFieldList(query, 'omit'),
  };
}

function parseFieldList(
  query: Record<string, string | string[] | undefined>,
  key: string,
): FieldTree | undefined {
  const raw = query[key];
  if (raw === undefined) return undefined;
  const text = Array.isArray(raw) ? raw.join(',') : raw;
  const tree: FieldTree = new Map();
  for (const item of text.split(',')) {
    const path = item.trim();
    if (path === '') continue;
    const parts = path.split('.');
    if (parts.length > MAX_DEPTH || parts.some((p) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(p))) {
      throw AppError.invalidField(
        key,
        `Invalid field path "${path}" (names joined by dots, at most ${MAX_DEPTH}).`,
      );
    }
    let node = tree;
    for (const part of parts) {
      let child = node.get(part);
      if (!child) {
        child = new Map();
        node.set(part, child);
      }
      node = child;
    }
  }
  return tree;
}

/** Keeps only `fields` and drops `omit`, descending into expanded objects for dotted paths. */
export function selectFields(
  value: JsonObject,
  fields: FieldTree | undefined,
  omit: FieldTree | undefined,
): JsonObject {
  let result: JsonObject = value;
  if (fields && fields.size > 0) {
    result = {};
    for (const [key, sub] of fields) {
      if (!(key in value)) continue;
      result[key] = sub.size > 0 ? mapNested(value[key], (o) => selectFields(o, sub, undefined)) : value[key];
    }
  }
  if (omit && omit.size > 0) {
    const kept: JsonObject = {};
    for (const [key, item] of Object.entries(result)) {
      const sub = omit.get(key);
      if (sub === undefined) kept[key] = item;
      else if (sub.size > 0) kept[key] = mapNested(item, (o) => selectFields(o, undefined, sub));
    }
    result = kept;
  }
  return result;
}

function mapNested(value: unknown, fn: (o: JsonObject) => JsonObject): unknown {
  if (Array.isArray(value)) return (value as unknown[]).map((v) => (isObject(v) ? fn(v) : v));
  return isObject(value) ? fn(value) : value;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
