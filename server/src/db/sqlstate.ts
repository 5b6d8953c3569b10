/** PostgreSQL error codes the services react to; matched by SQLSTATE, never by message text. */
export const SqlState = {
  uniqueViolation: '23505',
  foreignKeyViolation: '23503',
  /** What PostgreSQL 18 raises for a delete an `ON DELETE RESTRICT` reference forbids (23503 before). */
  restrictViolation: '23001',
  checkViolation: '23514',
  notNullViolation: '23502',
  invalidTextRepresentation: '22P02',
  invalidPassword: '28P01',
} as const;

interface PgErrorShape {
  code?: unknown;
  constraint?: unknown;
}

/** True when `error` is a PostgreSQL error with the given SQLSTATE (and constraint, if named). */
export function isPgError(error: unknown, code: string, constraint?: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as PgErrorShape;
  return e.code === code && (constraint === undefined || e.constraint === constraint);
}

/**
 * True for PostgreSQL's data exceptions (SQLSTATE class 22: a value it cannot store or convert, such
 * as NUL in text, an out-of-range number or date), as opposed to failures of the connection or server.
 */
export function isPgDataException(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as PgErrorShape).code;
  return typeof code === 'string' && code.startsWith('22');
}
