import { z } from 'zod';
import { AppError } from '../errors/app-error.js';

/** A row id in a path: digits that fit PostgreSQL's integer. Anything else names nothing (404, as DRF). */
export const pathId = z
  .string()
  .regex(/^\d{1,10}$/)
  .transform(Number)
  .pipe(z.number().int().max(2_147_483_647));

/** A name in a path: a data set's, an associated image's. */
export const pathName = z.string().min(1);

/** The path parameters an endpoint declares: one field per `:name` in its path. */
export type PathParamsSchema<P> = z.ZodObject & z.ZodType<P, Record<string, string>>;

/** The parameters of a path with one `:id`, the most common shape. */
export const idParams = z.object({ id: pathId });

/** The `:name`s of a Koa-style path, in order (`/a/:id/b/:name/` gives id, name). */
export function pathParamNames(path: string): string[] {
  return [...path.matchAll(/:([A-Za-z_]+)/g)].map((match) => match[1] ?? '');
}

/**
 * Throws unless the schema declares exactly the path's parameters: a handler then cannot read a
 * parameter the path lacks, nor leave one unparsed. Runs when endpoints are mounted, so a mismatch
 * stops the start instead of reaching a request.
 */
export function assertParamsMatchPath(path: string, schema: z.ZodObject | undefined): void {
  const inPath = pathParamNames(path).sort();
  const declared = Object.keys(schema?.shape ?? {}).sort();
  if (inPath.join(',') !== declared.join(',')) {
    throw new Error(
      `${path} has path parameters [${inPath.join(', ')}] but declares [${declared.join(', ')}]`,
    );
  }
}

/** Parses a request's path parameters; a part that does not parse names no resource, so 404. */
export function parsePathParams<P>(schema: z.ZodType<P> | undefined, raw: Record<string, string>): P {
  if (schema === undefined) return {} as P;
  const result = schema.safeParse(raw);
  if (!result.success) throw AppError.notFound();
  return result.data;
}

/** Whether a declared path parameter is an id (documented as an integer). */
export function isIdParam(schema: z.ZodObject | undefined, name: string): boolean {
  return schema?.shape[name] === pathId;
}
