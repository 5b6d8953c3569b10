// The benches' Tessera: `tessera start` from server/dist as a separate process on its own database,
// with a known admin; resolves with the child and its base URL once the URL is printed.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import pg from 'pg';
import WebSocket from 'ws';
import * as Y from 'yjs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));

/** A slide by file name: the test fixtures, else the demo's scans in the server's assets. */
export function slideFile(name) {
  const fixture = path.join(root, 'test/fixtures/slides', name);
  return existsSync(fixture) ? fixture : path.join(root, 'server/assets/slides', name);
}

/** The PostgreSQL server the benches make their databases on. */
export const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Runs one statement on `url` (default: the admin database) over a connection of its own. */
export async function sql(text, params, url = adminUrl) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text, params);
  } finally {
    await client.end();
  }
}

/** The address of database `name` on the benches' server. */
export function databaseUrl(name) {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The value below which a fraction `p` of `values` lies. */
export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

/** The resident memory of a process (RSS), in MB. */
export async function rssMb(pid) {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/**
 * The JavaScript heap a process uses after a full garbage collection, in MB, read over the inspector
 * protocol: SIGUSR1 opens Node's inspector on 127.0.0.1:`port` (9229 unless the process was started
 * with --inspect-port; a no-op once open), then HeapProfiler.collectGarbage and Runtime.getHeapUsage.
 * What the heap holds, not what the allocator kept (RSS).
 */
export async function heapUsedMb(pid, port = 9229) {
  process.kill(pid, 'SIGUSR1');
  let target;
  for (let i = 0; i < 100 && target === undefined; i++) {
    try {
      const list = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
      target = list[0]?.webSocketDebuggerUrl;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  if (target === undefined) throw new Error(`the inspector of process ${pid} did not open`);
  const socket = new WebSocket(target);
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  let nextId = 0;
  const call = (method) =>
    new Promise((resolve, reject) => {
      const id = ++nextId;
      const onMessage = (data) => {
        const message = JSON.parse(String(data));
        if (message.id !== id) return;
        socket.off('message', onMessage);
        if (message.error) reject(new Error(`${method}: ${message.error.message}`));
        else resolve(message.result);
      };
      socket.on('message', onMessage);
      socket.send(JSON.stringify({ id, method }));
    });
  try {
    await call('HeapProfiler.collectGarbage');
    const usage = await call('Runtime.getHeapUsage');
    return usage.usedSize / 1024 / 1024;
  } finally {
    socket.close();
  }
}

/** The admin every bench signs in as. */
export const ADMIN = { username: 'bench', password: 'bench-password-1' };
export const basicAuth = `Basic ${Buffer.from(`${ADMIN.username}:${ADMIN.password}`).toString('base64')}`;

/**
 * Starts the server; `env` adds to (or overrides) the settings every bench uses, `nodeArgs` go to its
 * node (`--cpu-prof`, which NODE_OPTIONS does not take).
 */
export function startTessera({ databaseUrl, dataDir, env = {}, nodeArgs = [] }) {
  const child = spawn(process.execPath, [...nodeArgs, path.join(root, 'server/dist/cli/main.js'), 'start'], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATABASE_URL: databaseUrl,
      TESSERA_DATA_DIR: dataDir,
      TESSERA_ADMIN_USERNAME: ADMIN.username,
      TESSERA_ADMIN_PASSWORD: ADMIN.password,
      TESSERA_LOG_LEVEL: 'error',
      PORT: '0',
      HOST: '127.0.0.1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /running at (http:\/\/\S+)\//.exec(out);
      if (m) resolve({ child, baseUrl: m[1] });
    });
    child.on('exit', () => reject(new Error(`server exited:\n${out}`)));
  });
}

/** A JSON call to the REST API as the bench admin; throws with the answer on anything but 2xx. */
export async function api(baseUrl, method, route, body) {
  const res = await fetch(`${baseUrl}/api/v1${route}`, {
    method,
    headers: { authorization: basicAuth, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Waits until image `id` is ready (polled every 0.1 s), at most `seconds`; a failed image throws. */
export async function untilReady(baseUrl, id, seconds) {
  for (let i = 0; ; i++) {
    const state = (await api(baseUrl, 'GET', `/images/images/${id}/`)).state;
    if (state === 'ready') return;
    if (state === 'failed' || i > seconds * 10) throw new Error(`the slide did not become ready (${state})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * What most benches start from: a team, an image set, a product with one box type ("Cell"), the
 * admin's token and user id, and, when `slide` names one of the test or demo slides, that slide
 * uploaded (and waited for until ready when `ready` is set).
 */
export async function benchScene(baseUrl, { slide, ready = false } = {}) {
  const team = await api(baseUrl, 'POST', '/users/teams/', { name: 'Bench' });
  const set = await api(baseUrl, 'POST', '/images/image_sets/', { name: 'Bench', team: team.id });
  const product = await api(baseUrl, 'POST', '/administration/products/', {
    name: 'Bench',
    team: team.id,
    imagesets: [set.id],
  });
  const type = await api(baseUrl, 'POST', '/annotations/annotation_types/', {
    name: 'Cell',
    product: product.id,
  });
  const token = await api(baseUrl, 'POST', '/users/tokens/', { name: 'bench' });
  const me = await api(baseUrl, 'GET', '/auth/session/');
  const scene = { team, set, type, token: token.token, userId: me.user.id };
  if (slide === undefined) return scene;
  const bytes = await readFile(slideFile(slide));
  const image = await uploadImage(baseUrl, set.id, bytes, 'bench.svs');
  if (ready) await untilReady(baseUrl, image.id, 60);
  return { ...scene, image, bytes };
}

/** Uploads `bytes` as a file named `name` into image set `setId` as the bench admin; the new image. */
export async function uploadImage(baseUrl, setId, bytes, name) {
  const form = new FormData();
  form.set('image_set', String(setId));
  form.append('file', new Blob([bytes]), name);
  const upload = await fetch(`${baseUrl}/api/v1/images/images/`, {
    method: 'POST',
    headers: { authorization: basicAuth },
    body: form,
  });
  if (!upload.ok) throw new Error(`upload: ${upload.status} ${await upload.text()}`);
  return (await upload.json()).results[0];
}

/**
 * Stops a server started by `startTessera` with SIGTERM and waits for it; one that has not stopped
 * after 60 s is killed and reported (a bug to look into, not a reason for the bench to hang).
 */
export async function stopTessera(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', () => r(true)));
  child.kill('SIGTERM');
  const stopped = await Promise.race([exited, new Promise((r) => setTimeout(() => r(false), 60_000))]);
  if (stopped) return;
  console.error('the server did not stop within 60 s of SIGTERM; killed');
  child.kill('SIGKILL');
  await exited;
}

/** A live client of document `name` over a real WebSocket; resolves once synced, with the time it took. */
export async function connectLive(baseUrl, name, token, doc = new Y.Doc()) {
  const socket = new HocuspocusProviderWebsocket({
    url: `${baseUrl.replace('http', 'ws')}/collab`,
    WebSocketPolyfill: WebSocket,
  });
  const provider = new HocuspocusProvider({ websocketProvider: socket, name, document: doc, token });
  provider.attach();
  const started = performance.now();
  await new Promise((resolve) => provider.on('synced', resolve));
  return { doc, provider, socket, syncMs: performance.now() - started };
}
