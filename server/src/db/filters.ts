import {
  drfBooleanValue,
  drfIntegerValue,
  drfNumberValue,
  isDateTimeText,
  isStorableText,
  UNSTORABLE_TEXT_MESSAGE,
} from '@tessera/shared';
import { AppError, type FieldErrors } from '../errors/app-error.js';
import type { SqlValue } from './database.js';

/** django-filter's lookups that EXACT's API offers. */
export type Lookup = 'exact' | 'contains' | 'in' | 'lte' | 'gte' | 'lt' | 'gt' | 'range';
export type FilterType = 'int' | 'float' | 'text' | 'bool' | 'timestamp';

export interface FilterField {
  readonly type: FilterType;
  readonly lookups: readonly Lookup[];
  /** The SQL expression compared, e.g. `s.name`. */
  readonly column?: string;
  /** For relations: SQL that embeds the comparison, e.g. `EXISTS (... AND ${compare('m.user_id')})`. */
  readonly where?: (compare: (expr: string) => string) => string;
  /** The plain parameter compares this way instead of by equality (a viewport bound: `gte`, `lte`). */
  readonly compareAs?: 'gte' | 'lte';
  readonly description?: string;
}

/** A resource's filters by query parameter name; the SQL stays in the repository that declares it. */
export type FilterSpec = Readonly<Record<string, FilterField>>;

export interface ParsedFilter {
  readonly name: string;
  readonly lookup: Lookup;
  readonly value: SqlValue;
}

const lookups: ReadonlySet<string> = new Set<Lookup>([
  'exact',
  'contains',
  'in',
  'lte',
  'gte',
  'lt',
  'gt',
  'range',
]);

/**
 * The query parameters of a list that are not filters: pagination (`limit`, `offset`, the signed
 * `cursor` of `next` links), drf-flex-fields' `expand`, `fields` and `omit`, and what DRF reads
 * itself or EXACT's clients send along (`format`, `ordering`, `search`), which change nothing here.
 */
export const LIST_PARAMETERS: ReadonlySet<string> = new Set([
  'limit',
  'offset',
  'cursor',
  'expand',
  'fields',
  'omit',
  'format',
  'ordering',
  'search',
]);

/**
 * Reads filter parameters (`name`, `name__contains`, `id__in=1,2`) from a query string. A parameter
 * that is neither a declared filter with a declared lookup nor one of LIST_PARAMETERS is a 400 naming
 * it: ignoring it (as DRF does) answered `name__regex=x` with the whole list, as if it had matched.
 * A bad value of a known filter is a 400 naming the parameter too.
 */
export function parseFilters(
  spec: FilterSpec,
  query: Record<string, string | string[] | undefined>,
): ParsedFilter[] {
  const parsed: ParsedFilter[] = [];
  const errors: FieldErrors = {};
  for (const [key, raw] of Object.entries(query)) {
    if (raw === undefined) continue;
    const [name, lookup] = splitKey(key);
    const field = declared(spec, name);
    if (!field?.lookups.includes(lookup)) {
      if (!LIST_PARAMETERS.has(key)) errors[key] = [unknownFilterMessage(spec, key)];
      continue;
    }
    const text = Array.isArray(raw) ? (raw[raw.length - 1] ?? '') : raw;
    try {
      parsed.push({ name, lookup, value: parseLookupValue(field.type, lookup, text) });
    } catch (error) {
      errors[key] = [(error as Error).message];
    }
  }
  if (Object.keys(errors).length > 0) throw AppError.invalid(errors);
  return parsed;
}

/** The filter declared under `name`; never a property the object inherits (`toString`, `__proto__`). */
function declared(spec: FilterSpec, name: string): FilterField | undefined {
  return Object.hasOwn(spec, name) ? spec[name] : undefined;
}

function unknownFilterMessage(spec: FilterSpec, key: string): string {
  const at = key.lastIndexOf('__');
  const field = at > 0 ? declared(spec, key.slice(0, at)) : undefined;
  if (field !== undefined && declared(spec, key) === undefined) {
    return `Unknown filter "${key}": ${key.slice(0, at)} takes the lookups ${field.lookups.join(', ')}.`;
  }
  return `Unknown filter "${key}".`;
}

function splitKey(key: string): [string, Lookup] {
  const at = key.lastIndexOf('__');
  if (at > 0) {
    const suffix = key.slice(at + 2);
    if (lookups.has(suffix)) return [key.slice(0, at), suffix as Lookup];
  }
  return [key, 'exact'];
}

