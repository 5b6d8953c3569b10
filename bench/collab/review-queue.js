// bench/collab/review-queue: a second-opinion set's review routes over 100,000 projected annotations
// of one image (written by SQL), a third of them with a verdict: the first page of the review queue,
// the next after an annotation, the disagreements and the summary, each timed end to end as a team
// member (the visibility rule a reviewer has).
//
//   npm run build && node bench/collab/review-queue.js
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { api, benchScene, databaseUrl, percentile, sql, startTessera, stopTessera } from '../server.js';

const database = `tessera_bench_review_${Date.now()}`;
const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);

/** The set (second opinion, N = 2), ROWS annotations by the bench admin, verdicts by the member. */
async function fixture(baseUrl, url) {
  const { team, set, type, image } = await benchScene(baseUrl, { slide: 'openslide-python-small.svs' });
  await api(baseUrl, 'PATCH', `/images/image_sets/${set.id}/`, {
    collaboration_type: 2,
    required_verifications: 2,
  });
  const member = await api(baseUrl, 'POST', '/users/users/', {
    username: 'reviewer',
    password: 'reviewer-password-1',
  });
  await api(baseUrl, 'POST', '/users/team_membership/', { team: team.id, user: member.id });
  const me = await api(baseUrl, 'GET', '/auth/session/');
  await sql(
    `INSERT INTO annotations (unique_identifier, document, image_id, image_set_id, annotation_type_id, vector,
       x_min, y_min, x_max, y_max, user_id, time, last_editor_id, last_edit_time)
     SELECT gen_random_uuid(), 'image.' || $1::int, $1::int, $2::int, $3::int,
       jsonb_build_object('x1', n % 317 * 150, 'y1', n / 317 * 150, 'x2', n % 317 * 150 + 20, 'y2', n / 317 * 150 + 20),
       n % 317 * 150, n / 317 * 150, n % 317 * 150 + 20, n / 317 * 150 + 20, $4::int, now(), $4::int, now()
     FROM generate_series(1, $5::int) AS n`,
    [image.id, set.id, type.id, me.user.id, ROWS],
    url,
  );
  // Every third annotation has the reviewer's verdict (every ninth a rejection), so some are settled
  // for nobody, some judged by the reviewer, and the queue skips them.
  await sql(
    `INSERT INTO annotation_verifications (annotation_id, user_id, verified, time)
     SELECT id, $1::int, id % 9 <> 0, now() FROM annotations WHERE image_id = $2::int AND id % 3 = 0`,
    [member.id, image.id],
    url,
  );
  await sql('ANALYZE annotations, annotation_verifications', [], url);
  return {
    set: set.id,
    authorization: `Basic ${Buffer.from('reviewer:reviewer-password-1').toString('base64')}`,
  };
}

/** Milliseconds for one GET, checked. */
async function timed(url, authorization) {
  const started = performance.now();
  const res = await fetch(url, { headers: { authorization } });
  const body = await res.json();
  if (!res.ok) throw new Error(`${res.status} ${JSON.stringify(body)}`);
  return { ms: performance.now() - started, body };
}

await sql(`CREATE DATABASE ${database}`);
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'tessera-bench-review-'));
let server;
try {
  server = await startTessera({
    databaseUrl: databaseUrl(database),
    dataDir,
    env: { TESSERA_TILER_URL: 'http://127.0.0.1:9' },
  });
  const fx = await fixture(server.baseUrl, databaseUrl(database));
  const base = `${server.baseUrl}/api/v1/images/image_sets/${fx.set}`;
  const first = await timed(`${base}/review_queue/?limit=20`, fx.authorization);
  const middle = first.body.results[10].unique_identifier;
  const routes = {
    'queue, first 20': `${base}/review_queue/?limit=20`,
    'queue, 20 after an annotation': `${base}/review_queue/?limit=20&after=${middle}`,
    'disagreements, first 50': `${base}/review_disagreements/`,
    summary: `${base}/review_summary/`,
  };
  console.log(
    `${ROWS} annotations, queue holds ${first.body.count}; ms per request (p50, p90, ${ROUNDS} rounds):`,
  );
  for (const [name, url] of Object.entries(routes)) {
    await timed(url, fx.authorization); // warm-up
    const times = [];
    for (let i = 0; i < ROUNDS; i++) times.push((await timed(url, fx.authorization)).ms);
    console.log(`  ${name}: ${percentile(times, 0.5).toFixed(0)}, ${percentile(times, 0.9).toFixed(0)}`);
  }
} finally {
  if (server) await stopTessera(server.child);
  // BENCH_KEEP_DB=1 keeps the database for a closer look (its name is printed).
  if (process.env.BENCH_KEEP_DB === '1') console.log(`kept database ${database}`);
  else await sql(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await rm(dataDir, { recursive: true, force: true });
}
