// bench/scaleout: the production layout (scripts/topology.sh: nginx, Redis, two servers, two tilers)
// under 200 live clients plus REST and tile traffic at once.
//
//   npm run build && node bench/scaleout/run.js
//
// 10 images, 20 live clients each (2 of them writing, BENCH_RATE edits/s each, default 2), in worker
// threads. Two phases on the same layout, the same load: every client on server 1 (the single-server
// reference), then the clients of each image split between the two servers. Meanwhile REST lists of
// annotations and tiles (the servers' tile memory off, so every tile comes from a tiler) run through
// nginx. Edit-to-remote is the time from a writer's change to its arrival at another client;
// "across servers" counts only clients of the other server. Recorded in docs/benchmarks.md.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { recordBenchmark } from '../record.js';
import { ADMIN, api, basicAuth, benchScene, databaseUrl, percentile, sql } from '../server.js';
import { dziGeometry, loadAverage } from '../tiles/support.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const IMAGES = 10;
const PER_IMAGE = 20;
const WRITERS_PER_IMAGE = 2;
const THREADS = 4;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const RATE = Number(process.env.BENCH_RATE ?? 2);

async function startLayout(dbUrl, dir) {
  const front = 18000 + Math.floor(Math.random() * 2000);
  const child = spawn('bash', [path.join(root, 'scripts/topology.sh'), dir], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATABASE_URL: dbUrl,
      TOPOLOGY_PORT: String(front),
      TESSERA_ADMIN_USERNAME: ADMIN.username,
      TESSERA_ADMIN_PASSWORD: ADMIN.password,
      TESSERA_LOG_LEVEL: 'error',
      TESSERA_TILE_CACHE_MB: '0',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('topology ready')) resolve();
    });
    child.once('exit', () => reject(new Error(`topology.sh exited:\n${out}`)));
  });
  const port = async (name) => Number((await readFile(path.join(dir, 'ports', name), 'utf8')).trim());
  return { child, baseUrl: `http://127.0.0.1:${front}`, port };
}

/** Runs `fn` `concurrency` at a time until `stop.done`; answers latencies and errors. */
async function traffic(concurrency, stop, fn) {
  const ms = [];
  let errors = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (!stop.done) {
        const started = performance.now();
        try {
          const res = await fn();
          await res.arrayBuffer();
          if (res.ok) ms.push(performance.now() - started);
          else errors++;
        } catch {
          errors++;
        }
      }
    }),
  );
  return { count: ms.length, errors, p50: percentile(ms, 0.5), p99: percentile(ms, 0.99) };
}

async function phase(label, layout, scene, images, split) {
  const urls = [1, 2].map(() => '');
  urls[0] = `ws://127.0.0.1:${await layout.port('server1')}/collab`;
  urls[1] = `ws://127.0.0.1:${await layout.port('server2')}/collab`;
  const specs = [];
  for (const image of images) {
    for (let i = 0; i < PER_IMAGE; i++) {
      specs.push({ image, server: split ? i % 2 : 0, writer: i < WRITERS_PER_IMAGE });
    }
  }
  const workers = Array.from({ length: THREADS }, (_, t) => {
    const clients = specs.filter((_, i) => i % THREADS === t);
    return new Worker(new URL('./clients.js', import.meta.url), {
      workerData: {
        urls,
        token: scene.token,
        type: scene.type.id,
        userId: scene.userId,
        clients,
        rateHz: RATE,
      },
    });
  });
  await Promise.all(
    workers.map(
      (w) =>
        new Promise((resolve, reject) => {
          w.once('message', resolve);
          w.once('error', reject);
        }),
    ),
  );
  const geometry = await dziGeometry(layout.baseUrl, scene.image.id, { authorization: basicAuth });
  const level = Math.ceil(Math.log2(Math.max(geometry.width, geometry.height)));
  const cols = Math.ceil(geometry.width / geometry.tileSize);
  const rows = Math.ceil(geometry.height / geometry.tileSize);
  const stop = { done: false };
  const loadBefore = loadAverage();
  for (const w of workers) w.postMessage('write');
  const rest = traffic(2, stop, () => {
    const image = images[Math.floor(Math.random() * images.length)];
    return fetch(`${layout.baseUrl}/api/v1/annotations/annotations/?image=${image}&limit=100`, {
      headers: { authorization: basicAuth },
    });
  });
  const tiles = traffic(2, stop, () => {
    const c = Math.floor(Math.random() * cols);
    const r = Math.floor(Math.random() * rows);
    return fetch(`${layout.baseUrl}/images/image/${scene.image.id}/1/1/tile_files/${level}/${c}_${r}.jpeg`, {
      headers: { authorization: basicAuth },
    });
  });
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  stop.done = true;
  const results = await Promise.all(
    workers.map(
      (w) =>
        new Promise((resolve) => {
          w.once('message', resolve);
          w.postMessage('stop');
        }),
    ),
  );
  await Promise.all(workers.map((w) => w.terminate()));
  const cross = results.flatMap((r) => r.samples.cross);
  const same = results.flatMap((r) => r.samples.same);
  const summary = {
    label,
    cross: { n: cross.length, p50: percentile(cross, 0.5), p99: percentile(cross, 0.99) },
    same: { n: same.length, p50: percentile(same, 0.5), p99: percentile(same, 0.99) },
    disconnects: results.reduce((n, r) => n + r.disconnects, 0),
    rest: await rest,
    tiles: await tiles,
    load: `${loadBefore} before, ${loadAverage()} after`,
  };
  console.log(JSON.stringify(summary));
  return summary;
}

