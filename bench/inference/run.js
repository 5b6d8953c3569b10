// bench/inference: the cell detector's throughput on a whole generated slide, as a user runs it: the
// demo's cytology slide (server/src/datasets/cytology-slide: 16,384 x 8,192 px, 3,000 cells, the same
// generator and seed) is written as a pyramidal TIFF and uploaded through the REST API to a real
// server (`tessera start`, as bench/inference/live.js); the "Cell detector" plugin is enabled for the
// image set and a job is created over REST (`processing/pluginjobs/`) and polled until done, so the
// job reads its pixels from the tiler and writes its proposals into the live document. Run once with
// 1 worker thread and once with N (BENCH_WORKERS, default the machine's cores). Beside it, in the same
// run, the detector alone over the same slide with pixels cropped from memory (no decoding, no job),
// so the cost of the job path shows. Recall and precision against the known cells are printed beside
// the speed (a box matches a cell at IoU >= 0.5).
//
//   npm run build && node bench/inference/run.js
//
// BENCH_SLIDE_WIDTH and BENCH_SLIDE_HEIGHT make a smaller slide (cells scaled with its area).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { recordBenchmark } from '../record.js';
import {
  api,
  basicAuth,
  benchScene,
  databaseUrl,
  sql,
  startTessera,
  stopTessera,
  untilReady,
  uploadImage,
} from '../server.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const demo = await import(path.join(root, 'demo-data/dist/index.js'));
const { cellDetectorPlugin } = await import(
  path.join(root, 'server/dist/processing/detector/cell-detector.plugin.js')
);
const { boxIou } = await import(path.join(root, 'shared/dist/index.js'));

const WIDTH = Number(process.env.BENCH_SLIDE_WIDTH ?? 16_384);
const HEIGHT = Number(process.env.BENCH_SLIDE_HEIGHT ?? 8192);
const CELLS = Math.round((3000 * WIDTH * HEIGHT) / (16_384 * 8192));
const WHOLE = WIDTH === 16_384 && HEIGHT === 8192;
const SEED = 1;
const N = Number(process.env.BENCH_WORKERS ?? os.availableParallelism());

/** A region of the in-memory slide, scaled down by taking every `step`-th pixel (the overview only). */
function crop(slide, region, step = 1) {
  const width = Math.max(1, Math.round(region.width / step));
  const height = Math.max(1, Math.round(region.height / step));
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const sy = region.y + Math.min(region.height - 1, Math.floor(y * step));
    if (step === 1) {
      const from = (sy * WIDTH + region.x) * 3;
      data.set(slide.subarray(from, from + width * 3), y * width * 3);
      continue;
    }
    for (let x = 0; x < width; x++) {
      const from = (sy * WIDTH + region.x + Math.floor(x * step)) * 3;
      data.set(slide.subarray(from, from + 3), (y * width + x) * 3);
    }
  }
  return { data, width, height, channels: 3 };
}

function context(slide, workers, proposals) {
  return {
    job: { id: 1, imageId: 1, settings: { workers } },
    image: { id: 1, width: WIDTH, height: HEIGHT, mpp: 0.25, objectivePower: 40 },
    annotationTypes: [{ id: 1, name: 'Cell', vectorType: 1 }],
    readPixels: (region, downsample) => Promise.resolve(crop(slide, region, downsample ?? 1)),
    listAnnotations: () => Promise.resolve([]),
    writeProposals: (batch) => {
      proposals.push(...batch);
      return Promise.resolve();
    },
    progress: () => Promise.resolve(),
    signal: new AbortController().signal,
  };
}

function quality(cells, proposals) {
  const truth = cells.map(demo.cellBox);
  const grid = new Map();
  const key = (x, y) => `${Math.floor(x / 256)},${Math.floor(y / 256)}`;
  proposals.forEach((p, i) => {
    const k = key(p.vector.x1, p.vector.y1);
    grid.set(k, [...(grid.get(k) ?? []), i]);
  });
  const used = new Set();
  let matched = 0;
  for (const t of truth) {
    let best = -1;
    let bestIou = 0.5;
    for (let gy = Math.floor(t.y1 / 256) - 1; gy <= Math.floor(t.y1 / 256) + 1; gy++) {
      for (let gx = Math.floor(t.x1 / 256) - 1; gx <= Math.floor(t.x1 / 256) + 1; gx++) {
        for (const i of grid.get(`${gx},${gy}`) ?? []) {
          const overlap = used.has(i) ? 0 : boxIou(t, proposals[i].vector);
          if (overlap >= bestIou) [best, bestIou] = [i, overlap];
        }
      }
    }
    if (best >= 0) {
      used.add(best);
      matched++;
    }
  }
  return { recall: matched / truth.length, precision: matched / proposals.length };
}

