import type { z } from 'zod';
import { AppError } from '../errors/app-error.js';
import { DRF_MESSAGES, zodFieldErrors, type RawQuery } from './endpoint.js';

/**
 * A query string read with a zod schema (the last value of a repeated parameter wins, as in Django);
 * problems answer 400 per parameter in DRF's words.
 */
export function parseQuery<T>(schema: z.ZodType<T>, query: RawQuery): T {
  const flat = Object.fromEntries(
    Object.entries(query).map(([key, value]) => [key, Array.isArray(value) ? value.at(-1) : value]),
  );
  const parsed = schema.safeParse(flat, DRF_MESSAGES);
  if (!parsed.success) throw AppError.invalid(zodFieldErrors(parsed.error));
  return parsed.data;
}
