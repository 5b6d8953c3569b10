import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { annotationsOf, createAnnotation } from '@tessera/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthRepo } from '../server/src/auth/auth.repo.js';
import { AuthService } from '../server/src/auth/auth.service.js';
import { makeFixture, openClient, saved, storedAnnotationIds, type Client } from './support/collab-server.js';
import { useTestDatabase } from './support/database.js';
import { Factories } from './support/factories.js';
import { lacking } from './support/prerequisites.js';
import { startTopology, type Topology } from './support/topology.js';
import { slide, uploadImages } from './support/upload.js';

// The production layout as real processes on loopback (scripts/topology.sh): nginx, Redis, two
// servers, two tilers, on this file's database. The faults run in order on one layout: Redis down,
// a tiler killed, a server killed (the last, since its clients move to the other for good).
const database = useTestDatabase();
let topology: Topology | undefined;
let fx: Awaited<ReturnType<typeof makeFixture>>;
let cookie = '';
const clients: Client[] = [];
let redisAgain: ChildProcess | undefined;

function layout(): Topology {
  if (!topology) throw new Error('the layout did not start');
  return topology;
}

function connect(url: string, name: string): Client {
  const client = openClient(url, name, { cookie });
  clients.push(client);
  return client;
}

/** Writes one annotation and resolves with its id once the server acknowledged it (saved). */
async function writeAcked(client: Client, i: number): Promise<string> {
  const id = createAnnotation(
    client.doc,
    { id: randomUUID(), type: fx.boxType, vector: { x1: i, y1: i, x2: i + 4, y2: i + 4 } },
    { userId: fx.member.id },
  );
  await saved(client, 30_000);
  return id;
}

describe.skipIf(lacking('nginx', 'redis-server'))('production layout: faults', () => {
  beforeAll(async () => {
    topology = await startTopology(database.url, { TESSERA_TILE_CACHE_MB: '0' });
    const factories = new Factories(database.db);
    fx = await makeFixture({ db: database.db, factories });
    const auth = new AuthService(new AuthRepo(database.db), { sessionTtlHours: 24 });
    cookie = (await auth.login(fx.member.username, fx.member.password, { ip: '127.0.0.1', userAgent: null }))
      .sessionToken;
  }, 120_000);

  afterAll(async () => {
    for (const client of clients.splice(0)) client.destroy();
    redisAgain?.kill('SIGKILL');
    await topology?.stop();
  });

  it('Redis down: each server goes on alone, and the servers share again once it is back', async () => {
    const t = layout();
    const name = `image.${fx.image}`;
    const a = connect(`ws://127.0.0.1:${await t.port('server1')}/collab`, name);
    const b = connect(`ws://127.0.0.1:${await t.port('server2')}/collab`, name);
    await Promise.all([saved(a), saved(b)]);
    const before = await writeAcked(a, 1);
    await expect.poll(() => annotationsOf(b.doc).has(before), { message: 'shared before' }).toBe(true);

    await t.signal('redis', 'SIGKILL');
    await expect.poll(() => t.log('server1'), { timeout: 10_000 }).toContain('Redis unreachable');
    // Both servers still accept and store edits (degraded: not shared).
    const [onA, onB] = await Promise.all([writeAcked(a, 2), writeAcked(b, 3)]);
    expect(await storedAnnotationIds(database.db, name)).toEqual(new Set([before, onA, onB]));

    const port = await t.port('redis');
    redisAgain = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    // Once both servers are back on Redis they exchange what the other missed.
    await expect
      .poll(() => annotationsOf(a.doc).has(onB) && annotationsOf(b.doc).has(onA), {
        timeout: 15_000,
        message: 'shared again',
      })
      .toBe(true);
    const after = await writeAcked(b, 4);
    await expect.poll(() => annotationsOf(a.doc).has(after), { message: 'live again' }).toBe(true);
  }, 60_000);

  it('a tiler killed: tiles come from the other, through nginx', async () => {
    const t = layout();
    const basic = {
      authorization: `Basic ${Buffer.from(`${fx.admin.username}:${fx.admin.password}`).toString('base64')}`,
    };
    const upload = await uploadImages(t.url, fx.admin, fx.imageSet, [
      { name: 'boxes.tiff', bytes: await slide('openslide-python-boxes.tiff') },
    ]);
    expect(upload.status).toBe(201);
    const id = upload.body.results[0]?.id;
    const state = async () =>
      (
        (await (await fetch(`${t.url}/api/v1/images/images/${id}/`, { headers: basic })).json()) as {
          state: string;
        }
      ).state;
    await expect.poll(state, { timeout: 30_000, message: 'the upload to be converted' }).toBe('ready');
    const dzi = await (await fetch(`${t.url}/images/image/${id}/1/1/tile/`, { headers: basic })).text();
    const size = Math.max(Number(/Width="(\d+)"/.exec(dzi)?.[1]), Number(/Height="(\d+)"/.exec(dzi)?.[1]));
    const levels = Array.from({ length: Math.ceil(Math.log2(size)) + 1 }, (_, level) => level);
    const tiles = () =>
      Promise.all(
        levels.map(async (level) => {
          const res = await fetch(`${t.url}/images/image/${id}/1/1/tile_files/${level}/0_0.jpeg`, {
            headers: basic,
          });
          await res.arrayBuffer();
          return res.status;
        }),
      );
    expect(await tiles()).toEqual(levels.map(() => 200));
    await t.signal('tiler1', 'SIGKILL');
    // The servers keep no tiles (TESSERA_TILE_CACHE_MB=0): each of these is a tiler request.
    expect(await tiles()).toEqual(levels.map(() => 200));
    expect(await tiles()).toEqual(levels.map(() => 200));
  }, 60_000);

  it('kill -9 of one server while 20 clients edit through nginx: every acknowledged edit survives everywhere', async () => {
    const t = layout();
    const name = `image.${fx.image}`;
    const writers = Array.from({ length: 20 }, () => connect(t.collabUrl, name));
    await Promise.all(writers.map((w) => saved(w, 30_000)));
    const acked: string[] = [];
    let killed = false;
    const killAfter = 3;
    await Promise.all(
      writers.map(async (writer, w) => {
        for (let i = 0; i < 8; i++) {
          acked.push(await writeAcked(writer, w * 100 + i));
          // Once every writer has a few acknowledged edits, server1 dies mid-session.
          if (!killed && acked.length >= writers.length * killAfter) {
            killed = true;
            await t.signal('server1', 'SIGKILL');
          }
        }
      }),
    );
    expect(killed).toBe(true);
    expect(acked).toHaveLength(160);
    const stored = await storedAnnotationIds(database.db, name);
    expect(acked.filter((id) => !stored.has(id))).toEqual([]);
    await expect
      .poll(() => writers.filter((w) => acked.some((id) => !annotationsOf(w.doc).has(id))).length, {
        timeout: 20_000,
        message: 'every client to hold every acknowledged edit',
      })
      .toBe(0);
  }, 120_000);
});
