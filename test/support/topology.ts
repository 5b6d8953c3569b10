import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './process.js';

const script = fileURLToPath(new URL('../../scripts/topology.sh', import.meta.url));

/** The production layout as local processes (scripts/topology.sh): nginx, Redis, servers, tilers. */
export interface Topology {
  /** nginx's front, e.g. http://127.0.0.1:PORT */
  readonly url: string;
  /** The live documents' WebSocket through nginx. */
  readonly collabUrl: string;
  /** The run directory (logs/, pids/, ports/). */
  readonly dir: string;
  /** The port of one process: `server1`, `tiler2`, `redis`, `nginx`, `tilers` (nginx's tiler front). */
  port(name: string): Promise<number>;
  /** Signals one process (SIGKILL: it dies as in a crash). */
  signal(name: string, signal: NodeJS.Signals): Promise<void>;
  /** A process's log so far. */
  log(name: string): Promise<string>;
  /** Stops every process and removes the run directory. */
  stop(): Promise<void>;
}

/** Starts the layout on `databaseUrl` (migrated by the script) and resolves once every process answers. */
export async function startTopology(
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<Topology> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tessera-topology-'));
  const front = await freePort();
  const child = spawn('bash', [script, dir], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      DATABASE_URL: databaseUrl,
      TOPOLOGY_PORT: String(front),
      TESSERA_LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: stopping it stops every process it started.
    detached: true,
  });
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    const collect = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('topology ready')) resolve();
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('exit', () => {
      reject(new Error(`topology.sh exited:\n${output}`));
    });
  });
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      resolve();
    }),
  );
  const stop = async () => {
    try {
      process.kill(-(child.pid ?? 0), 'SIGTERM');
    } catch {
      // already gone
    }
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    try {
      process.kill(-(child.pid ?? 0), 'SIGKILL');
    } catch {
      // stopped
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await ready;
  } catch (error) {
    await stop();
    throw error;
  }
  const read = async (kind: string, name: string) =>
    (await readFile(path.join(dir, kind, name), 'utf8')).trim();
  return {
    url: `http://127.0.0.1:${front}`,
    collabUrl: `ws://127.0.0.1:${front}/collab`,
    dir,
    port: async (name) => Number(await read('ports', name)),
    signal: async (name, signal) => {
      process.kill(Number(await read('pids', name)), signal);
    },
    log: (name) => readFile(path.join(dir, 'logs', `${name}.log`), 'utf8'),
    stop,
  };
}
