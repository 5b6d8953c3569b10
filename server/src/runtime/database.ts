import type { Config } from '../config/config.js';
import { Database } from '../db/database.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../db/embedded.js';
import { migrate } from '../db/migrate.js';
import type { Logger } from '../logging/logger.js';
import { keptSecret } from './kept-secret.js';

export interface OpenDatabase {
  readonly db: Database;
  readonly embedded: EmbeddedDatabase | undefined;
  close(): Promise<void>;
}

/** Connects to DATABASE_URL or starts the embedded PostgreSQL, then applies pending migrations. */
export async function openDatabase(config: Config, logger: Logger): Promise<OpenDatabase> {
  const embedded =
    config.databaseUrl === undefined
      ? await startEmbeddedPostgres(
          config.dataDir,
          config.embeddedDbPort,
          await keptSecret(config.dataDir, 'postgres-password'),
          logger,
        )
      : undefined;
  const db = new Database(config.databaseUrl ?? embedded?.url ?? '');
  try {
    const applied = await migrate(db);
    if (applied.length > 0) logger.info({ applied }, 'database migrations applied');
  } catch (error) {
    await db.close();
    await embedded?.stop();
    throw error;
  }
  return {
    db,
    embedded,
    async close() {
      await db.close();
      await embedded?.stop();
    },
  };
}
