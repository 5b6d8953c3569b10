// bench/collab/rest-list: the REST list of 100,000 annotations of one image, paged at 1,000 by
// following `next`, against a server whose projection holds the rows already (written by SQL, no live
// document loaded), so the figure is the list path alone: auth, SQL, rows to JSON, the response.
//
//   npm run build && node bench/collab/rest-list.js        (prints; the full bench/collab/run.js records)
//
// Lists as the bench admin (a superuser) and as a plain team member, whose visibility rule differs.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { api, basicAuth, benchScene, databaseUrl, sql, startTessera, stopTessera } from '../server.js';

const database = `tessera_bench_rest_${Date.now()}`;
const ROWS = 100_000;
const PASSES = Number(process.env.BENCH_PASSES ?? 3);

/** A team, set, type and image through the API, then ROWS projected annotations of that image by SQL. */
async function fixture(baseUrl, url) {
  const { team, set, type, image } = await benchScene(baseUrl, { slide: 'openslide-python-small.svs' });
  const member = await api(baseUrl, 'POST', '/users/users/', {
    username: 'member',
    password: 'member-password-1',
  });
  await api(baseUrl, 'POST', '/users/team_membership/', { team: team.id, user: member.id });
  const me = await api(baseUrl, 'GET', '/auth/session/');
  await sql(
    `INSERT INTO annotations (unique_identifier, document, image_id, image_set_id, annotation_type_id, vector,
       x_min, y_min, x_max, y_max, description, meta_data, user_id, time, last_editor_id, last_edit_time)
     SELECT gen_random_uuid(), 'image.' || $1::int, $1::int, $2::int, $3::int,
       jsonb_build_object('x1', n % 50000, 'y1', n % 50000, 'x2', n % 50000 + 20, 'y2', n % 50000 + 20),
       n % 50000, n % 50000, n % 50000 + 20, n % 50000 + 20, CASE WHEN n % 10 = 0 THEN 'mitosis' ELSE '' END,
       CASE WHEN n % 100 = 0 THEN '{"score": 0.5}'::jsonb END, $4::int, now(), $4::int, now()
     FROM generate_series(1, $5::int) AS n`,
    [image.id, set.id, type.id, me.user.id, ROWS],
    url,
  );
  await sql('ANALYZE annotations', [], url);
  return { image: image.id, member: `Basic ${Buffer.from('member:member-password-1').toString('base64')}` };
}

/** Pages through the list, 1,000 at a time, as EXACT's clients do. */
async function restList(baseUrl, image, authorization) {
  const started = performance.now();
  let total = 0;
  let next = `${baseUrl}/api/v1/annotations/annotations/?image=${image}&limit=1000`;
  while (next) {
    const res = await fetch(next, { headers: { authorization } });
    const page = await res.json();
    if (!res.ok) throw new Error(`${res.status} ${JSON.stringify(page)}`);
    total += page.results.length;
    next = page.next;
  }
  const seconds = (performance.now() - started) / 1000;
  if (total !== ROWS) throw new Error(`listed ${total} of ${ROWS}`);
  return total / seconds;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

await sql(`CREATE DATABASE ${database}`);
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'tessera-bench-rest-'));
let server;
try {
  server = await startTessera({
    databaseUrl: databaseUrl(database),
    dataDir,
    env: {
      TESSERA_TILER_URL: 'http://127.0.0.1:9',
      // BENCH_NODE_OPTIONS: e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile the server.
      ...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}),
    },
  });
  const fx = await fixture(server.baseUrl, databaseUrl(database));
  await restList(server.baseUrl, fx.image, basicAuth); // warm-up: caches, JIT, the table in memory
  for (const [who, authorization] of [
    ['superuser', basicAuth],
    ['member', fx.member],
  ]) {
    const rates = [];
    for (let i = 0; i < PASSES; i++) rates.push(await restList(server.baseUrl, fx.image, authorization));
    console.log(
      `REST list, ${ROWS} annotations paged at 1,000, as ${who}: median ${Math.round(median(rates))}/s`,
      `(passes: ${rates.map((r) => Math.round(r)).join(', ')})`,
    );
  }
} finally {
  if (server) await stopTessera(server.child);
  // BENCH_KEEP_DB=1 keeps the database for a closer look (its name is printed).
  if (process.env.BENCH_KEEP_DB === '1') console.log(`kept database ${database}`);
  else await sql(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await rm(dataDir, { recursive: true, force: true });
}
