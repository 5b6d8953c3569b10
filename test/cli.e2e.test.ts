import { describe, expect, inject, it } from 'vitest';
import { useTestDatabase } from './support/database.js';
import { runCli } from './support/process.js';

const database = useTestDatabase();

describe('tessera CLI against an external database', () => {
  it('migrates, creates users and tokens that then authenticate', async () => {
    expect(inject('adminDatabaseUrl')).toBeTruthy();
    const env = { DATABASE_URL: database.url, TESSERA_LOG_LEVEL: 'warn' };
    const migrate = runCli(['migrate'], env);
    expect(await migrate.exited()).toBe(0);
    expect(migrate.output()).toContain('Database is up to date.');

    const user = runCli(['user', 'create', 'cli-reader', '--email', 'r@example.org'], env);
    expect(await user.exited()).toBe(0);
    expect(user.output()).toMatch(/Created user cli-reader \(id \d+\)/);
    expect(user.output()).toMatch(/Password \(shown once\): \S{12,}/);

    const dup = runCli(['user', 'create', 'cli-reader'], env);
    expect(await dup.exited()).toBe(1);

    const token = runCli(['token', 'create', 'cli-reader', '--name', 'notebook', '--expires-days', '7'], env);
    expect(await token.exited()).toBe(0);
    expect(token.output().trim()).toMatch(/^pat_[a-z0-9]{12}\.[A-Za-z0-9_-]{43}$/);
    const rows = await database.db.query<{ name: string; days: number }>(
      `SELECT name, round(extract(epoch FROM expires_at - created_at) / 86400)::int AS days
       FROM personal_access_tokens`,
    );
    expect(rows).toEqual([{ name: 'notebook', days: 7 }]);

    const usage = runCli(['token', 'create'], env);
    expect(await usage.exited()).toBe(2);

    const rebuild = runCli(['projection', 'rebuild'], env);
    expect(await rebuild.exited()).toBe(0);
    expect(rebuild.output()).toContain('Rebuilt 0 annotations of 0 documents.');
  });
});