const database = `tessera_bench_scaleout_${Date.now()}`;
await sql(`CREATE DATABASE ${database}`);
const dir = await mkdtemp(path.join(os.tmpdir(), 'tessera-bench-scaleout-'));
let layout;
try {
  layout = await startLayout(databaseUrl(database), dir);
  const scene = await benchScene(layout.baseUrl, { slide: 'openslide-python-small.svs', ready: true });
  const images = [scene.image.id];
  for (let i = 1; i < IMAGES; i++) {
    const form = new FormData();
    form.set('image_set', String(scene.set.id));
    form.append('file', new Blob([scene.bytes, new Uint8Array([i])]), `bench-${i}.svs`);
    const res = await fetch(`${layout.baseUrl}/api/v1/images/images/`, {
      method: 'POST',
      headers: { authorization: basicAuth },
      body: form,
    });
    if (!res.ok) throw new Error(`upload: ${res.status}`);
    images.push((await res.json()).results[0].id);
  }
  await api(layout.baseUrl, 'GET', `/images/images/${images[0]}/`);
  const one = await phase('one server', layout, scene, images, false);
  const two = await phase('two servers', layout, scene, images, true);
  const f = (n) => n.toFixed(1);
  const row = (s) =>
    `| ${s.label} | ${s.same.n}: p50 ${f(s.same.p50)}, p99 ${f(s.same.p99)} | ${s.cross.n === 0 ? '-' : `${s.cross.n}: p50 ${f(s.cross.p50)}, p99 ${f(s.cross.p99)}`} | ${s.disconnects} | ${s.rest.count}, ${s.rest.errors} errors: p50 ${f(s.rest.p50)}, p99 ${f(s.rest.p99)} | ${s.tiles.count}, ${s.tiles.errors} errors: p50 ${f(s.tiles.p50)}, p99 ${f(s.tiles.p99)} | ${s.load} |`;
  await recordBenchmark(
    'scaleout',
    [
      `\`node bench/scaleout/run.js\`: scripts/topology.sh (nginx, Redis, two servers, two tilers) on one PostgreSQL; ${IMAGES} images x ${PER_IMAGE} live clients (${IMAGES * PER_IMAGE} in all, ${WRITERS_PER_IMAGE} writers per image at ${RATE} edits/s each), ${SECONDS} s per phase, with 2 REST list loops and 2 tile loops through nginx (the servers' tile memory off). The bench's clients share the machine's 2 cores with every process of the layout, and the machine was shared with other work (load average in the last column). Target: edit-to-remote p99 < 100 ms across servers.`,
      '',
      '| phase | edit-to-remote, same server (deliveries: ms) | across servers (deliveries: ms) | client disconnects | REST lists (count, errors: ms) | tiles (count, errors: ms) | load average (1, 5, 15 min) |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      row(one),
      row(two),
      '',
      `Target edit-to-remote p99 < 100 ms across servers: ${two.cross.p99 < 100 ? 'met' : 'not met'} in this run (p99 ${f(two.cross.p99)} ms). References: the first row, measured in this run with every client on one server; bench:collab above (20 clients on one image, one server, quiet machine: p50 3.9 ms, p99 20.4 ms); ../shared/DESIGN.md (two clients on one server: p50 0.25-0.5 ms, p99 2-7 ms; two Hocuspocus instances over Redis: p50 about 1 ms on a small document).`,
    ].join('\n'),
  );
} finally {
  if (layout) {
    // The script stops every process it started (servers compact and unload first), then exits.
    const exited = new Promise((resolve) => layout.child.once('exit', resolve));
    process.kill(-layout.child.pid, 'SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 60_000))]);
  }
  await rm(dir, { recursive: true, force: true });
  await sql(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
}
