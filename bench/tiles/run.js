// bench/tiles: Tessera's tiler against openslide-python's deepzoom_server.py on the same slides and the
// same tile URLs, cold (fresh processes) and warm (the same URLs again), with a bounded load from a
// separate process. Prints the figures and records them in docs/benchmarks.md.
//
//   npm run build && node bench/tiles/run.js
//
// Needs Debian's python3-openslide, python-openslide-examples and python3-flask (as .ci/run installs).
import { spawn } from 'node:child_process';
import { copyFile, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { recordBenchmark } from '../record.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
// The demo's NDPI scans (server/assets/slides).
const slidesDir = path.join(root, 'server/assets/slides');
const work = path.join(os.tmpdir(), 'tessera-bench-tiles');
const storage = path.join(work, 'data', 'images');
const secret = 'bench-secret-bench-secret-bench-secret';
const deepzoomServer = '/usr/share/doc/python-openslide-examples/examples/deepzoom/deepzoom_server.py';
const CONCURRENCY = 8;
const TILE = 254;

const { signTileToken } = await import(path.join(root, 'tiler/dist/access/tile-token.js'));
const sharp = createRequire(path.join(root, 'tiler/package.json'))('sharp');

/**
 * A 20000x20000 image with texture (a flat image would make every tile trivially small), written twice:
 * as a pyramidal TIFF for deepzoom_server.py (OpenSlide needs a pyramid), and as a plain JPEG that Tessera
 * ingests the way an upload is ingested (converted once, with its tile pack).
 */
async function syntheticImage(pyramid, flat) {
  if (existsSync(pyramid) && existsSync(flat)) return;
  const patch = 1000;
  const noise = Buffer.alloc(patch * patch * 3);
  let seed = 42;
  for (let i = 0; i < noise.length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const y = Math.floor(i / 3 / patch);
    noise[i] = (((seed >> 16) & 0x3f) + ((i / 3) % patch) / 8 + y / 8) & 0xff;
  }
  const texture = await sharp(noise, { raw: { width: patch, height: patch, channels: 3 } })
    .png()
    .toBuffer();
  await sharp({
    create: { width: 20_000, height: 20_000, channels: 3, background: '#f0e0f0' },
    limitInputPixels: false,
  })
    .composite([{ input: texture, tile: true, blend: 'multiply' }])
    .jpeg({ quality: 90 })
    .toFile(flat);
  await sharp(flat, { limitInputPixels: false })
    .tiff({
      tile: true,
      pyramid: true,
      tileWidth: 256,
      tileHeight: 256,
      compression: 'jpeg',
      quality: 90,
      bigtiff: true,
    })
    .toFile(pyramid);
}

/** Tessera's ingest of an upload: the tiler inspects (and converts) it; answers the file to serve tiles from. */
async function ingest(port, src) {
  const out = `${src}.pyramid.tiff`;
  const exp = Math.floor(Date.now() / 1000) + 3600;
  const token = signTileToken(secret, { v: 1, img: 1, src, out, exp, scope: ['inspect'] });
  const started = performance.now();
  const res = await fetch(`http://127.0.0.1:${port}/v1/inspect`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token }),
  });
  const body = await res.json();
  if (!res.ok) throw new Error(`inspect ${src}: ${JSON.stringify(body)}`);
  return { src: body.converted ? out : src, seconds: (performance.now() - started) / 1000 };
}

/** Every tile of every DeepZoom level of a width x height image (the same geometry in both servers). */
function allTiles(width, height) {
  const levels = Math.ceil(Math.log2(Math.max(width, height))) + 1;
  const tiles = [];
  for (let level = 0; level < levels; level++) {
    const scale = 2 ** (levels - 1 - level);
    const w = Math.ceil(width / scale);
    const h = Math.ceil(height / scale);
    for (let col = 0; col < Math.ceil(w / TILE); col++) {
      for (let row = 0; row < Math.ceil(h / TILE); row++) tiles.push([level, col, row]);
    }
  }
  // A fixed shuffle: viewers jump around, and neither server may profit from file order.
  let seed = 7;
  for (let i = tiles.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const j = seed % (i + 1);
    [tiles[i], tiles[j]] = [tiles[j], tiles[i]];
  }
  return tiles;
}

