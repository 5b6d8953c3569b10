import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { annotationsOf, createAnnotation, documentProblems } from '@tessera/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { makeFixture, saved, sessionOf, useCollabServer } from '../../../test/support/collab-server.js';

const dist = fileURLToPath(new URL('../../dist/', import.meta.url));

// A collaboration server in its own process, from the built code (npm test builds first).
const serverScript = `
import http from 'node:http';
const dist = process.env.TESSERA_DIST;
const { Database } = await import(dist + 'db/database.js');
const { AuthRepo } = await import(dist + 'auth/auth.repo.js');
const { AuthService } = await import(dist + 'auth/auth.service.js');
const { createLogger } = await import(dist + 'logging/logger.js');
const { attachCollaboration } = await import(dist + 'collab/collab.server.js');
const db = new Database(process.env.DATABASE_URL, { max: 5 });
const auth = new AuthService(new AuthRepo(db), { sessionTtlHours: 24 });
const server = http.createServer((req, res) => res.writeHead(404).end());
attachCollaboration(server, { db, auth, logger: createLogger('silent') });
server.listen(0, '127.0.0.1', () => console.log('PORT ' + server.address().port));
`;

function startServerProcess(databaseUrl: string): Promise<{ child: ChildProcess; port: number }> {
  if (!existsSync(`${dist}collab/collab.server.js`)) {
    throw new Error(`${dist} has no collab build: run npm run build first (npm test does)`);
  }
  const child = spawn(process.execPath, ['--input-type=module', '-e', serverScript], {
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl, TESSERA_DIST: dist },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /PORT (\d+)/.exec(output);
      if (match?.[1] !== undefined) resolve({ child, port: Number(match[1]) });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      reject(new Error(`server process exited (${code}): ${output}`));
    });
  });
}

const children: ChildProcess[] = [];
const h = useCollabServer();

afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

describe('crash safety', () => {
  it('[P1] after SIGKILL, every update the server acknowledged is loaded by the next server', async () => {
    const fx = await makeFixture(h);
    const name = `image.${fx.image}`;
    const cookie = await sessionOf(h, fx.member);
    const { child, port } = await startServerProcess(h.databaseUrl);
    const client = h.connect(name, { cookie }, `ws://127.0.0.1:${port}/collab`);
    await saved(client);

    // Each change is one update message; the server acknowledges them in order, one each.
    const sent: string[] = [];
    let acked = 0;
    let ackedAtKill = -1;
    let previous = 0;
    client.provider.on('unsyncedChanges', ({ number }: { number: number }) => {
      if (number < previous) acked += previous - number;
      previous = number;
      if (acked >= 25 && ackedAtKill < 0) {
        ackedAtKill = acked;
        child.kill('SIGKILL');
      }
    });
    for (let i = 0; i < 200 && ackedAtKill < 0; i++) {
      const vector = { x1: i, y1: i, x2: i + 3, y2: i + 3 };
      sent.push(
        createAnnotation(
          client.doc,
          { id: randomUUID(), type: fx.boxType, vector },
          { userId: fx.member.id },
        ),
      );
      await new Promise((resolve) => setImmediate(resolve));
    }
    await expect.poll(() => ackedAtKill >= 0, { message: 'the kill' }).toBe(true);
    client.destroy();

    const fresh = h.connect(name, { cookie: await sessionOf(h, fx.admin) });
    await saved(fresh);
    const loaded = annotationsOf(fresh.doc);
    expect(ackedAtKill).toBeGreaterThanOrEqual(25);
    for (const id of sent.slice(0, ackedAtKill)) expect(loaded.has(id), id).toBe(true);
    expect(documentProblems(fresh.doc, new Map([[fx.boxType, { vectorType: 1 }]]))).toEqual([]);
  });
});
