import type { Readable } from 'node:stream';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';

// Timestamps stay as PostgreSQL's text (microsecond precision, UTC session) and are formatted for the
// API by the presenters; JavaScript Dates would drop the microseconds EXACT's clients round-trip.
pg.types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, (value) => value);
pg.types.setTypeParser(pg.types.builtins.TIMESTAMP, (value) => value);
// bigint counts (count(*)) fit comfortably in a double for our sizes.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export type SqlValue = string | number | boolean | null | Date | Buffer | readonly SqlValue[] | object;

/** Anything that runs SQL: the pool or a transaction's client. */
export interface Queryable {
  query<Row extends object>(sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
}

class ClientQueryable implements Queryable {
  constructor(private readonly client: pg.PoolClient) {}

  async query<Row extends object>(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
    const result = await this.client.query<Row>(sql, params as unknown[]);
    return result.rows;
  }
}

/** The one owner of the `pg` pool: queries, transactions and shutdown. */
export class Database implements Queryable {
  private readonly pool: pg.Pool;

  constructor(
    readonly url: string,
    options: { max?: number; applicationName?: string } = {},
  ) {
    this.pool = new pg.Pool({
      connectionString: url,
      max: options.max ?? 10,
      application_name: options.applicationName ?? 'tessera',
      options: '-c TimeZone=UTC',
    });
    // An idle client that loses its server must not crash the process; the next query reconnects.
    this.pool.on('error', () => undefined);
  }

  async query<Row extends object>(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
    const result = await this.pool.query<Row>(sql, params as unknown[]);
    return result.rows;
  }

  /** Runs `work` in one transaction, rolled back if it throws. */
  async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(new ClientQueryable(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Runs `work` on one dedicated connection (session-level locks, LISTEN). */
  async withConnection<T>(work: (conn: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      return await work(new ClientQueryable(client));
    } finally {
      client.release();
    }
  }

  /**
   * Streams `COPY (...) TO STDOUT` on a connection of its own: `consume` reads the data. A COPY cannot
   * be stopped halfway, so a connection whose data was not read to the end (the reader threw or
   * stopped) is closed rather than returned to the pool.
   */
  async copyOut<T>(sql: string, consume: (data: Readable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let whole = false;
    try {
      const data = client.query(copyTo(sql));
      const result = await consume(data);
      whole = data.readableEnded;
      if (!whole) data.destroy();
      return result;
    } finally {
      client.release(!whole);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
