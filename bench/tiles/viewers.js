// Many viewers at once: one Tessera, the real-size slide uploaded as three images (three sets of one
// team; three files, so neither the tiler nor the server can share a tile between them), and VIEWERS
// team members signed in as browsers, each panning its own region of one of the three slides
// (viewer-load.js) for SECONDS. Used by run.js; the figures are recorded, not asserted.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { api, databaseUrl, sql, startTessera, stopTessera } from '../server.js';
import { benchSet, dziGeometry, loadProcess, sessionCookie, upload, work } from './support.js';

export const VIEWERS = 20;
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

/** VIEWERS viewers panning SLIDES copies of `slide` at once through EXACT's tile URL. */
export async function measureViewers(slide, tilerPort, secret) {
  const database = `tessera_bench_viewers_${process.pid}`;
  await sql(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await sql(`CREATE DATABASE ${database}`);
  const dataDir = path.join(work, `data-viewers-${process.pid}`);
  const { child, baseUrl } = await startTessera({
    databaseUrl: databaseUrl(database),
    dataDir,
    env: { TESSERA_TILER_PORT: String(tilerPort), TESSERA_TILER_SECRET: secret },
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
      images.push({ id: image.id, geometry: await dziGeometry(baseUrl, image.id, viewers[0]) });
    }
    return {
      geometry: images[0].geometry,
      ...(await loadProcess('./viewer-load.js', {
        baseUrl,
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

/** The recorded lines of a viewers run. */
export function viewerLines(slideName, r) {
  const fmt = (n) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
  return [
    '',
    `${VIEWERS} viewers at once: ${SLIDES} images of ${slideName} (${r.geometry.width}x${r.geometry.height}, one`,
    `file each), ${VIEWERS} team members signed in as browsers (session cookies), viewer i on image i mod ${SLIDES},`,
    `each starting at its own place at full size, 1/2 or 1/4, for ${Math.round(r.seconds)} s. A viewer asks for every`,
    `tile of its ${VIEWPORT.join('x')} px viewport it does not have yet (6 at a time, as a browser does),`,
    'then (0.1 s after the view began at the earliest) pans a third of the viewport on or now and then zooms',
    'a level in or out (bench/tiles/viewer-load.js). "view complete" is the wait for all new tiles of a view.',
    'Most tiles are new to the server too: this is mostly the cold path, as for real viewers.',
    '',
    '| viewers | tiles | tiles/s | tile p50 ms | tile p99 ms | views | view complete p50 ms | view p99 ms | errors |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    `| ${VIEWERS} on ${SLIDES} slides | ${r.tiles} | ${fmt(r.perSecond)} | ${fmt(r.tile.p50)} | ${fmt(r.tile.p99)} | ` +
      `${r.view.count} | ${fmt(r.view.p50)} | ${fmt(r.view.p99)} | ${r.errors} |`,
  ];
}
