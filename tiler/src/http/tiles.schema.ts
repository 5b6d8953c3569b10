// Query and path validation for the token routes.
import { z } from 'zod';
import { MAX_REGION_SIZE, MAX_THUMBNAIL_SIZE } from '../services/image.service.js';

const integer = (pattern: RegExp, what: string) =>
  z
    .string()
    .regex(pattern, { error: `${what} must be an integer` })
    .transform(Number)
    .refine(Number.isSafeInteger, { error: `${what} is out of range` });

const natural = (what: string) => integer(/^\d{1,10}$/, what);
const signed = (what: string) => integer(/^-?\d{1,10}$/, what);

/** ?size= of a thumbnail: longest side, 1..2048, default 256. */
export const thumbnailQuery = z.object({
  size: natural('size')
    .refine((n) => n >= 1 && n <= MAX_THUMBNAIL_SIZE, { error: `size must be 1..${MAX_THUMBNAIL_SIZE}` })
    .default(256),
});

/** EXACT's get_patch query: x, y in level-0 pixels; width, height (1..2048) at `level`. */
export const regionQuery = z.object({
  x: signed('x'),
  y: signed('y'),
  level: natural('level'),
  width: natural('width').refine((n) => n >= 1 && n <= MAX_REGION_SIZE, {
    error: `width must be 1..${MAX_REGION_SIZE}`,
  }),
  height: natural('height').refine((n) => n >= 1 && n <= MAX_REGION_SIZE, {
    error: `height must be 1..${MAX_REGION_SIZE}`,
  }),
});

/** The inspect request body. */
export const inspectBody = z.object({ token: z.string().min(1).max(8192) });

/** Parses `{level}` and `{col}_{row}.jpeg`; null when they do not name a tile. */
export function parseTileAddress(
  level: string,
  file: string,
): { level: number; col: number; row: number } | null {
  const match = /^(\d{1,6})_(\d{1,6})\.jpeg$/.exec(file);
  if (match === null || !/^\d{1,3}$/.test(level)) return null;
  return { level: Number(level), col: Number(match[1]), row: Number(match[2]) };
}

/** The first error message of a failed parse, with the field it concerns. */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'invalid request';
  const field = issue.path.join('.');
  return issue.code === 'invalid_type' && field !== '' ? `${field} is required` : issue.message;
}
