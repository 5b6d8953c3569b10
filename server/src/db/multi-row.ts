/*
 * Multi-row INSERTs with one parameter per value. `pg` sends a Buffer parameter as binary, but the
 * elements of an array parameter (`unnest($1::bytea[])`) as hex text: twice the bytes, for
 * PostgreSQL to parse. Rows of big values go as `VALUES (...), (...)` in batches instead.
 */

/** Rows per statement at most (PostgreSQL takes at most 65,535 parameters per statement). */
export const BATCH_ROWS = 500;
/** Bytes of parameters per statement at most (a single larger row goes alone). */
export const BATCH_BYTES = 16 * 2 ** 20;

/** Splits `items` into batches of at most BATCH_ROWS rows and BATCH_BYTES of `bytes(item)`. */
export function* byteBatches<T>(items: readonly T[], bytes: (item: T) => number): Generator<T[]> {
  let batch: T[] = [];
  let size = 0;
  for (const item of items) {
    const itemBytes = bytes(item);
    if (batch.length > 0 && (batch.length === BATCH_ROWS || size + itemBytes > BATCH_BYTES)) {
      yield batch;
      batch = [];
      size = 0;
    }
    batch.push(item);
    size += itemBytes;
  }
  if (batch.length > 0) yield batch;
}

/** `($1::t1, $2::t2), ($3::t1, $4::t2), ...`: `rows` rows of these column types. */
export function valuesList(rows: number, types: readonly string[]): string {
  const out: string[] = [];
  for (let r = 0; r < rows; r++) {
    const cells = types.map((type, c) => `$${r * types.length + c + 1}::${type}`);
    out.push(`(${cells.join(', ')})`);
  }
  return out.join(', ');
}