function startProcess(command, args, env) {
  const child = spawn(command, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let errorText = '';
  child.stderr.on('data', (d) => {
    errorText = (errorText + d.toString()).slice(-4000);
  });
  child.errorText = () => errorText;
  return child;
}

async function waitFor(url, child) {
  for (let i = 0; i < 300; i++) {
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      // not yet
    }
    if (child.exitCode !== null) throw new Error(`${url}: process exited\n${child.errorText()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up`);
}

function rssMb(pid) {
  return readFile(`/proc/${pid}/status`, 'utf8').then((s) => {
    const hwm = /VmHWM:\s+(\d+)/.exec(s);
    return hwm ? Number(hwm[1]) / 1024 : 0;
  });
}

async function load(urls) {
  const file = path.join(work, `urls-${Date.now()}.json`);
  await writeFile(file, JSON.stringify({ urls, concurrency: CONCURRENCY }));
  const child = spawn(process.execPath, [fileURLToPath(new URL('./load.js', import.meta.url)), file], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  await new Promise((r) => child.on('exit', r));
  return JSON.parse(out);
}

/** Warm runs repeat a short URL list so each measures at least a few thousand requests. */
function repeat(urls) {
  const times = Math.max(1, Math.ceil(4000 / urls.length));
  return Array.from({ length: times }, () => urls).flat();
}

/**
 * The warm load with wrk (a C client: a Node client would cap the figure below what a fast server does),
 * cycling through the URLs for a fixed time; falls back to the Node loader where wrk is missing.
 */
async function warmLoad(urls, seconds = 8) {
  if (!existsSync('/usr/bin/wrk')) return load(repeat(urls));
  const list = path.join(work, `paths-${Date.now()}.txt`);
  await writeFile(list, urls.map((u) => new URL(u).pathname).join('\n'));
  const script = path.join(work, 'cycle.lua');
  await writeFile(
    script,
    `local paths = {}\nfor line in io.lines("${list}") do paths[#paths + 1] = line end\nlocal i = 0\n` +
      'request = function()\n  i = i % #paths + 1\n  return wrk.format("GET", paths[i])\nend\n',
  );
  const origin = new URL(urls[0]).origin;
  const child = spawn(
    '/usr/bin/wrk',
    ['-t1', `-c${CONCURRENCY}`, `-d${seconds}s`, '--latency', '-s', script, origin],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  await new Promise((r) => child.on('exit', r));
  const ms = (label) => {
    const m = new RegExp(`${label}%\\s+([\\d.]+)(us|ms|s)`).exec(out);
    if (!m) return 0;
    const factor = { us: 0.001, ms: 1, s: 1000 }[m[2]];
    return Number(m[1]) * factor;
  };
  const rate = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0);
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  return {
    count: Math.round(rate * seconds),
    errors: non2xx,
    seconds,
    perSecond: rate,
    p50: ms('50'),
    p90: ms('90'),
    p99: ms('99'),
  };
}

async function stop(child) {
  if (child.exitCode !== null) return;
  const done = new Promise((r) => child.on('exit', r));
  child.kill('SIGTERM');
  await done;
}

async function measure(slide, upload, port) {
  const { width, height } = await slideSize(slide);
  const tiles = allTiles(width, height);
  const results = {};
  // Tessera's tiler.
  const tiler = startProcess(process.execPath, [path.join(root, 'tiler/dist/main.js')], {
    TESSERA_TILER_PORT: String(port),
    TESSERA_TILER_HOST: '127.0.0.1',
    TESSERA_DATA_DIR: path.dirname(storage),
    TESSERA_TILER_SECRET: secret,
    TESSERA_LOG_LEVEL: 'error',
  });
  await waitFor(`http://127.0.0.1:${port}/healthz`, tiler);
  const ingested = await ingest(port, path.basename(upload));
  const token = signTileToken(secret, {
    v: 1,
    img: 1,
    src: ingested.src,
    exp: Math.floor(Date.now() / 1000) + 3600,
    scope: ['tiles'],
  });
  const ours = tiles.map(([l, c, r]) => `http://127.0.0.1:${port}/v1/t/${token}/tiles/${l}/${c}_${r}.jpeg`);
  // A viewer asks for the DZI before any tile; so does the bench, for both servers.
  await (await fetch(`http://127.0.0.1:${port}/v1/t/${token}/dzi`)).text();
  results.tessera = { cold: await load(ours), warm: await warmLoad(ours), rssMb: await rssMb(tiler.pid) };
  await stop(tiler);
  // openslide-python's reference server (no tile cache of its own: warm means the OS page cache).
  const reference = startProcess(
    '/usr/bin/python3',
    [deepzoomServer, '-l', '127.0.0.1', '-p', String(port + 1), slide],
    {},
  );
  await waitFor(`http://127.0.0.1:${port + 1}/slide.dzi`, reference);
  const theirs = tiles.map(([l, c, r]) => `http://127.0.0.1:${port + 1}/slide_files/${l}/${c}_${r}.jpeg`);
  await (await fetch(`http://127.0.0.1:${port + 1}/slide.dzi`)).text();
  results.deepzoom = {
    cold: await load(theirs),
    warm: await warmLoad(theirs),
    rssMb: await rssMb(reference.pid),
  };
  await stop(reference);
  return { tiles: tiles.length, width, height, ingestSeconds: ingested.seconds, ...results };
}

async function slideSize(slide) {
  const py = `import openslide,sys,json; s=openslide.OpenSlide(sys.argv[1]); print(json.dumps(s.dimensions))`;
  const child = spawn('/usr/bin/python3', ['-c', py, slide], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  await new Promise((r) => child.on('exit', r));
  const [width, height] = JSON.parse(out);
  return { width, height };
}

await mkdir(storage, { recursive: true });
const slides = [];
for (const name of ['test3-DAPI-2-387.ndpi', 'test3-TRITC-2-560.ndpi']) {
  const target = path.join(storage, name);
  if (!existsSync(target)) await copyFile(path.join(slidesDir, name), target);
  slides.push({ reference: target, upload: target });
}
const synthetic = path.join(storage, 'synthetic-20000.tiff');
const syntheticFlat = path.join(storage, 'synthetic-20000.jpg');
console.log('generating the 20000x20000 image (once)...');
await syntheticImage(synthetic, syntheticFlat);
slides.push({ reference: synthetic, upload: syntheticFlat });

const rows = [];
let port = 18_400;
for (const { reference, upload } of slides) {
  console.log(`measuring ${path.basename(reference)} (${(await stat(reference)).size} bytes)...`);
  const r = await measure(reference, upload, (port += 10));
  rows.push({ slide: path.basename(reference), ...r });
  console.log(JSON.stringify(rows.at(-1)));
}

const fmt = (n) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
const lines = [
  `Tiles: every tile of every DeepZoom level, shuffled, ${CONCURRENCY} keep-alive connections from a separate`,
  'process on the same 2-core machine. Cold = a freshly started server, every URL once (Node client);',
  'warm = the same URLs again, cycled for 8 s by wrk (-t1, a C client, so the client is not the limit).',
  'Before the tiles, each server is asked for the DZI once, as a viewer does.',
  'deepzoom_server.py has no tile cache, so its warm run only gains the OS page cache.',
  'Tessera serves what its ingest made of the upload: scanner slides are inspected and, up to 20,000 tiles,',
  'rendered once into a tile pack; the generated image is uploaded as a plain JPEG and converted once',
  '(pyramid and tile pack). deepzoom_server.py reads the same slides, and the same pixels as a pyramidal',
  'TIFF. Ingest time (what the upload waits before it is ready) is listed separately.',
  '',
  '| slide | tiles | server | cold tiles/s | cold p99 ms | warm tiles/s | warm p99 ms | errors | peak RSS MB | note |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
];
for (const r of rows) {
  for (const [label, m] of [
    ['Tessera tiler', r.tessera],
    ['deepzoom_server.py', r.deepzoom],
  ]) {
    lines.push(
      `| ${r.slide} (${r.width}x${r.height}) | ${r.tiles} | ${label} | ${fmt(m.cold.perSecond)} | ${fmt(m.cold.p99)} | ` +
        `${fmt(m.warm.perSecond)} | ${fmt(m.warm.p99)} | ${m.cold.errors + m.warm.errors} | ${fmt(m.rssMb)} |` +
        (label === 'Tessera tiler' ? ` ingest ${fmt(r.ingestSeconds)} s |` : ' |'),
    );
  }
  lines.push(
    `| ${r.slide} | | **ratio** | **${fmt(r.tessera.cold.perSecond / r.deepzoom.cold.perSecond)}x** | | ` +
      `**${fmt(r.tessera.warm.perSecond / r.deepzoom.warm.perSecond)}x** | | | | |`,
  );
}
console.log(lines.join('\n'));
await recordBenchmark('tiles', lines.join('\n'));
