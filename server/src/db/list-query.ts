import type { Queryable } from './database.js';
import type { SqlConditions } from './filters.js';

export interface ListQuery {
  /** Columns; parameters the SELECT list needs are added to the given conditions' fork. */
  readonly select: (q: SqlConditions) => string;
  /** FROM clause including its alias, e.g. `users u`. */
  readonly from: string;
  readonly conditions: SqlConditions;
  /**
   * An order by one `alias.id` column (unique, ascending) makes the list keyset-pageable: a page that
   * knows the previous page's last id reads after it (an index range) instead of skipping `offset` rows.
   */
  readonly orderBy: string;
  readonly page?: {
    readonly limit: number;
    readonly offset: number;
    readonly after?: number;
    readonly knownCount?: number;
  };
}

/** Runs one page of a filtered list and its total count (unless the page already knows it). */
// The row type is the caller's promise about its SELECT list, as with Queryable.query.
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
export async function listPage<Row extends object>(
  db: Queryable,
  q: ListQuery,
): Promise<{ count: number; rows: Row[] }> {
  const where = q.conditions.where();
  const rowsConditions = q.conditions.fork();
  const select = q.select(rowsConditions);
  const after = /^\w+\.id$/.test(q.orderBy) ? q.page?.after : undefined;
  if (after !== undefined) rowsConditions.add(`${q.orderBy} > ${rowsConditions.param(after)}`);
  const paging = q.page
    ? ` LIMIT ${q.page.limit}${after === undefined ? ` OFFSET ${q.page.offset}` : ''}`
    : '';
  const knownCount = after === undefined ? undefined : q.page?.knownCount;
  const [rows, counted] = await Promise.all([
    db.query<Row>(
      `SELECT ${select} FROM ${q.from} ${rowsConditions.where()} ORDER BY ${q.orderBy}${paging}`,
      rowsConditions.params,
    ),
    q.page && knownCount === undefined
      ? db.query<{ n: number }>(`SELECT count(*) AS n FROM ${q.from} ${where}`, q.conditions.params)
      : undefined,
  ]);
  return { count: knownCount ?? (counted ? (counted[0]?.n ?? 0) : rows.length), rows };
}
