// Tile prefetching on and off, A/B in one run: the viewer load (viewers.js; BENCH_VIEWERS viewers,
// default 20) with the tiler's prefetch queue off (TESSERA_TILER_PREFETCH=0) and on (64 tiles),
// alternated ROUNDS times so both see the same shared machine. Prints one JSON line a run and a summary; records nothing.
//
//   npm run build && node bench/tiles/prefetch-ab.js [rounds]
import os from 'node:os';
import { mkdir } from 'node:fs/promises';
import { realSizeSlide, work } from './support.js';
import { measureViewers } from './viewers.js';

const rounds = Number(process.argv[2] ?? 2);
const secret = 'bench-secret-bench-secret-bench-secret';
await mkdir(work, { recursive: true });
const slide = realSizeSlide();
const runs = [];
let port = 18_600;
for (let round = 0; round < rounds; round++) {
  for (const prefetch of round % 2 === 0 ? ['0', '64'] : ['64', '0']) {
    const load = os.loadavg()[0];
    const r = await measureViewers(slide, (port += 10), secret, { TESSERA_TILER_PREFETCH: prefetch });
    const run = {
      prefetch: prefetch === '0' ? 'off' : 'on',
      load: Number(load.toFixed(1)),
      tilesPerSecond: Math.round(r.perSecond),
      tileP50: Math.round(r.tile.p50),
      tileP99: Math.round(r.tile.p99),
      viewP50: Math.round(r.view.p50),
      errors: r.errors,
    };
    runs.push(run);
    console.log(JSON.stringify(run));
  }
}
for (const mode of ['off', 'on']) {
  const mine = runs.filter((r) => r.prefetch === mode);
  const mean = (k) => Math.round(mine.reduce((sum, r) => sum + r[k], 0) / mine.length);
  console.log(
    `${mode}: ${mean('tilesPerSecond')} tiles/s, tile p50 ${mean('tileP50')} ms, p99 ${mean('tileP99')} ms`,
  );
}
