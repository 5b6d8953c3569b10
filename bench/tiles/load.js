// A bounded HTTP load generator, run as its own process so it does not share an event loop with the
// server it measures. Reads {urls, concurrency, headers?} as JSON from argv[2] (a file), requests every URL
// once with `concurrency` keep-alive connections (sending `headers`: credentials), and prints {count, errors, seconds, perSecond, p50, p95, p99}.
import { readFileSync } from 'node:fs';
import http from 'node:http';

const { urls, concurrency, headers = {} } = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8'));
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const latencies = [];
let errors = 0;
let next = 0;

function get(url) {
  return new Promise((resolve) => {
    const started = performance.now();
    const req = http.get(url, { agent, headers }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => {
        if (res.statusCode !== 200) errors++;
        latencies.push(performance.now() - started);
        resolve();
      });
    });
    req.on('error', () => {
      errors++;
      resolve();
    });
    // Bounded: no single request may hang the run.
    req.setTimeout(30_000, () => req.destroy());
  });
}

async function worker() {
  while (next < urls.length) {
    const url = urls[next++];
    await get(url);
  }
}

const started = performance.now();
await Promise.all(Array.from({ length: concurrency }, worker));
const seconds = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
agent.destroy();
console.log(
  JSON.stringify({
    count: urls.length,
    errors,
    seconds,
    perSecond: urls.length / seconds,
    p50: pct(0.5),
    p95: pct(0.95),
    p99: pct(0.99),
  }),
);
