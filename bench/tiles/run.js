// bench/tiles: tiles as users get them. Each slide is uploaded to a running Tessera (`tessera start`, its
// own tiler, a database of its own) and its DeepZoom tiles are asked for through EXACT's URL,
// /images/image/<id>/1/1/tile_files/<level>/<col>_<row>.jpeg, authenticated as browsers (session
// cookie) and API clients (Basic, personal token) do; beside that, the tiler alone (a signed token);
// against openslide-python's deepzoom_server.py on the same slide and the same shuffled URLs.
// Cold = every tile of a shuffled list once, right after the upload is ready (after an unrecorded warm-up
// on another slide); warm = the same list again. Then 20 viewers on three copies of the real-size slide,
// on Tessera and on deepzoom_multiserver.py (viewers.js).
//
//   npm ci && npm run build && npm run bench:tiles
//
// Needs PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres), Debian's
// python3-openslide, python-openslide-examples and python3-flask (run with /usr/bin/python3); libvips-tools
// and libtiff-tools to make the real-size slide (made once, kept in the OS temp dir); wrk for warm runs.
// BENCH_TILES_SAMPLE sets how many tiles each cold list holds (default 1500), BENCH_VIEWERS_SECONDS how
// long the viewers pan (default 30), BENCH_VIEWERS how many there are (default 20).
import { mkdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { recordBenchmark } from '../record.js';
import { api, basicAuth, databaseUrl, slideFile, sql, startTessera, stopTessera } from '../server.js';
import {
  CONCURRENCY,
  allTiles,
  benchSet,
  dziGeometry,
  load,
  realSizeSlide,
  sessionCookie,
  upload,
  warmLoad,
  work,
} from './support.js';
import { deepzoomServer, peakRssMb, startReference, stopReference } from './reference.js';
import { measureReferenceViewers, measureViewers, viewerLines } from './viewers.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const secret = 'bench-secret-bench-secret-bench-secret';
const SAMPLE = Number(process.env.BENCH_TILES_SAMPLE ?? 1500);
/** The slide whose tiles warm a new Tessera up before the cold rows (not one that is measured). */
const WARM_UP_SLIDE = 'test3-TRITC-2-560.ndpi';

const { signTileToken } = await import(path.join(root, 'tiler/dist/access/tile-token.js'));

/**
 * Unrecorded: every tile of another slide through each way in, so the cold rows find the server and
 * tiler running as in use (code compiled, connections open, credentials checked), with none of the
 * measured slide's tiles in memory.
 */
async function warmUp(baseUrl, ways) {
  const { image } = await upload(baseUrl, slideFile(WARM_UP_SLIDE), (await benchSet(baseUrl, 'Warm-up')).set);
  const geometry = await dziGeometry(baseUrl, image.id, ways[0][1]);
  const urls = allTiles(geometry.width, geometry.height, geometry.tileSize).map(
    ([l, c, r]) => `${baseUrl}/images/image/${image.id}/1/1/tile_files/${l}/${c}_${r}.jpeg`,
  );
  for (const [, headers] of ways) await load(urls, headers);
}

/** Tessera on one slide: each way in on its own share of the shuffled tiles, cold then warm. */
async function measureTessera(slide, tilerPort) {
  const database = `tessera_bench_tiles_${process.pid}`;
  await sql(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await sql(`CREATE DATABASE ${database}`);
  const dataDir = path.join(work, `data-${Date.now()}`);
  const { child, baseUrl } = await startTessera({
    databaseUrl: databaseUrl(database),
    dataDir,
    env: { TESSERA_TILER_PORT: String(tilerPort), TESSERA_TILER_SECRET: secret },
  });
  try {
    const basic = { authorization: basicAuth };
    const token = (await api(baseUrl, 'POST', '/users/tokens/', { name: 'bench' })).token;
    const ways = [
      ['EXACT URL, Basic', basic],
      ['EXACT URL, session cookie', { cookie: await sessionCookie(baseUrl) }],
      ['EXACT URL, personal token', { authorization: `Token ${token}` }],
    ];
    await warmUp(baseUrl, ways);
    const { image, readySeconds } = await upload(baseUrl, slide);
    // A viewer asks for the DZI before any tile; its geometry gives the tile list.
    const geometry = await dziGeometry(baseUrl, image.id, basic);
    const tiles = allTiles(geometry.width, geometry.height, geometry.tileSize);
    const share = Math.min(SAMPLE, Math.floor(tiles.length / 4));
    const shares = [0, 1, 2, 3].map((i) => tiles.slice(i * share, (i + 1) * share));
    const exact = ([l, c, r]) => `${baseUrl}/images/image/${image.id}/1/1/tile_files/${l}/${c}_${r}.jpeg`;
    const rows = [];
    for (const [i, [label, headers]] of ways.entries()) {
      rows.push({ label, cold: await load(shares[i].map(exact), headers) });
    }
    // Unrecorded: the first warm run would otherwise also pay for the server's JIT warming up.
    await warmLoad(shares[0].map(exact), basic, 3);
    for (const [i, [, headers]] of ways.entries())
      rows[i].warm = await warmLoad(shares[i].map(exact), headers);
    // The tiler alone, as the server calls it: a signed token, no user.
    const { rows: found } = await sql(
      'SELECT pyramid_path, storage_path FROM images WHERE id = $1',
      [image.id],
      databaseUrl(database),
    );
    const src = found[0].pyramid_path ?? found[0].storage_path;
    const exp = Math.floor(Date.now() / 1000) + 3600;
    const tilesToken = signTileToken(secret, { v: 1, img: image.id, src, exp, scope: ['tiles'] });
    const direct = shares[3].map(
      ([l, c, r]) => `http://127.0.0.1:${tilerPort}/v1/t/${tilesToken}/tiles/${l}/${c}_${r}.jpeg`,
    );
    rows.push({
      label: 'tiler alone (signed token)',
      cold: await load(direct),
      warm: await warmLoad(direct),
    });
    return { geometry, tiles: tiles.length, share: shares[0], readySeconds, rows };
  } finally {
    await stopTessera(child);
    await sql(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** deepzoom_server.py on the same slide, with Tessera's tile size and overlap, on the Basic share. */
async function measureReference(slide, port, geometry, share) {
  const reference = await startReference(deepzoomServer, port, geometry, slide, '/slide.dzi');
  try {
    const urls = share.map(([l, c, r]) => `http://127.0.0.1:${port}/slide_files/${l}/${c}_${r}.jpeg`);
    return {
      label: 'deepzoom_server.py',
      cold: await load(urls),
      warm: await warmLoad(urls),
      rssMb: await peakRssMb(reference.pid),
    };
  } finally {
    await stopReference(reference);
  }
}

await mkdir(work, { recursive: true });
const load1 = os.loadavg();
const slides = [slideFile('test3-DAPI-2-387.ndpi'), realSizeSlide()];
const results = [];
let port = 18_400;
for (const slide of slides) {
  console.log(`measuring ${path.basename(slide)} (${(await stat(slide)).size} bytes)...`);
  const ours = await measureTessera(slide, (port += 10));
  const theirs = await measureReference(slide, port + 1, ours.geometry, ours.share);
  results.push({ slide: path.basename(slide), ...ours, reference: theirs });
  console.log(JSON.stringify(results.at(-1), (k, v) => (k === 'share' ? undefined : v)));
}
console.log('measuring viewers...');
const viewers = await measureViewers(realSizeSlide(), port + 10, secret);
console.log(JSON.stringify(viewers));
const referenceViewers = await measureReferenceViewers(realSizeSlide(), port + 11, viewers.geometry);
console.log(JSON.stringify(referenceViewers));
const load2 = os.loadavg();

const fmt = (n) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
const lines = [
  `Tiles as users get them. Each slide is uploaded to a running Tessera (\`tessera start\`, its own tiler and`,
  "database) and, once ready, its DeepZoom tiles are asked for through EXACT's URL",
  '(`/images/image/<id>/1/1/tile_files/<l>/<c>_<r>.jpeg`) with Basic credentials, a browser session cookie',
  'and a personal token, and from the tiler alone with a signed token. Every tile of every level is listed',
  `in a fixed shuffled order; each way in gets its own ${SAMPLE} tiles of that list (fewer on small slides),`,
  `asked by ${CONCURRENCY} keep-alive connections from a separate process on the same machine.`,
  `Cold = each tile once, right after the upload became ready; before that upload, every tile of another`,
  `slide (${WARM_UP_SLIDE}) was asked once through each way in, unrecorded, so the server runs as in use.`,
  'Warm = the same tiles again, cycled for 8 s by wrk (-t1, a C client), after 3 unrecorded seconds of',
  'the same on the Basic row so the first warm row does not also pay for the JIT warming up.',
  "deepzoom_server.py (openslide-python's example, no tile cache) serves the same slide with the same",
  "tile size and overlap and is asked for the Basic row's tiles; the ratio compares those two rows.",
  'The real-size slide is CMU-1-Small-Region repeated to 48,000 x 36,000 px as an Aperio SVS (240 px JPEG',
  'tiles, 4x level steps; bench/tiles/make-aperio-slide.sh): too many tiles for a pack, so every tile is',
  'rendered on demand. "ready" is the wait from upload start to the image being viewable.',
  `Load average (1, 5, 15 min) at start ${load1.map((n) => n.toFixed(1)).join(', ')}, at the end ` +
    `${load2.map((n) => n.toFixed(1)).join(', ')}: other work shared the 2 cores, so figures are lower bounds.`,
  '',
  '| slide | way in | cold tiles/s | cold p99 ms | warm tiles/s | warm p99 ms | errors | note |',
  '| --- | --- | --- | --- | --- | --- | --- | --- |',
];
for (const r of results) {
  const name = `${r.slide} (${r.geometry.width}x${r.geometry.height}, ${r.tiles} tiles)`;
  for (const m of [...r.rows, r.reference]) {
    const note =
      m.rssMb !== undefined
        ? `peak RSS ${fmt(m.rssMb)} MB`
        : m === r.rows[0]
          ? `ready ${fmt(r.readySeconds)} s`
          : '';
    lines.push(
      `| ${name} | ${m.label} | ${fmt(m.cold.perSecond)} | ${fmt(m.cold.p99)} | ${fmt(m.warm.perSecond)} | ` +
        `${fmt(m.warm.p99)} | ${m.cold.errors + m.warm.errors} | ${note} |`,
    );
  }
  lines.push(
    `| ${r.slide} | **Basic vs deepzoom_server.py** | **${fmt(r.rows[0].cold.perSecond / r.reference.cold.perSecond)}x** | | ` +
      `**${fmt(r.rows[0].warm.perSecond / r.reference.warm.perSecond)}x** | | | |`,
  );
  const slowest = (phase) => Math.min(...r.rows.slice(0, 3).map((m) => m[phase].perSecond));
  lines.push(
    `| ${r.slide} | **slowest way in vs deepzoom_server.py** | **${fmt(slowest('cold') / r.reference.cold.perSecond)}x** | | ` +
      `**${fmt(slowest('warm') / r.reference.warm.perSecond)}x** | | | |`,
  );
}
lines.push(...viewerLines(path.basename(realSizeSlide()), viewers, referenceViewers));
console.log(lines.join('\n'));
await recordBenchmark('tiles', lines.join('\n'));
