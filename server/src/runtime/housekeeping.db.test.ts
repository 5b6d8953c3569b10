import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/support/database.js';
import { Factories } from '../../../test/support/factories.js';
import { createLogger } from '../logging/logger.js';
import { startHousekeeping } from './housekeeping.js';

const database = useTestDatabase();

describe('housekeeping', () => {
  it('removes expired sessions and stale failure counts, keeping live ones', async () => {
    const db = database.db;
    const user = await new Factories(db).user();
    await db.query(
      `INSERT INTO sessions (id, user_id, csrf_token, expires_at) VALUES
        ('\\x01', $1, 'a', now() - interval '1 minute'), ('\\x02', $1, 'b', now() + interval '1 hour')`,
      [user.id],
    );
    await db.query(
      `INSERT INTO login_throttle (key, window_start, failures) VALUES
        ('user:old', now() - interval '2 days', 3), ('user:new', now(), 1)`,
    );
    const stop = startHousekeeping(db, createLogger('silent'));
    try {
      const left = async () =>
        (
          await db.query<{ n: number }>(
            'SELECT (SELECT count(*) FROM sessions) + (SELECT count(*) FROM login_throttle) AS n',
          )
        )[0]?.n;
      await expect.poll(left).toBe(2);
      const sessions = await db.query<{ csrf_token: string }>('SELECT csrf_token FROM sessions');
      expect(sessions).toEqual([{ csrf_token: 'b' }]);
      const throttles = await db.query<{ key: string }>('SELECT key FROM login_throttle');
      expect(throttles).toEqual([{ key: 'user:new' }]);
    } finally {
      await stop();
    }
  });
});
