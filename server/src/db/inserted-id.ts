/**
 * The id an `INSERT ... RETURNING id` wrote. No row means the statement inserted nothing, a fault to
 * surface: a made-up id would point later writes at no row, or at another one.
 */
export function insertedId(rows: readonly { readonly id: number }[]): number {
  const row = rows[0];
  if (row === undefined) throw new Error('INSERT ... RETURNING id returned no row');
  return row.id;
}
