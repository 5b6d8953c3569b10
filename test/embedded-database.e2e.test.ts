import { chmod, mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { LEGACY_EMBEDDED_PASSWORD, loadEmbeddedPostgres } from '../server/src/db/embedded.js';
import { freePort, startTessera, type TesseraProcess } from './support/process.js';

const running: TesseraProcess[] = [];
const dataDirs: string[] = [];

afterAll(async () => {
  for (const p of running) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  for (const dir of dataDirs) await rm(dir, { recursive: true, force: true });
});

async function newDataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tessera-embedded-'));
  dataDirs.push(dir);
  return dir;
}

/** The SQLSTATE a connection attempt to the embedded database fails with, or 'connected'. */
async function tryPassword(port: number, password: string): Promise<string> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'tessera', password, database: 'tessera' });
  try {
    await client.connect();
    await client.end();
    return 'connected';
  } catch (error) {
    return String((error as { code?: unknown }).code);
  }
}

describe('the embedded PostgreSQL', () => {
  it('recovers by itself when tessera start was killed with SIGKILL', async () => {
    const dataDir = await newDataDir();
    const first = await startTessera(dataDir, running, { TESSERA_DEMO_DATA: 'false' });
    first.p.child.kill('SIGKILL');
    await first.p.exited();

    // The killed run's PostgreSQL still holds the data directory; the next start stops it and goes on.
    const second = await startTessera(dataDir, running, { TESSERA_DEMO_DATA: 'false' });
    expect((await fetch(`${second.url}/readyz`)).status).toBe(200);
    second.p.child.kill('SIGTERM');
    expect(await second.p.exited(), second.p.output()).toBe(0);
    expect(second.p.output()).not.toMatch(/undefined/);
  }, 240_000);

  it('gets a random password kept 0600, and replaces the old fixed one of an older data directory', async () => {
    const dataDir = await newDataDir();
    // As root, PostgreSQL runs as the postgres user, who must pass through the data directory.
    await chmod(dataDir, 0o711);
    // A data directory as older versions made it: the fixed password "tessera".
    const EmbeddedPostgres = await loadEmbeddedPostgres();
    const old = new EmbeddedPostgres({
      databaseDir: path.join(dataDir, 'postgres'),
      port: await freePort(),
      user: 'tessera',
      password: LEGACY_EMBEDDED_PASSWORD,
      persistent: true,
      createPostgresUser: process.getuid?.() === 0,
      onLog: () => undefined,
    });
    await old.initialise();
    await old.start();
    await old.createDatabase('tessera');
    await old.stop();

    const port = await freePort();
    const started = await startTessera(dataDir, running, {
      TESSERA_DEMO_DATA: 'false',
      TESSERA_EMBEDDED_DB_PORT: String(port),
    });
    expect((await fetch(`${started.url}/readyz`)).status).toBe(200);
    expect(started.p.output()).toMatch(/replaced the embedded PostgreSQL's old fixed password/);
    const kept = await stat(path.join(dataDir, 'postgres-password'));
    expect(kept.mode & 0o777).toBe(0o600);
    expect(await tryPassword(port, LEGACY_EMBEDDED_PASSWORD)).toBe('28P01');
    started.p.child.kill('SIGTERM');
    expect(await started.p.exited(), started.p.output()).toBe(0);

    // The next start uses the kept password without asking for the old one again.
    const again = await startTessera(dataDir, running, { TESSERA_DEMO_DATA: 'false' });
    expect(again.p.output()).not.toMatch(/old fixed password/);
    again.p.child.kill('SIGTERM');
    expect(await again.p.exited(), again.p.output()).toBe(0);
  }, 240_000);
});
