import { describe, expect, it, vi } from 'vitest';
import { useTestDatabase } from '../../../test/support/database.js';
import { listenForNotices } from './notices.js';

const database = useTestDatabase();

describe('listenForNotices', () => {
  it('delivers committed notices only, and after a lost connection listens again and says so', async () => {
    const heard: string[] = [];
    let resumed = 0;
    const listener = listenForNotices(database.url, 'tessera_test_notices', {
      onNotice: (payload) => heard.push(payload),
      onResume: () => {
        resumed++;
      },
      onError: () => undefined,
    });
    try {
      await listener.listening;
      await database.db
        .transaction(async (tx) => {
          await tx.query("SELECT pg_notify('tessera_test_notices', 'rolled back')");
          throw new Error('roll back');
        })
        .catch(() => undefined);
      await database.db.query("SELECT pg_notify('tessera_test_notices', 'first')");
      await vi.waitFor(() => {
        expect(heard).toEqual(['first']);
      });

      await database.db.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'tessera-notices' AND datname = current_database()",
      );
      await vi.waitFor(
        () => {
          expect(resumed).toBe(1);
        },
        { timeout: 5_000 },
      );
      await database.db.query("SELECT pg_notify('tessera_test_notices', 'second')");
      await vi.waitFor(() => {
        expect(heard).toEqual(['first', 'second']);
      });
    } finally {
      await listener.close();
    }
  });
});
