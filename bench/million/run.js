// bench/million: an image of 1,000,000 annotations (the demo generator's cells over a 100,000 x 80,000
// px slide), side by side in one run as one document (the reference) and split in regions (an image
// with annotation_region_size, docs/SPEC-collab.md G1-G6), against a real server process and
// PostgreSQL.
//
//   npm run build && npm run bench:million            (BENCH_MILLION_COUNT=100000 for a quick run)
//
// Measures, per layout: filling the image through EXACT's bulk create (generate.js); a fresh
// client's load (reference: the whole document; regions: the index document and the region
// documents one 1920 x 1080 screen meets at full resolution and at a middle zoom); edit-to-remote
// p50/p99 (regions: 20 clients in pairs over the slide, each opened on its own screen's regions;
// reference: BENCH_MILLION_REF_CLIENTS clients, default 2, as every client of it holds the whole
// document, hundreds of MB at 1,000,000 annotations: the npm script gives node an 8 GB heap); the server's heap and RSS with those clients open; a version of the image's set; its
// COCO export and the set's COCO export as it is now. Figures are recorded into docs/benchmarks.md
// (section million) unless BENCH_QUICK=1 or the count is under 1,000,000.
//
// Where the server does not keep the region index yet (an empty `image.<id>.regions`), the regions
// are chosen from the generator's own layout, and the output says so; where it does not route REST
// creates into region documents yet, the region documents are empty and the regions' figures measure
// only the opening of (nearly) empty documents: the output says so too.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { recordBenchmark } from '../record.js';
import {
  api,
  basicAuth,
  databaseUrl,
  heapUsedMb,
  percentile,
  rssMb,
  sql,
  startTessera,
  stopTessera,
} from '../server.js';
import { boxToMove, indexName, moveRounds, newClient, regionNames, saved, viewAt } from './clients.js';
import { cellTypes, fillImage } from './generate.js';
import { layoutRegionIndex, SLIDE } from './layout.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const shared = await import(path.join(root, 'shared/dist/index.js'));
const COUNT = Number(process.env.BENCH_MILLION_COUNT ?? 1_000_000);
const REGION_SIZE = 4096;
const CLIENTS = 20;
const REF_CLIENTS = Number(process.env.BENCH_MILLION_REF_CLIENTS ?? 2);
const ROUNDS = 200;
/** The middle zoom: a screen shows 8 x 8 level-0 pixels per screen pixel. */
const MIDDLE = 8;
/** Longer than a REST write holds its document open, with a margin for the compaction of a big one. */
const SETTLE_MS = Number(process.env.BENCH_MILLION_SETTLE_MS ?? 20_000);
const INSPECT_PORT = 20_000 + Math.floor(Math.random() * 10_000);
const database = `tessera_bench_million_${Date.now()}`;

/**
 * Runs one measurement; a failure (a document that does not sync in time, say) is printed and kept
 * as `{ failed }` so that the run goes on to the other figures.
 */
async function measured(name, work) {
  try {
    const result = await work();
    console.log(name, result.samples ? { ...result, samples: result.samples.length } : result);
    return result;
  } catch (error) {
    console.log(name, 'failed:', error.message);
    return { failed: error.message };
  }
}

/** A table cell: the figure, or why there is none. */
const cell = (result, render) => (result.failed ? `failed: ${result.failed}` : render(result));

const settle = () => new Promise((r) => setTimeout(r, SETTLE_MS));
const f = (n) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
const mb = (bytes) => (bytes / 2 ** 20).toFixed(1);
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(', ');

/** A team, a product with the five cell types, one image set per layout, each with one ready image. */
async function scene(baseUrl, db) {
  const team = await api(baseUrl, 'POST', '/users/teams/', { name: 'Bench' });
  const sets = [];
  for (const name of ['reference', 'regions'])
    sets.push(await api(baseUrl, 'POST', '/images/image_sets/', { name, team: team.id }));
  const product = await api(baseUrl, 'POST', '/administration/products/', {
    name: 'Cells',
    team: team.id,
    imagesets: sets.map((s) => s.id),
  });
  const types = await cellTypes(baseUrl, product.id);
  const token = (await api(baseUrl, 'POST', '/users/tokens/', { name: 'bench' })).token;
  const userId = (await api(baseUrl, 'GET', '/auth/session/')).user.id;
  const images = [];
  for (const set of sets) {
    // A slide's geometry without its pixels: nothing here reads tiles.
    const { rows } = await sql(
      `INSERT INTO images (image_set_id, name, filename, state, width, height)
       VALUES ($1, $2, $2, 'ready', $3, $4) RETURNING id`,
      [set.id, `million-${set.name}.svs`, SLIDE.width, SLIDE.height],
      db,
    );
    images.push(rows[0].id);
  }
  // G1: the region size is set on a fresh image, before any annotation, as an admin does it (G6).
  await api(baseUrl, 'POST', `/images/images/${images[1]}/regions/`, { size: REGION_SIZE });
  return {
    types,
    token,
    userId,
    reference: { set: sets[0].id, image: images[0] },
    regions: { set: sets[1].id, image: images[1] },
  };
}

