import { z } from 'zod';
import { drfPrimaryKey } from './drf-fields.js';

/** A database id as EXACT's clients send it: a positive integer (or its text, as DRF takes it). */
export const id = drfPrimaryKey();
/** An id inside a stored document: a number only, never converted (what is stored stays as sent). */
export const storedId = z.number().int().positive().max(2_147_483_647);

/**
 * What PostgreSQL cannot store in `text` or `jsonb`: NUL (it answers SQLSTATE 22P05 or 22021), and
 * UTF-16 surrogates without their pair (jsonb refuses their escapes; as text they would arrive as
 * U+FFFD, a value other than the one sent). Such text is refused where it enters, so the live document
 * never holds what its SQL projection cannot.
 */
const UNSTORABLE = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
export const UNSTORABLE_TEXT_MESSAGE = 'Text may not contain NUL characters or unpaired UTF-16 surrogates.';

/** True when PostgreSQL can store `value` as it is (see UNSTORABLE). */
export function isStorableText(value: string): boolean {
  return !UNSTORABLE.test(value);
}

/** `value` with each character PostgreSQL cannot store (see UNSTORABLE) replaced by U+FFFD. */
export function toStorableText(value: string): string {
  return value.replace(new RegExp(UNSTORABLE.source, 'g'), '\uFFFD');
}

/** A string a client sends: every request string is one, so none holds what PostgreSQL refuses. */
export function text() {
  return z.string().refine(isStorableText, UNSTORABLE_TEXT_MESSAGE);
}

/** EXACT's datetime form: ISO 8601 without time zone, microseconds, UTC. */
export const timestamp = z.string().meta({ format: 'date-time', example: '2024-05-01T10:11:12.123456' });

/** A paginated list answer (DRF's LimitOffsetPagination). */
export function page<T extends z.ZodType>(item: T) {
  return z.object({
    count: z.number().int().min(0),
    next: z.string().nullable(),
    previous: z.string().nullable(),
    results: z.array(item),
  });
}

export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

/** DRF's error shapes: `{"detail": "..."}` or `{"field": ["message"]}`. */
export const errorBody = z
  .object({ detail: z.string().optional(), code: z.string().optional() })
  .catchall(z.array(z.string()))
  .meta({ id: 'Error' });

type WithoutDefaults<S extends z.ZodRawShape> = {
  [K in keyof S]: S[K] extends z.ZodDefault<infer Inner> ? z.ZodOptional<Inner> : S[K];
};

/**
 * The update schemas of a resource from its create schema: PUT keeps the required fields required,
 * PATCH makes everything optional, and neither fills in defaults (zod would otherwise reset every
 * field the caller left out to its default).
 */
export function updateSchemas<S extends z.ZodRawShape>(create: z.ZodObject<S>) {
  const shape = Object.fromEntries(
    Object.entries(create.shape).map(([key, schema]) => [
      key,
      schema instanceof z.ZodDefault ? (schema.unwrap() as z.ZodType).optional() : schema,
    ]),
  ) as WithoutDefaults<S>;
  const put = z.object(shape);
  return { put, patch: put.partial() };
}
