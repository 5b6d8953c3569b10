// bench/collab: live annotation documents over real WebSockets against a real server process and
// PostgreSQL with durability on (every update logged before it is acknowledged).
//
//   npm run build && node bench/collab/run.js
//
// Measures: edit-to-remote latency with 20 clients on one image, accepted updates/s with 20 writers
// (on one image, and on one image each), a fresh client's load time and the server's memory for a
// 100,000-annotation document, and the REST list of its annotations. BENCH_QUICK=1 stops after the
// throughput figures (printed, not recorded); BENCH_SKIP_LATENCY=1 leaves out the latency figure.
// bench/collab/rest-list.js measures the REST list alone.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import * as Y from 'yjs';
import { recordBenchmark } from '../record.js';
import {
  basicAuth,
  benchScene,
  databaseUrl,
  heapUsedMb,
  percentile,
  rssMb,
  sql,
  startTessera,
  stopTessera,
  connectLive as connect,
} from '../server.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const shared = await import(path.join(root, 'shared/dist/index.js'));
const database = `tessera_bench_${Date.now()}`;
const CLIENTS = 20;
/** Edits per writer in the pipelined runs: 20,000 updates in all, several seconds of sustained load. */
const SUSTAINED_EDITS = 1000;

async function fixture(baseUrl) {
  const scene = await benchScene(baseUrl, { slide: 'openslide-python-small.svs' });
  return {
    type: scene.type.id,
    image: scene.image.id,
    token: scene.token,
    userId: scene.userId,
    set: scene.set.id,
    bytes: scene.bytes,
  };
}

/** `count` more images in the bench set (a trailing byte each, so none is skipped as a duplicate). */
async function moreImages(baseUrl, fx, count) {
  const form = new FormData();
  form.set('image_set', String(fx.set));
  for (let i = 0; i < count; i++) {
    form.append('file', new Blob([fx.bytes, new Uint8Array([i])]), `bench-${i}.svs`);
  }
  const upload = await fetch(`${baseUrl}/api/v1/images/images/`, {
    method: 'POST',
    headers: { authorization: basicAuth },
    body: form,
  });
  if (!upload.ok) throw new Error(`upload: ${upload.status} ${await upload.text()}`);
  return (await upload.json()).results.map((image) => image.id);
}

/** Resolves when the server has acknowledged all but `window` of the client's changes. */
function saved(client, window = 0) {
  if (client.provider.unsyncedChanges <= window) return Promise.resolve();
  return new Promise((resolve) => {
    const check = ({ number }) => {
      if (number > window) return;
      client.provider.off('unsyncedChanges', check);
      resolve();
    };
    client.provider.on('unsyncedChanges', check);
  });
}

function close(client) {
  client.provider.destroy();
  client.socket.destroy();
}

/**
 * Edit-to-remote: one writer changes a description; the time until each of the 19 other clients sees
 * it. The readers live in worker threads (clock: timeOrigin + now, shared by all threads), so one
 * thread applying 19 copies of each update in turn does not add its queue to the figure.
 */
async function latency(baseUrl, fx) {
  const name = `image.${fx.image}`;
  const writer = await connect(baseUrl, name, fx.token);
  const id = shared.createAnnotation(
    writer.doc,
    { id: randomUUID(), type: fx.type, vector: { x1: 1, y1: 1, x2: 9, y2: 9 } },
    { userId: fx.userId },
  );
  await saved(writer);
  const THREADS = 4;
  const perThread = [5, 5, 5, 4];
  const seen = new Map();
  const readers = CLIENTS - 1;
  let waiting; // { round, resolve } of the round being measured
  const record = (m) => {
    seen.set(m.round, [...(seen.get(m.round) ?? []), m.at]);
    if (waiting?.round === m.round && seen.get(m.round).length === readers) waiting.resolve();
  };
  const workers = perThread.slice(0, THREADS).map(
    (clients) =>
      new Worker(new URL('./readers.js', import.meta.url), {
        workerData: { baseUrl, name, token: fx.token, clients },
      }),
  );
  await Promise.all(
    workers.map(
      (w) =>
        new Promise((resolve, reject) => {
          w.on('message', (m) => {
            if (m === 'ready') resolve();
            else if (typeof m === 'object') record(m);
          });
          w.once('error', reject);
        }),
    ),
  );
  await new Promise((r) => setTimeout(r, 200));
  const samples = [];
  for (let round = 0; round < 200; round++) {
    const all = new Promise((resolve) => (waiting = { round, resolve }));
    const sent = performance.timeOrigin + performance.now();
    shared.updateFields(writer.doc, id, { description: `round ${round}` }, { userId: fx.userId });
    await all;
    for (const at of seen.get(round)) samples.push(at - sent);
  }
  await Promise.all(
    workers.map(async (w) => {
      const closed = new Promise((resolve) => w.on('message', (m) => m === 'closed' && resolve()));
      w.postMessage('close');
      await closed;
      await w.terminate();
    }),
  );
  close(writer);
  return { samples: samples.length, p50: percentile(samples, 0.5), p99: percentile(samples, 0.99) };
}