async function fill(baseUrl, fx, image, name) {
  let shown = 0;
  const result = await fillImage(baseUrl, {
    image,
    types: fx.types,
    count: COUNT,
    onProgress: (n) => {
      if (n - shown >= 100_000) console.log(`${name}: ${(shown = n)} written`);
    },
  });
  console.log(
    `${name}: wrote ${result.count} annotations in ${f(result.seconds)} s = ${Math.round(result.perSecond)}/s`,
  );
  return result;
}

/** Reference: a fresh client syncs the whole document; the server's heap with it open. */
async function referenceLoad(baseUrl, fx, pid) {
  const client = newClient(baseUrl, fx.token);
  try {
    const started = performance.now();
    const ms = await client.open([`image.${fx.reference.image}`]);
    // The largest message is the document's state: the server's share of the load ends as it arrives.
    const stateAtMs = client.counter.largestAt - started;
    const doc = [...client.docs.values()][0].doc;
    const annotations = shared.annotationsOf(doc).size;
    const heap = await heapUsedMb(pid, INSPECT_PORT);
    const rss = await rssMb(pid);
    return { ms, stateAtMs, bytes: client.counter.bytes, annotations, heap, rss };
  } finally {
    client.close();
  }
}

/** The region index the server keeps, or (empty index) the one the layout implies. */
async function regionIndex(baseUrl, fx) {
  const client = newClient(baseUrl, fx.token);
  await client.open([indexName(fx.regions.image)]);
  const index = shared.readRegionIndex([...client.docs.values()][0].doc);
  client.close();
  if (index.size > 0) return { index, fromServer: true };
  return { index: layoutRegionIndex({ count: COUNT }, REGION_SIZE), fromServer: false };
}

/** Regions: a fresh client opens the index, then the region documents `view` meets; all synced. */
async function regionsLoad(baseUrl, fx, index, view) {
  const client = newClient(baseUrl, fx.token);
  try {
    return await timedRegionsLoad(client, fx, index, view);
  } finally {
    client.close();
  }
}

async function timedRegionsLoad(client, fx, index, view) {
  const started = performance.now();
  await client.open([indexName(fx.regions.image)]);
  const names = regionNames(fx.regions.image, index, view);
  await client.open(names);
  const ms = performance.now() - started;
  let annotations = 0;
  for (const [name, { doc }] of client.docs)
    if (name !== indexName(fx.regions.image)) annotations += shared.annotationsOf(doc).size;
  return { ms, bytes: client.counter.bytes, regions: names.length, annotations };
}

/** Ten screens spread over the slide at full resolution (a 5 x 2 grid of centres). */
function spots() {
  const out = [];
  for (let row = 0; row < 2; row++) {
    for (let col = 0; col < 5; col++)
      out.push({ x: ((col + 0.5) * SLIDE.width) / 5, y: ((row + 0.5) * SLIDE.height) / 2 });
  }
  return out;
}

/**
 * Regions: 20 clients, two per screen, each opened on its own screen's regions; the first of a pair
 * moves a box of its screen's first region, the second sees it. Then the server's heap and RSS with
 * all 20 open.
 */
async function regionsLatency(baseUrl, fx, index, pid) {
  const clients = [];
  const pairs = [];
  let made = 0;
  try {
    for (const spot of spots()) {
      const names = regionNames(fx.regions.image, index, viewAt(spot.x, spot.y, 1));
      const pair = [newClient(baseUrl, fx.token), newClient(baseUrl, fx.token)];
      clients.push(...pair);
      for (const client of pair) await client.open([indexName(fx.regions.image), ...names]);
      const [writer, watcher] = pair.map((c) => c.docs.get(names[0]));
      const box = await boxToMove(writer.doc, writer.provider, {
        type: fx.types.values().next().value,
        userId: fx.userId,
        at: { x: Math.round(spot.x), y: Math.round(spot.y) },
      });
      if (box.made) made++;
      await saved(writer.provider);
      pairs.push({ writer, watcher, box });
    }
    // Let the watchers have the boxes a writer had to make before the rounds start.
    await new Promise((r) => setTimeout(r, 500));
    const samples = await moveRounds(pairs, { rounds: ROUNDS, userId: fx.userId });
    const heap = await heapUsedMb(pid, INSPECT_PORT);
    const rss = await rssMb(pid);
    return { samples, p50: percentile(samples, 0.5), p99: percentile(samples, 0.99), heap, rss, made };
  } finally {
    for (const c of clients) c.close();
  }
}