function parseLookupValue(type: FilterType, lookup: Lookup, text: string): SqlValue {
  if (lookup === 'in' || lookup === 'range') {
    const parts = text === '' ? [] : text.split(',');
    if (lookup === 'range' && parts.length !== 2) throw new Error('Enter two values separated by a comma.');
    if (parts.length > 10_000) throw new Error('Ensure this list has at most 10000 values.');
    return parts.map((p) => parseScalar(type, p.trim()));
  }
  return parseScalar(type, text);
}

/**
 * One filter value, read as DRF reads the same field in a body (1, "40.0", "yes", microseconds), with
 * django-filter's messages (Django's form fields), as EXACT answers a bad filter.
 */
function parseScalar(type: FilterType, text: string): string | number | boolean {
  switch (type) {
    case 'int': {
      const n = drfIntegerValue(text);
      if (n === undefined) throw new Error('Enter a whole number.');
      if (Math.abs(n) > 2_147_483_647) throw new Error('Enter a whole number.');
      return n;
    }
    case 'float': {
      const n = drfNumberValue(text);
      if (n === undefined) throw new Error('Enter a number.');
      return n;
    }
    case 'bool': {
      const value = drfBooleanValue(text);
      if (value === undefined)
        throw new Error(`Select a valid choice. ${text} is not one of the available choices.`);
      return value;
    }
    case 'timestamp': {
      if (!isDateTimeText(text)) throw new Error('Enter a valid date/time.');
      return text;
    }
    case 'text':
      if (text.length > 1000) throw new Error('Ensure this value has at most 1000 characters.');
      if (!isStorableText(text)) throw new Error(UNSTORABLE_TEXT_MESSAGE);
      return text;
  }
}

/** Collects WHERE conditions and their positional parameters for one statement. */
export class SqlConditions {
  readonly conditions: string[] = [];

  constructor(readonly params: SqlValue[] = []) {}

  /** Adds a parameter and returns its placeholder ($n). */
  param(value: SqlValue): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  /** A copy for the rows query, so parameters used only in its SELECT list stay out of the count. */
  fork(): SqlConditions {
    const copy = new SqlConditions([...this.params]);
    copy.conditions.push(...this.conditions);
    return copy;
  }

  add(condition: string): this {
    this.conditions.push(condition);
    return this;
  }

  /** Adds the SQL of parsed filters according to the resource's spec. */
  addFilters(spec: FilterSpec, filters: readonly ParsedFilter[]): this {
    for (const f of filters) {
      const field = spec[f.name];
      if (!field) continue;
      const lookup = f.lookup === 'exact' && field.compareAs ? field.compareAs : f.lookup;
      const compare = (expr: string): string => this.comparison(expr, field.type, lookup, f.value);
      this.add(field.where ? field.where(compare) : compare(field.column ?? f.name));
    }
    return this;
  }

  where(): string {
    return this.conditions.length === 0 ? '' : `WHERE ${this.conditions.map((c) => `(${c})`).join(' AND ')}`;
  }

  private comparison(expr: string, type: FilterType, lookup: Lookup, value: SqlValue): string {
    // Typed parameters: an untyped one takes the column's type, so 2147483647 against a smallint
    // column (priority) failed in PostgreSQL (22003) where it should just match nothing.
    const cast = type === 'timestamp' ? '::timestamptz' : type === 'int' ? '::int' : '';
    switch (lookup) {
      case 'exact':
        return `${expr} = ${this.param(value)}${cast}`;
      case 'contains':
        return `strpos(${expr}, ${this.param(value)}) > 0`;
      case 'in':
        return `${expr} = ANY(${this.param(value)}${arrayCast(type)})`;
      case 'lte':
        return `${expr} <= ${this.param(value)}${cast}`;
      case 'gte':
        return `${expr} >= ${this.param(value)}${cast}`;
      case 'lt':
        return `${expr} < ${this.param(value)}${cast}`;
      case 'gt':
        return `${expr} > ${this.param(value)}${cast}`;
      case 'range': {
        const [low, high] = value as SqlValue[];
        return `${expr} BETWEEN ${this.param(low ?? null)}${cast} AND ${this.param(high ?? null)}${cast}`;
      }
    }
  }
}

function arrayCast(type: FilterType): string {
  switch (type) {
    case 'int':
      return '::int[]';
    case 'float':
      return '::float8[]';
    case 'bool':
      return '::bool[]';
    case 'timestamp':
      return '::timestamptz[]';
    case 'text':
      return '::text[]';
  }
}