/**
 * Accepted updates per second: 20 writers (in 4 worker threads), each making `edits` edits. With
 * `window` 0 each waits for the acknowledgement of its edit before the next (a round trip per edit);
 * with a window, each keeps up to that many edits unacknowledged, as a client does while a user drags
 * a shape, so the figure is the server's rate of validating, logging (durably, group-committed),
 * applying and relaying updates to the other 19. With `images` (20 ids) each writer edits its own
 * image: nothing is relayed, so the bench's clients do not apply every other client's edits.
 */
async function throughput(baseUrl, fx, { window = 0, edits = 100, images } = {}) {
  const names = Array.from({ length: CLIENTS }, (_, i) => `image.${images?.[i] ?? fx.image}`);
  const THREADS = 4;
  const workers = Array.from(
    { length: THREADS },
    (_, t) =>
      new Worker(new URL('./writers.js', import.meta.url), {
        workerData: {
          baseUrl,
          names: names.slice(t * (CLIENTS / THREADS), (t + 1) * (CLIENTS / THREADS)),
          token: fx.token,
          type: fx.type,
          userId: fx.userId,
          clients: CLIENTS / THREADS,
          edits,
          window,
        },
      }),
  );
  const next = (w) =>
    new Promise((resolve, reject) => {
      w.once('message', resolve);
      w.once('error', reject);
    });
  await Promise.all(workers.map(next));
  const started = performance.now();
  const done = workers.map(next);
  for (const w of workers) w.postMessage('go');
  await Promise.all(done);
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(workers.map((w) => w.terminate()));
  return { updates: CLIENTS * edits, seconds, perSecond: (CLIENTS * edits) / seconds, window };
}

/** A 100,000-annotation document: written by one client in batches, then loaded by a fresh one. */
async function bigDocument(baseUrl, fx, server) {
  const name = `image.${fx.image}`;
  const writer = await connect(baseUrl, name, fx.token);
  const rssBefore = await rssMb(server.pid);
  const heapBefore = await heapUsedMb(server.pid);
  for (let batch = 0; batch < 100; batch++) {
    writer.doc.transact(() => {
      for (let i = 0; i < 1000; i++) {
        const x = (batch * 1000 + i) % 50_000;
        shared.createAnnotation(
          writer.doc,
          { id: randomUUID(), type: fx.type, vector: { x1: x, y1: x, x2: x + 20, y2: x + 20 } },
          { userId: fx.userId },
        );
      }
    });
    await saved(writer);
  }
  close(writer);
  // Each step waits until the server has unloaded (and compacted) the document, so none measures another.
  const settle = () => new Promise((r) => setTimeout(r, 10_000));
  await settle();
  const rest = await restList(baseUrl, fx);
  const loads = [];
  for (let i = 0; i < 3; i++) {
    await settle();
    const reader = await connect(baseUrl, name, fx.token);
    loads.push(reader.syncMs);
    if (shared.annotationsOf(reader.doc).size < 100_000) throw new Error('the document did not load whole');
    close(reader);
  }
  // A fresh client while another one holds the document open (the server has it in memory).
  const holder = await connect(baseUrl, name, fx.token);
  const heldLoads = [];
  for (let i = 0; i < 3; i++) {
    const reader = await connect(baseUrl, name, fx.token);
    heldLoads.push(reader.syncMs);
    if (shared.annotationsOf(reader.doc).size < 100_000) throw new Error('the document did not load whole');
    close(reader);
  }
  const rss = (await rssMb(server.pid)) - rssBefore;
  // The heap with the document held open by one client (the readers have left): what the server
  // keeps for it, after a full collection.
  const heapHeld = await heapUsedMb(server.pid);
  close(holder);
  // As the browser loads it (rule S1): the stored copy over HTTP, applied, then the socket syncs the rest.
  const snapshotLoads = [];
  for (let i = 0; i < 3; i++) {
    await settle();
    snapshotLoads.push(await snapshotFirst(baseUrl, name, fx));
  }
  return {
    loadMs: loads,
    heldLoadMs: heldLoads,
    snapshotLoads,
    rssMb: rss,
    heap: { before: heapBefore, held: heapHeld },
    rest,
  };
}

/** A fresh client that applies the document's stored copy before connecting; its timings in ms. */
async function snapshotFirst(baseUrl, name, fx) {
  const started = performance.now();
  const res = await fetch(`${baseUrl}/api/v1/images/images/${fx.image}/annotation_document/`, {
    headers: { authorization: basicAuth, 'accept-encoding': 'gzip' },
  });
  if (!res.ok) throw new Error(`snapshot: ${res.status}`);
  const updates = shared.decodeUpdateFrames(new Uint8Array(await res.arrayBuffer()));
  const fetched = performance.now() - started;
  const doc = new Y.Doc();
  Y.transact(doc, () => {
    for (const update of updates) Y.applyUpdate(doc, update);
  });
  const applied = performance.now() - started;
  const reader = await connect(baseUrl, name, fx.token, doc);
  const synced = performance.now() - started;
  if (shared.annotationsOf(reader.doc).size < 100_000) throw new Error('the document did not load whole');
  close(reader);
  return { fetched, applied, synced };
}

