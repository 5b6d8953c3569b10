// Simulated viewers, run as a process of its own (so it shares no event loop with the bench or the
// server). Reads {images: [{tiles, geometry}], viewers: [{headers}], seconds, viewport} as JSON (`tiles`:
// the URL of an image's tiles, to which `<level>/<col>_<row>.jpeg` is added)
// from argv[2] and lets every viewer pan its slide at once, as OpenSeadragon in a browser does: ask for
// every tile of the viewport at the current level, at most 6 at a time (a browser's connections per
// host), never one it already has (the browser's cache keeps immutable tiles); when the view is complete
// (and at least PAN_MS after it began: a hand drags no faster), pan a third of the viewport on (turning a
// little, bouncing off the edges) or now and then zoom in or out by one level. Prints {tiles, errors, seconds, perSecond, tile: {p50, p99}, view: {count, p50, p99}}.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { percentile } from '../server.js';
import { Timings } from './timed-get.js';

const { images, viewers, seconds, viewport } = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8'));
const BROWSER_CONNECTIONS = 6;
const PAN_MS = 100;
const timings = new Timings();
const viewLatencies = [];

/** A seeded pseudo-random sequence in [0, 1): each viewer walks its own, the same on every run. */
function random(seed) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x80000000;
  };
}

/** DeepZoom levels of a geometry: how many, and the size of one. */
function levels(g) {
  const count = Math.ceil(Math.log2(Math.max(g.width, g.height))) + 1;
  const size = (level) => {
    const scale = 2 ** (count - 1 - level);
    return [Math.ceil(g.width / scale), Math.ceil(g.height / scale)];
  };
  return { count, size };
}

/** The tiles of `level` under a viewport centred on (cx, cy) in that level's pixels. */
function viewTiles(g, level, size, cx, cy) {
  const [w, h] = size(level);
  const [vw, vh] = viewport;
  const span = (from, to, limit) => [
    Math.max(0, Math.floor(from / g.tileSize)),
    Math.min(Math.ceil(limit / g.tileSize) - 1, Math.floor((to - 1) / g.tileSize)),
  ];
  const [c0, c1] = span(cx - vw / 2, cx + vw / 2, w);
  const [r0, r1] = span(cy - vh / 2, cy + vh / 2, h);
  const tiles = [];
  for (let col = c0; col <= c1; col++) for (let row = r0; row <= r1; row++) tiles.push([level, col, row]);
  return tiles;
}

async function viewer(index, headers, end) {
  const next = random(1000 + index * 7919);
  const image = images[index % images.length];
  const g = image.geometry;
  const { count, size } = levels(g);
  const agent = new http.Agent({ keepAlive: true, maxSockets: BROWSER_CONNECTIONS });
  const cached = new Set();
  // Start somewhere on the slide at full size, 1/2 or 1/4, heading in a random direction.
  let level = count - 1 - Math.floor(next() * 3);
  let [w, h] = size(level);
  let cx = next() * w;
  let cy = next() * h;
  let heading = next() * 2 * Math.PI;
  while (performance.now() < end) {
    const wanted = viewTiles(g, level, size, cx, cy)
      .map(([l, c, r]) => `${image.tiles}${l}/${c}_${r}.jpeg`)
      .filter((url) => !cached.has(url));
    const started = performance.now();
    let at = 0;
    const connection = async () => {
      while (at < wanted.length) {
        const url = wanted[at++];
        await timings.get(agent, url, headers, 60_000);
        cached.add(url);
      }
    };
    await Promise.all(Array.from({ length: BROWSER_CONNECTIONS }, connection));
    const took = performance.now() - started;
    if (wanted.length > 0) viewLatencies.push(took);
    await new Promise((r) => setTimeout(r, Math.max(0, PAN_MS - took)));
    const step = next();
    if (step < 0.08 && level < count - 1) {
      level += 1;
      [cx, cy] = [cx * 2, cy * 2];
    } else if (step < 0.16 && level > count - 4) {
      level -= 1;
      [cx, cy] = [cx / 2, cy / 2];
    } else {
      heading += (next() - 0.5) * 0.8;
      cx += (Math.cos(heading) * viewport[0]) / 3;
      cy += (Math.sin(heading) * viewport[1]) / 3;
    }
    [w, h] = size(level);
    if (cx < 0 || cx > w || cy < 0 || cy > h) heading += Math.PI;
    cx = Math.min(Math.max(cx, 0), w);
    cy = Math.min(Math.max(cy, 0), h);
  }
  agent.destroy();
}

const started = performance.now();
const end = started + seconds * 1000;
await Promise.all(viewers.map(({ headers }, i) => viewer(i, headers, end)));
const elapsed = (performance.now() - started) / 1000;
const { latencies } = timings;
console.log(
  JSON.stringify({
    tiles: latencies.length,
    errors: timings.errors,
    seconds: elapsed,
    perSecond: latencies.length / elapsed,
    tile: { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) },
    view: {
      count: viewLatencies.length,
      p50: percentile(viewLatencies, 0.5),
      p99: percentile(viewLatencies, 0.99),
    },
  }),
);