const cells = demo.placeCells(demo.mulberry32(demo.subSeed(SEED, 'cells')), {
  width: WIDTH,
  height: HEIGHT,
  count: CELLS,
});
const scene = {
  width: WIDTH,
  height: HEIGHT,
  background: demo.SMEAR_BACKGROUND,
  sprites: cells.map(demo.renderCell),
};
const random = () => demo.mulberry32(demo.subSeed(SEED, 'background'));
const slide = new Uint8Array(await demo.renderRgb({ ...scene, random: random() }));
const megapixels = (WIDTH * HEIGHT) / 1e6;
const row = (path, workers, seconds, proposals) => {
  const { recall, precision } = quality(cells, proposals);
  const figures = `${seconds.toFixed(2)} s | ${(megapixels / seconds).toFixed(1)} MP/s | ${proposals.length} | ${recall.toFixed(3)} | ${precision.toFixed(3)}`;
  console.log(`${path}, ${workers} worker(s): ${figures}`);
  return `| ${path} | ${workers} | ${figures} |`;
};

/** Every item of a listing, page by page along its `next` links. */
async function listAll(baseUrl, route) {
  const items = [];
  for (let next = `${baseUrl}/api/v1${route}`; next;) {
    const res = await fetch(next, { headers: { authorization: basicAuth } });
    if (!res.ok) throw new Error(`GET ${next}: ${res.status} ${await res.text()}`);
    const page = await res.json();
    items.push(...page.results);
    next = page.next ? new URL(page.next, baseUrl).toString() : null;
  }
  return items;
}

/** Creates a detector job over REST and polls it until done; its wall time and stored proposals. */
async function jobRun(baseUrl, plugin, image, workers) {
  const started = performance.now();
  const job = await api(baseUrl, 'POST', '/processing/pluginjobs/', { plugin, image, settings: { workers } });
  for (;;) {
    const state = await api(baseUrl, 'GET', `/processing/pluginjobs/${job.id}/`);
    if (state.state === 'done') break;
    if (state.state === 'failed' || state.state === 'cancelled')
      throw new Error(`job ${job.id} ${state.state}: ${state.error_message}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const seconds = (performance.now() - started) / 1000;
  const proposals = await listAll(baseUrl, `/processing/pluginresultannotations/?job=${job.id}&limit=500`);
  return { seconds, proposals };
}

const loadBefore = os.loadavg();
const rows = [];
const database = `tessera_bench_${Date.now()}`;
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'tessera-bench-inference-'));
await sql(`CREATE DATABASE ${database}`);
let server;
try {
  const file = path.join(dataDir, 'synthetic-cytology-slide.tiff');
  await demo.writePyramidTiff({ ...scene, random: random() }, file);
  server = await startTessera({ databaseUrl: databaseUrl(database), dataDir });
  const { baseUrl } = server;
  const { set } = await benchScene(baseUrl);
  const image = await uploadImage(baseUrl, set.id, await readFile(file), 'synthetic-cytology-slide.tiff');
  await untilReady(baseUrl, image.id, 600);
  const plugins = await listAll(baseUrl, '/processing/plugins/');
  const plugin = plugins.find((p) => p.name === 'Cell detector')?.id;
  if (plugin === undefined) throw new Error('no "Cell detector" plugin listed');
  await api(baseUrl, 'POST', '/processing/pluginenablements/', { plugin, image_set: set.id });
  for (const workers of [1, N]) {
    const { seconds, proposals } = await jobRun(baseUrl, plugin, image.id, workers);
    rows.push(row('job over REST (tiler, live document)', workers, seconds, proposals));
  }
} finally {
  if (server) await stopTessera(server.child);
  await sql(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await rm(dataDir, { recursive: true, force: true });
}
for (const workers of [1, N]) {
  const proposals = [];
  const started = performance.now();
  await cellDetectorPlugin.run(context(slide, workers, proposals));
  rows.push(
    row('detector alone, pixels in memory', workers, (performance.now() - started) / 1000, proposals),
  );
}
const loadAfter = os.loadavg();
const load = (l) => l.map((v) => v.toFixed(1)).join(', ');
await recordBenchmark(
  'inference',
  [
    `The cell detector (\`processing/detector\`, default settings: tiles of 1024 px with 160 px overlap,`,
    `colour density, triangle threshold on an overview) over the demo cytology slide's generator at`,
    `${WIDTH} x ${HEIGHT} px (${megapixels.toFixed(1)} MP, ${cells.length} cells, seed ${SEED})` +
      (WHOLE
        ? '.'
        : `: a smaller slide than the demo's 16384 x 8192 (BENCH_SLIDE_WIDTH/HEIGHT), cells at the same density.`),
    'First row pair: as a user runs it. The slide, written as a pyramidal JPEG TIFF, is uploaded through',
    'the REST API to a real server (`tessera start`, PostgreSQL on this machine); a job of the "Cell detector"',
    'plugin is created over REST (`processing/pluginjobs/`) and polled every 0.1 s until done: the job reads',
    'its pixels from the tiler (`processing/pixel-reader.ts`, JPEG decoding included) and writes its proposals',
    'into the live document. The time runs from the POST to the poll that saw `done`; proposals are the',
    "job's stored results. Second row pair, same run: the detector alone, pixels cropped from memory (no",
    'decoding, no job): the difference is the cost of the path.',
    `Load average (1, 5, 15 min) ${load(loadBefore)} at the start, ${load(loadAfter)} at the end, on a machine`,
    'shared with other work, so times are inflated.',
    '',
    '| path | worker threads | whole slide | throughput | proposals | recall | precision |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n'),
);
