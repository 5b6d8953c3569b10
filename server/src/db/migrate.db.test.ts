import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { withDatabase } from '../../../test/support/global-setup.js';
import { Database } from './database.js';
import { migrate, readMigrations } from './migrate.js';

const admin = () => new pg.Client({ connectionString: inject('adminDatabaseUrl') });
const created: string[] = [];

async function emptyDatabase(): Promise<Database> {
  const name = `tessera_m_${randomBytes(5).toString('hex')}`;
  const client = admin();
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  created.push(name);
  return new Database(withDatabase(inject('adminDatabaseUrl'), name), { max: 2 });
}

afterAll(async () => {
  const client = admin();
  await client.connect();
  for (const name of created) await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await client.end();
});

describe('migrations', () => {
  it('apply to an empty database, once, and in number order', async () => {
    const db = await emptyDatabase();
    try {
      const all = await readMigrations();
      expect(all.map((m) => m.version)).toEqual(all.map((_, i) => i + 1));
      expect(await migrate(db)).toEqual(all.map((m) => m.version));
      expect(await migrate(db)).toEqual([]);
      const tables = await db.query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
      );
      expect(tables.map((t) => t.table_name)).toEqual(
        expect.arrayContaining([
          'users',
          'teams',
          'team_memberships',
          'image_sets',
          'products',
          'annotation_types',
        ]),
      );
    } finally {
      await db.close();
    }
  });

  it('refuse to run when an applied migration was edited afterwards', async () => {
    const db = await emptyDatabase();
    try {
      const all = await readMigrations();
      await migrate(db);
      const edited = all.map((m, i) => (i === 0 ? { ...m, checksum: 'edited' } : m));
      await expect(migrate(db, edited)).rejects.toThrow(/was edited after it was applied/);
    } finally {
      await db.close();
    }
  });

  it('two processes migrating at once apply each migration exactly once', async () => {
    const db = await emptyDatabase();
    const other = new Database(db.url, { max: 2 });
    try {
      const [a, b] = await Promise.all([migrate(db), migrate(other)]);
      const all = await readMigrations();
      expect([...a, ...b].sort((x, y) => x - y)).toEqual(all.map((m) => m.version));
    } finally {
      await other.close();
      await db.close();
    }
  });

  it('enforce the schema rules in the database too', async () => {
    const db = await emptyDatabase();
    try {
      await migrate(db);
      await expect(db.query("INSERT INTO users (username) VALUES ('has space')")).rejects.toMatchObject({
        code: '23514',
      });
      await db.query("INSERT INTO users (username) VALUES ('Alice')");
      await expect(db.query("INSERT INTO users (username) VALUES ('alice')")).rejects.toMatchObject({
        code: '23505',
      });
    } finally {
      await db.close();
    }
  });
});
