/*
 * PostgreSQL's binary COPY format (postgresql.org/docs/current/sql-copy.html, "Binary Format"): an
 * 11-byte signature, flags and a header extension, then per tuple a 16-bit field count and per field
 * a 32-bit length (-1 for NULL) and its bytes, then -1 as the trailer. Nothing is escaped, so a reader
 * takes fields straight from the bytes: no text per row, no objects per row.
 */

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/**
 * Called per tuple with the bytes holding it and each field's [start, end) in `fields` (start -1:
 * NULL). Both are reused for the next tuple: read what you need before returning.
 */
export type TupleHandler = (bytes: Buffer, fields: Int32Array) => void;

/** Splits a binary COPY stream, chunk by chunk, into tuples (a tuple may span chunks). */
export class BinaryCopyReader {
  private carry: Buffer | undefined;
  private headerRead = false;
  private finished = false;
  private readonly fields: Int32Array;

  constructor(
    private readonly columns: number,
    private readonly onTuple: TupleHandler,
  ) {
    this.fields = new Int32Array(columns * 2);
  }

  /** Reads the tuples a chunk completes; an incomplete one waits for the next chunk. */
  push(chunk: Buffer): void {
    const bytes = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = undefined;
    let at = 0;
    if (!this.headerRead) {
      if (bytes.length < SIGNATURE.length + 8) {
        this.carry = bytes;
        return;
      }
      if (!bytes.subarray(0, SIGNATURE.length).equals(SIGNATURE))
        throw new Error('COPY: not binary COPY data');
      const extension = bytes.readUInt32BE(SIGNATURE.length + 4);
      at = SIGNATURE.length + 8 + extension;
      this.headerRead = true;
    }
    const fields = this.fields;
    while (!this.finished && at + 2 <= bytes.length) {
      const count = bytes.readInt16BE(at);
      if (count === -1) {
        this.finished = true;
        at += 2;
        break;
      }
      if (count !== this.columns)
        throw new Error(`COPY: a tuple of ${count} fields, ${this.columns} expected`);
      let next = at + 2;
      let whole = true;
      for (let f = 0; f < count; f++) {
        if (next + 4 > bytes.length) {
          whole = false;
          break;
        }
        const length = bytes.readInt32BE(next);
        next += 4;
        if (length < 0) {
          fields[2 * f] = -1;
          fields[2 * f + 1] = -1;
          continue;
        }
        if (next + length > bytes.length) {
          whole = false;
          break;
        }
        fields[2 * f] = next;
        fields[2 * f + 1] = next + length;
        next += length;
      }
      if (!whole) break;
      this.onTuple(bytes, fields);
      at = next;
    }
    if (at < bytes.length && !this.finished) this.carry = Buffer.from(bytes.subarray(at));
  }

  /** Checks that the stream ended with its trailer (not cut off). */
  end(): void {
    if (!this.finished) throw new Error('COPY: the data ended before its trailer');
  }
}

/** A signed 64-bit integer field as a number (exact below 2^53: ids and counts). */
export function int64At(bytes: Buffer, at: number): number {
  return bytes.readInt32BE(at) * 2 ** 32 + bytes.readUInt32BE(at + 4);
}

/** An integer for a COPY statement, which takes no bind parameters: refused unless a safe integer. */
export function sqlInteger(value: number): string {
  if (!Number.isSafeInteger(value)) throw new Error(`not an integer for SQL: ${value}`);
  return String(value);
}

/** An integer array literal for a COPY statement (`ARRAY[1,2]::int[]`). */
export function sqlIntegers(values: readonly number[]): string {
  return `ARRAY[${values.map(sqlInteger).join(',')}]::int[]`;
}
