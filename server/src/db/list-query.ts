import type { Queryable } from './database.js';
import type { SqlConditions } from './filters.js';

export interface ListQuery {
  /** Columns; parameters the SELECT list needs are added to the given conditions' fork. */
  readonly select: (q: SqlConditions) => string;
  /** FROM clause including its alias, e.g. `users u`. */
  readonly from: string;
  readonly conditions: SqlConditions;
  readonly orderBy: string;
  readonly page?: { readonly limit: number; readonly offset: number };
}

/** Runs one page of a filtered list and its total count. */
// The row type is the caller's promise about its SELECT list, as with Queryable.query.
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
export async function listPage<Row extends object>(
  db: Queryable,
  q: ListQuery,
): Promise<{ count: number; rows: Row[] }> {
  const where = q.conditions.where();
  const rowsConditions = q.conditions.fork();
  const select = q.select(rowsConditions);
  const paging = q.page ? ` LIMIT ${q.page.limit} OFFSET ${q.page.offset}` : '';
  const [rows, counted] = await Promise.all([
    db.query<Row>(
      `SELECT ${select} FROM ${q.from} ${where} ORDER BY ${q.orderBy}${paging}`,
      rowsConditions.params,
    ),
    q.page
      ? db.query<{ n: number }>(`SELECT count(*) AS n FROM ${q.from} ${where}`, q.conditions.params)
      : undefined,
  ]);
  return { count: counted ? (counted[0]?.n ?? 0) : rows.length, rows };
}
