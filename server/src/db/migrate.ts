import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Database, Queryable } from './database.js';

/** The folder of numbered, forward-only SQL migrations (server/migrations). */
export const migrationsDir = fileURLToPath(new URL('../../migrations/', import.meta.url));

// Any constant works; it only has to be the same for every Tessera process sharing a database.
const MIGRATION_LOCK_ID = 7_412_093;

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
  readonly checksum: string;
}

/** Reads `NNNN_name.sql` files in order, refusing gaps and duplicate numbers. */
export async function readMigrations(dir = migrationsDir): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(file);
    if (!match) throw new Error(`Migration file name must look like 0001_name.sql: ${file}`);
    const version = Number(match[1]);
    const expected = migrations.length + 1;
    if (version !== expected) throw new Error(`Migration ${file} should be number ${expected}`);
    const sql = await readFile(`${dir}/${file}`, 'utf8');
    migrations.push({
      version,
      name: match[2] ?? file,
      sql,
      checksum: createHash('sha256').update(sql).digest('hex'),
    });
  }
  return migrations;
}

interface AppliedRow {
  version: number;
  checksum: string;
}

/** Applies pending migrations under an advisory lock; returns the versions it applied. */
export async function migrate(db: Database, migrations?: Migration[]): Promise<number[]> {
  const all = migrations ?? (await readMigrations());
  return db.withConnection(async (conn) => {
    await conn.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    try {
      await conn.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        checksum text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now())`);
      const applied = await conn.query<AppliedRow>('SELECT version, checksum FROM schema_migrations');
      verifyApplied(all, applied);
      const done = new Set(applied.map((r) => r.version));
      const ran: number[] = [];
      for (const m of all) {
        if (done.has(m.version)) continue;
        await applyOne(conn, m);
        ran.push(m.version);
      }
      return ran;
    } finally {
      await conn.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]);
    }
  });
}

function verifyApplied(all: readonly Migration[], applied: readonly AppliedRow[]): void {
  const byVersion = new Map(all.map((m) => [m.version, m]));
  for (const row of applied) {
    const m = byVersion.get(row.version);
    if (!m) {
      throw new Error(`Database has migration ${row.version}, which this Tessera does not know: newer code?`);
    }
    if (m.checksum !== row.checksum) {
      throw new Error(`Migration ${row.version} (${m.name}) was edited after it was applied; add a new one`);
    }
  }
}

async function applyOne(conn: Queryable, m: Migration): Promise<void> {
  await conn.query('BEGIN');
  try {
    await conn.query(m.sql);
    await conn.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
      m.version,
      m.name,
      m.checksum,
    ]);
    await conn.query('COMMIT');
  } catch (error) {
    await conn.query('ROLLBACK');
    throw new Error(`Migration ${m.version} (${m.name}) failed: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