/** Reference: REF_CLIENTS clients on the one document; the first moves a box, each other sees it. */
async function referenceLatency(baseUrl, fx, pid) {
  const name = `image.${fx.reference.image}`;
  const clients = [];
  try {
    for (let i = 0; i < REF_CLIENTS; i++) {
      const client = newClient(baseUrl, fx.token);
      clients.push(client);
      await client.open([name]);
    }
    const writer = clients[0].docs.get(name);
    const box = await boxToMove(writer.doc, writer.provider, {
      type: fx.types.values().next().value,
      userId: fx.userId,
      at: { x: 500, y: 500 },
    });
    const pairs = clients.slice(1).map((c) => ({ writer, watcher: c.docs.get(name), box }));
    const samples = await moveRounds(pairs, { rounds: ROUNDS, userId: fx.userId });
    const heap = await heapUsedMb(pid, INSPECT_PORT);
    const rss = await rssMb(pid);
    return { samples, p50: percentile(samples, 0.5), p99: percentile(samples, 0.99), heap, rss };
  } finally {
    for (const c of clients) c.close();
  }
}

/** Streams a COCO export, counting annotations in the bytes (as bench/versions does). */
async function exportCoco(baseUrl, route) {
  const started = performance.now();
  const res = await fetch(`${baseUrl}/api/v1${route}`, { headers: { authorization: basicAuth } });
  if (!res.ok) throw new Error(`export: ${res.status} ${await res.text()}`);
  const marker = Buffer.from('"iscrowd"');
  let count = 0;
  let bytes = 0;
  let carry = Buffer.alloc(0);
  for await (const chunk of res.body) {
    bytes += chunk.byteLength;
    const data =
      carry.length > 0
        ? Buffer.concat([carry, chunk])
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    for (let at = data.indexOf(marker); at >= 0; at = data.indexOf(marker, at + marker.length)) count++;
    carry = Buffer.from(data.subarray(Math.max(0, data.length - (marker.length - 1))));
  }
  const ms = performance.now() - started;
  return { ms, count, bytes, perSecond: count / (ms / 1000) };
}

async function versionAndExports(baseUrl, set, name) {
  const started = performance.now();
  const version = await api(baseUrl, 'POST', '/images/set_versions/', { name, imagesets: [set] });
  const versionMs = performance.now() - started;
  const versionExport = await exportCoco(baseUrl, `/images/set_versions/${version.id}/export/?format=coco`);
  const setExport = await exportCoco(baseUrl, `/images/image_sets/${set}/export/?format=coco`);
  return { versionMs, versionExport, setExport };
}

