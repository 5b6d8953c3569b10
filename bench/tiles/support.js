// What the tile benches share: the real-size slide, tile lists, loads (Node loader and wrk), a browser's
// session cookie and an upload that waits until the image is ready.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openAsBlob } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADMIN, api, basicAuth, slideFile, untilReady } from '../server.js';

/** Where the benches keep the slides they make and their URL lists (kept between runs). */
export const work = path.join(os.tmpdir(), 'tessera-bench-tiles');
export const CONCURRENCY = 8;
const REAL_SIZE = { width: 48_000, height: 36_000 };

/**
 * The real-size slide: CMU-1-Small-Region repeated to 48,000 x 36,000 px (or `size`) in Aperio's layout
 * (240 px JPEG tiles, 4x steps between levels), by make-aperio-slide.sh. Made once; later runs reuse it.
 */
export function realSizeSlide(size = REAL_SIZE) {
  const out = path.join(work, `aperio-${size.width}x${size.height}.svs`);
  if (existsSync(out)) return out;
  for (const tool of ['vips', 'tiffcp', 'tiffset', 'tiffinfo']) {
    if (spawnSync('which', [tool]).status !== 0) {
      throw new Error(
        `${tool} is missing: the real-size slide is made with Debian's libvips-tools and libtiff-tools ` +
          '(apt-get install libvips-tools libtiff-tools)',
      );
    }
  }
  console.log(`making the ${size.width}x${size.height} Aperio slide (once)...`);
  mkdirSync(work, { recursive: true });
  const made = spawnSync(
    'bash',
    [
      fileURLToPath(new URL('./make-aperio-slide.sh', import.meta.url)),
      slideFile('CMU-1-Small-Region.svs'),
      `${out}.part`,
      String(size.width),
      String(size.height),
    ],
    { stdio: 'inherit' },
  );
  if (made.status !== 0) throw new Error('make-aperio-slide.sh failed');
  spawnSync('mv', [`${out}.part`, out]);
  return out;
}

/** The number of DeepZoom levels of an image (level 0 is 1x1 px, the last is full size). */
export function levelCount(width, height) {
  return Math.ceil(Math.log2(Math.max(width, height))) + 1;
}

/** Every tile of every level of a DZI (width x height, tileSize), in a fixed shuffled order. */
export function allTiles(width, height, tileSize) {
  const levels = levelCount(width, height);
  const tiles = [];
  for (let level = 0; level < levels; level++) {
    const scale = 2 ** (levels - 1 - level);
    const w = Math.ceil(width / scale);
    const h = Math.ceil(height / scale);
    for (let col = 0; col < Math.ceil(w / tileSize); col++) {
      for (let row = 0; row < Math.ceil(h / tileSize); row++) tiles.push([level, col, row]);
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

/**
 * Runs a load process (`script` beside this file) on `job`, written as JSON to a file it reads, and
 * answers the JSON it printed.
 */
export async function loadProcess(script, job) {
  const file = path.join(work, `${path.basename(script, '.js')}-${process.pid}-${Date.now()}.json`);
  await writeFile(file, JSON.stringify(job));
  const child = spawn(process.execPath, [fileURLToPath(new URL(script, import.meta.url)), file], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  await new Promise((r) => child.on('exit', r));
  await rm(file, { force: true });
  return JSON.parse(out);
}

/** Each URL once with CONCURRENCY keep-alive connections (load.js). */
export function load(urls, headers = {}) {
  return loadProcess('./load.js', { urls, concurrency: CONCURRENCY, headers });
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
export async function warmLoad(urls, headers = {}, seconds = 8) {
  if (!existsSync('/usr/bin/wrk')) return load(repeat(urls), headers);
  const list = path.join(work, `paths-${process.pid}-${Date.now()}.txt`);
  await writeFile(list, urls.map((u) => new URL(u).pathname).join('\n'));
  const script = path.join(work, `cycle-${process.pid}.lua`);
  await writeFile(
    script,
    `local paths = {}\nfor line in io.lines("${list}") do paths[#paths + 1] = line end\nlocal i = 0\n` +
      'request = function()\n  i = i % #paths + 1\n  return wrk.format("GET", paths[i])\nend\n',
  );
  const origin = new URL(urls[0]).origin;
  const child = spawn(
    '/usr/bin/wrk',
    [
      '-t1',
      `-c${CONCURRENCY}`,
      `-d${seconds}s`,
      '--latency',
      ...Object.entries(headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`]),
      '-s',
      script,
      origin,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  await new Promise((r) => child.on('exit', r));
  await rm(list, { force: true });
  await rm(script, { force: true });
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

/** Signs in as a browser does (default: the bench admin); answers the session cookie to send back. */
export async function sessionCookie(baseUrl, credentials = ADMIN) {
  const login = await fetch(`${baseUrl}/api/v1/auth/login/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(credentials),
  });
  if (!login.ok) throw new Error(`login: ${login.status} ${await login.text()}`);
  return login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

/** A new team (named `name`) and an image set in it; answers the set's id. */
export async function benchSet(baseUrl, name = 'Bench') {
  const team = await api(baseUrl, 'POST', '/users/teams/', { name });
  const set = await api(baseUrl, 'POST', '/images/image_sets/', { name, team: team.id });
  return { team: team.id, set: set.id };
}

/**
 * Uploads `slide` (streamed from disk) into image set `setId` (default: a new team's) and waits until it
 * is ready; answers the image and the wait.
 */
export async function upload(baseUrl, slide, setId) {
  const set = { id: setId ?? (await benchSet(baseUrl)).set };
  const form = new FormData();
  form.set('image_set', String(set.id));
  form.append('file', await openAsBlob(slide), path.basename(slide));
  const started = performance.now();
  const res = await fetch(`${baseUrl}/api/v1/images/images/`, {
    method: 'POST',
    headers: { authorization: basicAuth },
    body: form,
  });
  if (!res.ok) throw new Error(`upload: ${res.status} ${await res.text()}`);
  const image = (await res.json()).results[0];
  await untilReady(baseUrl, image.id, 600);
  return { image, readySeconds: (performance.now() - started) / 1000 };
}

/** An image's DeepZoom geometry from its DZI, asked for as a viewer does before any tile. */
export async function dziGeometry(baseUrl, imageId, headers) {
  const res = await fetch(`${baseUrl}/images/image/${imageId}/1/1/tile/`, { headers });
  if (!res.ok) throw new Error(`DZI of image ${imageId}: ${res.status}`);
  const dzi = await res.text();
  const attr = (name) => Number(new RegExp(`${name}="(\\d+)"`).exec(dzi)?.[1]);
  return {
    width: attr('Width'),
    height: attr('Height'),
    tileSize: attr('TileSize'),
    overlap: attr('Overlap'),
  };
}

/** The load average (1, 5, 15 min) as the recorded text shows it. */
export function loadAverage() {
  return os
    .loadavg()
    .map((n) => n.toFixed(1))
    .join(', ');
}
