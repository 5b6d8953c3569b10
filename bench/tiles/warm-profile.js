// Where a warm, authenticated tile's time goes in the server. Tessera runs under `node --cpu-prof`, a slide
// is uploaded and each of its tiles asked for once (so every later answer is warm), then wrk asks for them
// again through EXACT's URL with each way in (Basic, session cookie, personal token). After the stop, the
// profile's heaviest functions and packages by self time are printed.
//
//   npm run build && node bench/tiles/warm-profile.js [slide file name] [seconds per way in] [ways in]
//
// The ways in are taken in the order given, e.g. `token,basic,cookie,basic` (default `basic,cookie,token`).
import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { api, basicAuth, databaseUrl, slideFile, sql, startTessera, stopTessera } from '../server.js';
import {
  allTiles,
  dziGeometry,
  load,
  loadAverage,
  sessionCookie,
  upload,
  warmLoad,
  work,
} from './support.js';

const [slideName = 'CMU-1-Small-Region.svs', secondsArg = '6', waysArg = 'basic,cookie,token'] =
  process.argv.slice(2);
const database = `tessera_bench_profile_${process.pid}`;
const profileDir = path.join(work, `profile-${process.pid}`);

await mkdir(profileDir, { recursive: true });
await sql(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
await sql(`CREATE DATABASE ${database}`);
const dataDir = path.join(work, `data-profile-${process.pid}`);
const { child, baseUrl } = await startTessera({
  databaseUrl: databaseUrl(database),
  dataDir,
  // The tiler is a process of its own, so only the server is profiled.
  nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`],
});
const rows = [];
try {
  const { image } = await upload(baseUrl, slideFile(slideName));
  const basic = { authorization: basicAuth };
  const geometry = await dziGeometry(baseUrl, image.id, basic);
  const urls = allTiles(geometry.width, geometry.height, geometry.tileSize).map(
    ([l, c, r]) => `${baseUrl}/images/image/${image.id}/1/1/tile_files/${l}/${c}_${r}.jpeg`,
  );
  await load(urls, basic);
  const token = (await api(baseUrl, 'POST', '/users/tokens/', { name: 'profile' })).token;
  const ways = {
    basic: ['Basic', basic],
    cookie: ['session cookie', { cookie: await sessionCookie(baseUrl) }],
    token: ['personal token', { authorization: `Token ${token}` }],
  };
  for (const [label, headers] of waysArg.split(',').map((way) => ways[way])) {
    const warm = await warmLoad(urls, headers, Number(secondsArg));
    rows.push({
      label,
      perSecond: Math.round(warm.perSecond),
      p50: warm.p50,
      p99: warm.p99,
      errors: warm.errors,
    });
  }
} finally {
  await stopTessera(child);
  await sql(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await rm(dataDir, { recursive: true, force: true });
}
console.table(rows);
console.log(`load average: ${loadAverage()}`);

const file = (await readdir(profileDir)).find((name) => name.endsWith('.cpuprofile'));
if (file === undefined) throw new Error(`no profile was written to ${profileDir}`);
const profile = JSON.parse(await readFile(path.join(profileDir, file), 'utf8'));
await rm(profileDir, { recursive: true, force: true });

// Self time per node from the sample intervals (more exact than hitCount x the nominal interval).
const selfMs = new Map();
profile.samples.forEach((id, i) =>
  selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000),
);
const total = [...selfMs.values()].reduce((a, b) => a + b, 0);
const byFunction = new Map();
const byOwner = new Map();
for (const node of profile.nodes) {
  const ms = selfMs.get(node.id) ?? 0;
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url.replace(/^.*\/node_modules\//, '').replace(/^.*\/(server|shared|tiler)\/dist\//, '$1/');
  const name = `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
  byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
  const owner =
    /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ??
    /\/(server|shared|tiler)\/dist\/([^/]+)/.exec(url)?.slice(1, 3).join('/') ??
    (url.startsWith('node:') ? url : functionName.startsWith('(') ? functionName : 'native');
  byOwner.set(owner, (byOwner.get(owner) ?? 0) + ms);
}
const top = (map, n) =>
  [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, ms]) => `${((100 * ms) / total).toFixed(1).padStart(5)}%  ${name}`)
    .join('\n');
console.log(`\nself time by owner (of ${(total / 1000).toFixed(1)} s profiled):\n${top(byOwner, 20)}`);
console.log(`\nself time by function:\n${top(byFunction, 40)}`);
