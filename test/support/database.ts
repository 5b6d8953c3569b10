import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import { Database } from '../../server/src/db/database.js';
import { withDatabase } from './global-setup.js';

export interface TestDatabase {
  /** The pool of this file's database (valid inside tests). */
  readonly db: Database;
  readonly url: string;
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Gives the calling test file its own migrated database, dropped after the file's tests. */
export function useTestDatabase(): TestDatabase {
  const name = `tessera_t_${randomBytes(6).toString('hex')}`;
  let db: Database | undefined;
  let url = '';
  beforeAll(async () => {
    // Two files cloning the template at the same instant can collide (55006); retry briefly.
    for (let attempt = 0; ; attempt++) {
      try {
        await adminQuery(`CREATE DATABASE ${name} TEMPLATE ${inject('templateDatabase')}`);
        break;
      } catch (error) {
        if ((error as { code?: string }).code !== '55006' || attempt > 20) throw error;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
    url = withDatabase(inject('adminDatabaseUrl'), name);
    db = new Database(url, { max: 5 });
  });
  afterAll(async () => {
    await db?.close();
    await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
  return {
    get db() {
      if (!db) throw new Error('useTestDatabase(): the database exists only inside tests');
      return db;
    },
    get url() {
      return url;
    },
  };
}