const loadAtStart = load();
await sql(`CREATE DATABASE ${database}`);
const db = databaseUrl(database);
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'tessera-bench-million-'));
let server;
try {
  server = await startTessera({
    databaseUrl: db,
    dataDir,
    env: { TESSERA_TILER_URL: 'http://127.0.0.1:9' },
    nodeArgs: [`--inspect-port=127.0.0.1:${INSPECT_PORT}`],
  });
  const { baseUrl } = server;
  const pid = server.child.pid;
  const fx = await scene(baseUrl, db);
  const heapEmpty = await heapUsedMb(pid, INSPECT_PORT);
  const fillRef = await fill(baseUrl, fx, fx.reference.image, 'reference');
  const fillReg = await fill(baseUrl, fx, fx.regions.image, 'regions');
  await settle();
  const { index, fromServer } = await regionIndex(baseUrl, fx);
  console.log(
    `region index: ${index.size} regions (${fromServer ? 'kept by the server' : 'from the layout: the server keeps none'})`,
  );

  const refLoad = await measured('reference, fresh load', () => referenceLoad(baseUrl, fx, pid));
  await settle();
  const centre = { x: SLIDE.width / 2, y: SLIDE.height / 2 };
  const fullLoad = await measured('regions, fresh load at full resolution', () =>
    regionsLoad(baseUrl, fx, index, viewAt(centre.x, centre.y, 1)),
  );
  await settle();
  const middleLoad = await measured(`regions, fresh load at 1/${MIDDLE}`, () =>
    regionsLoad(baseUrl, fx, index, viewAt(centre.x, centre.y, MIDDLE)),
  );
  await settle();

  const refLat = await measured('reference, edit-to-remote', () => referenceLatency(baseUrl, fx, pid));
  await settle();
  const regLat = await measured('regions, edit-to-remote', () => regionsLatency(baseUrl, fx, index, pid));
  await settle();

  const refOut = await measured('reference, version and exports', () =>
    versionAndExports(baseUrl, fx.reference.set, 'reference'),
  );
  const regOut = await measured('regions, version and exports', () =>
    versionAndExports(baseUrl, fx.regions.set, 'regions'),
  );

  const s = (ms) => `${f(ms / 1000)} s`;
  const exp = (e) =>
    `${e.count} in ${s(e.ms)} = ${Math.round(e.perSecond).toLocaleString('en')}/s (${mb(e.bytes)} MB)`;
  const routed = (fullLoad.annotations ?? 0) > 0;
  const lines = [
    `Two images of ${COUNT.toLocaleString('en')} box annotations each: the demo generator's cells (five classes)`,
    `over a ${SLIDE.width.toLocaleString('en')} x ${SLIDE.height.toLocaleString('en')} px slide; one image keeps them in one document (the reference),`,
    `the other has annotation_region_size ${REGION_SIZE} (G1-G6). Both filled through EXACT's bulk create`,
    `(bench/million/generate.js). A server process from \`server/dist\` and PostgreSQL on the same 2-core`,
    `machine, clients in the bench process over loopback WebSockets (one socket per client). Load average`,
    `(1, 5, 15 min) ${loadAtStart} at the start, ${load()} at the end.`,
    fromServer
      ? 'Regions were chosen from the index document the server keeps.'
      : 'The server kept no region index: regions were chosen from the layout the generator made.',
    ...(routed
      ? []
      : [
          'The server did not route REST creates into region documents: the regions image has them all in its one document, so the regions figures below open nearly empty documents.',
        ]),
    '',
    '| figure | target | reference (one document) | regions |',
    '| --- | --- | --- | --- |',
    `| bulk create (REST, batches of ${process.env.BENCH_MILLION_BATCH ?? 5000}) | minutes | ${s(fillRef.seconds * 1000)} = ${Math.round(fillRef.perSecond)}/s | ${s(fillReg.seconds * 1000)} = ${Math.round(fillReg.perSecond)}/s |`,
    `| fresh open, full resolution (1920 x 1080) | < 2 s | ${cell(refLoad, (r) => `${s(r.ms)} (whole document, ${r.annotations} annotations, ${mb(r.bytes)} MB; its state received at ${s(r.stateAtMs)})`)} | ${cell(fullLoad, (r) => `${s(r.ms)} (index + ${r.regions} regions, ${r.annotations} annotations, ${mb(r.bytes)} MB)`)} |`,
    `| fresh open, middle zoom (1/${MIDDLE}) | < 2 s | the same | ${cell(middleLoad, (r) => `${s(r.ms)} (index + ${r.regions} regions, ${r.annotations} annotations, ${mb(r.bytes)} MB)`)} |`,
    `| server heap after the fresh open (after GC) | | ${cell(refLoad, (r) => `${f(r.heap)} MB (${f(heapEmpty)} MB empty), RSS ${f(r.rss)} MB`)} | |`,
    `| edit-to-remote (${ROUNDS} moves) | p99 < 50 ms | ${cell(refLat, (r) => `${REF_CLIENTS} clients: p50 ${f(r.p50)} ms, p99 ${f(r.p99)} ms`)} | ${cell(regLat, (r) => `${CLIENTS} clients: p50 ${f(r.p50)} ms, p99 ${f(r.p99)} ms${r.made ? ` (${r.made} boxes made first: empty regions)` : ''}`)} |`,
    `| server heap / RSS with those clients open | < 300 MB | ${cell(refLat, (r) => `${f(r.heap)} MB / ${f(r.rss)} MB`)} | ${cell(regLat, (r) => `${f(r.heap)} MB / ${f(r.rss)} MB`)} |`,
    `| version of the image's set | < 10 s | ${cell(refOut, (r) => s(r.versionMs))} | ${cell(regOut, (r) => s(r.versionMs))} |`,
    `| COCO export of that version | > 200,000/s | ${cell(refOut, (r) => exp(r.versionExport))} | ${cell(regOut, (r) => exp(r.versionExport))} |`,
    `| COCO export of the set as it is now | > 200,000/s | ${cell(refOut, (r) => exp(r.setExport))} | ${cell(regOut, (r) => exp(r.setExport))} |`,
  ];
  console.log(lines.join('\n'));
  if (process.env.BENCH_QUICK !== '1' && COUNT >= 1_000_000)
    await recordBenchmark('million', lines.join('\n'));
} finally {
  if (server) await stopTessera(server.child);
  await sql(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
  await rm(dataDir, { recursive: true, force: true });
}
