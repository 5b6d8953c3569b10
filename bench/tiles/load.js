// A bounded HTTP load generator, run as its own process so it does not share an event loop with the
// server it measures. Reads {urls, concurrency, headers?} as JSON from argv[2] (a file), requests every URL
// once with `concurrency` keep-alive connections (sending `headers`: credentials), and prints {count, errors, seconds, perSecond, p50, p95, p99}.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { percentile } from '../server.js';
import { Timings } from './timed-get.js';

const { urls, concurrency, headers = {} } = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8'));
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const timings = new Timings();
let next = 0;

async function worker() {
  while (next < urls.length) {
    const url = urls[next++];
    await timings.get(agent, url, headers);
  }
}

const started = performance.now();
await Promise.all(Array.from({ length: concurrency }, worker));
const seconds = (performance.now() - started) / 1000;
const pct = (p) => percentile(timings.latencies, p);
agent.destroy();
console.log(
  JSON.stringify({
    count: urls.length,
    errors: timings.errors,
    seconds,
    perSecond: urls.length / seconds,
    p50: pct(0.5),
    p95: pct(0.95),
    p99: pct(0.99),
  }),
);