/** Pages through the REST list of the image's annotations, 1,000 at a time, as EXACT's clients do. */
async function restList(baseUrl, fx) {
  const started = performance.now();
  let total = 0;
  let next = `${baseUrl}/api/v1/annotations/annotations/?image=${fx.image}&limit=1000`;
  const pages = [];
  while (next) {
    const pageStarted = performance.now();
    const res = await fetch(next, {
      headers: {
        authorization: basicAuth,
      },
    });
    const page = await res.json();
    total += page.results.length;
    next = page.next;
    pages.push(performance.now() - pageStarted);
  }
  const seconds = (performance.now() - started) / 1000;
  return { total, seconds, perSecond: total / seconds, firstPageMs: pages[0], lastPageMs: pages.at(-1) };
}

/** The server on this bench's database; no tiler (the bench needs none, images are not opened). */
function startServer(dataDir) {
  return startTessera({
    databaseUrl: databaseUrl(database),
    dataDir,
    env: { TESSERA_TILER_URL: 'http://127.0.0.1:9' },
  });
}

await sql(`CREATE DATABASE ${database}`);
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'tessera-bench-collab-'));
let server;
try {
  server = await startServer(dataDir);
  const fx = await fixture(server.baseUrl);
  // BENCH_BIG_ONLY=1: only the 100,000-annotation document's figures, printed, not recorded.
  if (process.env.BENCH_BIG_ONLY === '1') {
    console.log('100k document', await bigDocument(server.baseUrl, fx, server.child));
  } else {
    // BENCH_SKIP_LATENCY=1: leave out the latency figure (for quick throughput comparisons).
    const lat = process.env.BENCH_SKIP_LATENCY === '1' ? undefined : await latency(server.baseUrl, fx);
    if (lat) console.log('latency', lat);
    const thr = await throughput(server.baseUrl, fx);
    console.log('throughput', thr);
    const piped = await throughput(server.baseUrl, fx, { window: 16, edits: SUSTAINED_EDITS });
    console.log('throughput, pipelined', piped);
    const images = await moreImages(server.baseUrl, fx, CLIENTS);
    const apart = await throughput(server.baseUrl, fx, { window: 16, edits: SUSTAINED_EDITS, images });
    console.log('throughput, pipelined, one image per writer', apart);
    // BENCH_QUICK=1: only the latency and throughput figures, printed, not recorded.
    if (process.env.BENCH_QUICK !== '1' && lat) {
      const big = await bigDocument(server.baseUrl, fx, server.child);
      console.log('100k document', big);
      const rest = big.rest;
      console.log('REST list', rest);
      const f = (n) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
      const lines = [
        'One server process (`tessera start`, PostgreSQL on this machine, durability on: every update is in the',
        'log before its acknowledgement), clients in a separate process over loopback WebSockets.',
        '',
        '| figure | target | measured |',
        '| --- | --- | --- |',
        `| edit-to-remote latency, 20 clients on one image (${lat.samples} deliveries) | p50 < 5 ms, p99 < 50 ms | p50 ${f(lat.p50)} ms, p99 ${f(lat.p99)} ms |`,
        `| accepted updates/s, 20 writers each waiting for its ack (4 threads) | 5,000/s | ${f(thr.perSecond)}/s (${thr.updates} in ${f(thr.seconds)} s) |`,
        `| accepted updates/s, 20 writers with up to ${piped.window} edits unacknowledged | 5,000/s | ${f(piped.perSecond)}/s (${piped.updates} in ${f(piped.seconds)} s) |`,
        `| the same, each writer on its own image (nothing relayed) | 5,000/s | ${f(apart.perSecond)}/s (${apart.updates} in ${f(apart.seconds)} s) |`,
        `| fresh client loads a 100,000-annotation document | < 1.5 s | ${big.loadMs.map((ms) => f(ms / 1000)).join(', ')} s (three loads) |`,
        `| the same, while another client holds it open | < 1.5 s | ${big.heldLoadMs.map((ms) => f(ms / 1000)).join(', ')} s |`,
        `| the same as the browser loads it: stored copy over HTTP, then the socket | < 1.5 s | ${big.snapshotLoads.map((l) => `${f(l.synced / 1000)} s (fetched ${f(l.fetched / 1000)}, applied ${f(l.applied / 1000)})`).join('; ')} |`,
        `| server heap for that document (after a full GC, one client holding it open) | < 150 MB heap | ${f(big.heap.held - big.heap.before)} MB (heap in use ${f(big.heap.before)} MB before, ${f(big.heap.held)} MB with it) |`,
        `| server memory for that document (RSS growth, two clients on it) | | ${f(big.rssMb)} MB RSS |`,
        `| REST list of ${rest.total} annotations of one image, paged at 1,000 | > 100,000/s | ${f(rest.perSecond)}/s (${f(rest.seconds)} s) |`,
      ];
      console.log(lines.join('\n'));
      await recordBenchmark('collab', lines.join('\n'));
    }
  }
} finally {
  if (server) await stopTessera(server.child);
  await sql(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await rm(dataDir, { recursive: true, force: true });
}
