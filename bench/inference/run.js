// bench/inference: the cell detector's throughput on a whole generated slide. The slide is the demo's
// cytology slide (server/src/datasets/cytology-slide: 16,384 x 8,192 px, 3,000 cells, the same
// generator and seed), painted into memory by sharp; the detector plugin runs over all of it through
// the plugin API (pixels cropped from memory, so no decoding is timed), once with 1 worker thread and
// once with N (BENCH_WORKERS, default the machine's cores). Recall and precision against the known
// cells are printed beside the speed (a box matches a cell at IoU >= 0.5).
//
//   npm run build && node bench/inference/run.js
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { recordBenchmark } from '../record.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const demo = await import(path.join(root, 'demo-data/dist/index.js'));
const { cellDetectorPlugin } = await import(
  path.join(root, 'server/dist/processing/detector/cell-detector.plugin.js')
);
const { boxIou } = await import(path.join(root, 'shared/dist/index.js'));

const WIDTH = 16_384;
const HEIGHT = 8192;
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

const loadBefore = os.loadavg();
const cells = demo.placeCells(demo.mulberry32(demo.subSeed(SEED, 'cells')), {
  width: WIDTH,
  height: HEIGHT,
  count: 3000,
});
const slide = new Uint8Array(
  await demo.renderRgb({
    width: WIDTH,
    height: HEIGHT,
    background: demo.SMEAR_BACKGROUND,
    random: demo.mulberry32(demo.subSeed(SEED, 'background')),
    sprites: cells.map(demo.renderCell),
  }),
);
const megapixels = (WIDTH * HEIGHT) / 1e6;
const rows = [];
for (const workers of [1, N]) {
  const proposals = [];
  const started = performance.now();
  const { summary } = await cellDetectorPlugin.run(context(slide, workers, proposals));
  const seconds = (performance.now() - started) / 1000;
  const { recall, precision } = quality(cells, proposals);
  console.log(
    `${workers} worker(s): ${seconds.toFixed(2)} s, ${(megapixels / seconds).toFixed(1)} MP/s; ${summary}`,
  );
  rows.push(
    `| ${workers} | ${seconds.toFixed(2)} s | ${(megapixels / seconds).toFixed(1)} MP/s | ${proposals.length} | ${recall.toFixed(3)} | ${precision.toFixed(3)} |`,
  );
}
const loadAfter = os.loadavg();
const load = (l) => l.map((v) => v.toFixed(1)).join(', ');
await recordBenchmark(
  'inference',
  [
    `The cell detector (\`processing/detector\`, default settings: tiles of 1024 px with 160 px overlap,`,
    `colour density, triangle threshold on an overview) over the whole demo cytology slide, ${WIDTH} x ${HEIGHT} px`,
    `(${megapixels.toFixed(1)} MP, ${cells.length} cells, seed ${SEED}), pixels cropped from memory (no decoding timed).`,
    `Load average (1, 5, 15 min) ${load(loadBefore)} at the start, ${load(loadAfter)} at the end, on a machine`,
    'shared with other work, so times are inflated.',
    '',
    '| worker threads | whole slide | throughput | proposals | recall | precision |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n'),
);
