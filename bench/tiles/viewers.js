// Many viewers at once: one Tessera, the real-size slide uploaded as three images (three sets of one
// team; three files, so neither the tiler nor the server can share a tile between them), and VIEWERS
// team members signed in as browsers, each panning its own region of one of the three slides
// (viewer-load.js) for SECONDS; then the same viewers, without credentials, on deepzoom_multiserver.py
// serving three links to the same file. Used by run.js; the figures are recorded, not asserted.
import { mkdir, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { api, databaseUrl, sql, startTessera, stopTessera } from '../server.js';
import { deepzoomMultiserver, startReference, stopReference } from './reference.js';
import { benchSet, dziGeometry, loadProcess, sessionCookie, upload, work } from './support.js';

export const VIEWERS = Number(process.env.BENCH_VIEWERS ?? 20);
export const SLIDES = 3;
const SECONDS = Number(process.env.BENCH_VIEWERS_SECONDS ?? 30);
/** A browser window's viewer area, in screen pixels. */
const VIEWPORT = [1600, 1000];

/** VIEWERS new members of `team`, each signed in as a browser: their session cookies. */
async function viewerSessions(baseUrl, team) {
  const cookies = [];
  for (let i = 0; i < VIEWERS; i++) {
    const credentials = { username: `viewer-${i}`, password: `viewer-password-${i}` };
    const user = await api(baseUrl, 'POST', '/users/users/', credentials);
    await api(baseUrl, 'POST', '/users/team_membership/', { team, user: user.id });
    cookies.push({ cookie: await sessionCookie(baseUrl, credentials) });
  }
  return cookies;
}

/**
 * VIEWERS viewers panning SLIDES copies of `slide` at once through EXACT's tile URL; `env` adds to the
 * server's (and its tiler's) settings.
 */
export async function measureViewers(slide, tilerPort, secret, env = {}) {
  const database = `tessera_bench_viewers_${process.pid}`;
  await sql(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await sql(`CREATE DATABASE ${database}`);
  const dataDir = path.join(work, `data-viewers-${process.pid}`);
  const { child, baseUrl } = await startTessera({
    databaseUrl: databaseUrl(database),
    dataDir,
    env: { TESSERA_TILER_PORT: String(tilerPort), TESSERA_TILER_SECRET: secret, ...env },
  });
  try {
    const { team, set } = await benchSet(baseUrl, 'Viewers');
    const sets = [set];
    while (sets.length < SLIDES) {
      sets.push(
        (await api(baseUrl, 'POST', '/images/image_sets/', { name: `Viewers ${sets.length}`, team })).id,
      );
    }
    const viewers = await viewerSessions(baseUrl, team);
    const images = [];
    for (const setId of sets) {
      const { image } = await upload(baseUrl, slide, setId);
      images.push({
        tiles: `${baseUrl}/images/image/${image.id}/1/1/tile_files/`,
        geometry: await dziGeometry(baseUrl, image.id, viewers[0]),
      });
    }
    return {
      geometry: images[0].geometry,
      ...(await loadProcess('./viewer-load.js', {
        images,
        viewers: viewers.map((headers) => ({ headers })),
        seconds: SECONDS,
        viewport: VIEWPORT,
      })),
    };
  } finally {
    await stopTessera(child);
    await sql(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    // Three copies of a real-size slide: not kept between runs.
    await rm(dataDir, { recursive: true, force: true });
  }
}

/**
 * The same viewers on deepzoom_multiserver.py (one process) serving SLIDES links to `slide`, in the
 * geometry Tessera served; no credentials, no tile cache.
 */
export async function measureReferenceViewers(slide, port, geometry) {
  const dir = path.join(work, `reference-viewers-${process.pid}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const names = Array.from({ length: SLIDES }, (_, i) => `slide-${i}${path.extname(slide)}`);
  for (const name of names) await symlink(slide, path.join(dir, name));
  const reference = await startReference(deepzoomMultiserver, port, geometry, dir, `/${names[0]}.dzi`);
  try {
    return await loadProcess('./viewer-load.js', {
      images: names.map((name) => ({ tiles: `http://127.0.0.1:${port}/${name}_files/`, geometry })),
      viewers: Array.from({ length: VIEWERS }, () => ({ headers: {} })),
      seconds: SECONDS,
      viewport: VIEWPORT,
    });
  } finally {
    await stopReference(reference);
    await rm(dir, { recursive: true, force: true });
  }
}

/** The recorded lines of a viewers run on Tessera (`r`) and on the reference (`ref`). */
export function viewerLines(slideName, r, ref) {
  const row = (label, m) =>
    `| ${label} | ${VIEWERS} on ${SLIDES} slides | ${m.tiles} | ${fmt(m.perSecond)} | ${fmt(m.tile.p50)} | ` +
    `${fmt(m.tile.p99)} | ${m.view.count} | ${fmt(m.view.p50)} | ${fmt(m.view.p99)} | ${m.errors} |`;
  return [
    '',
    `${VIEWERS} viewers at once: ${SLIDES} images of ${slideName} (${r.geometry.width}x${r.geometry.height}, one`,
    `file each), ${VIEWERS} team members signed in as browsers (session cookies), viewer i on image i mod ${SLIDES},`,
    `each starting at its own place at full size, 1/2 or 1/4, for ${Math.round(r.seconds)} s. A viewer asks for every`,
    `tile of its ${VIEWPORT.join('x')} px viewport it does not have yet (6 at a time, as a browser does),`,
    'then (0.1 s after the view began at the earliest) pans a third of the viewport on or now and then zooms',
    'a level in or out (bench/tiles/viewer-load.js). "view complete" is the wait for all new tiles of a view.',
    'Most tiles are new to the server too: this is mostly the cold path, as for real viewers.',
    `Right after, in the same run, the same viewers on deepzoom_multiserver.py (one process serving ${SLIDES} links`,
    'to the slide, same tile size and overlap, no credentials).',
    '',
    '| server | viewers | tiles | tiles/s | tile p50 ms | tile p99 ms | views | view complete p50 ms | view p99 ms | errors |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    row('Tessera, EXACT URL, session cookie', r),
    row('deepzoom_multiserver.py', ref),
  ];
}

function fmt(n) {
  return n >= 100 ? n.toFixed(0) : n.toFixed(1);
}
