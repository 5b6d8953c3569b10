import type { Queryable, SqlValue } from './database.js';

/**
 * Updates the given columns of one row by id: `columnOf` maps each writable field to its column
 * (table and column names come from code, never from the request); fields left undefined stay.
 */
export async function updateColumns<F extends object>(
  db: Queryable,
  table: string,
  id: number,
  columnOf: Readonly<Record<keyof F, string>>,
  changes: Partial<F>,
): Promise<void> {
  const params: SqlValue[] = [id];
  const sets: string[] = [];
  for (const [field, column] of Object.entries(columnOf) as [keyof F & string, string][]) {
    const value = changes[field] as SqlValue | undefined;
    if (value === undefined) continue;
    params.push(value);
    sets.push(`${column} = $${params.length}`);
  }
  if (sets.length > 0) await db.query(`UPDATE ${table} SET ${sets.join(', ')} WHERE id = $1`, params);
}
