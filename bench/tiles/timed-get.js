// One GET as the load processes (load.js, viewer-load.js) make them: the body read and dropped, the
// latency recorded, anything but a 200 (or no answer within the limit) counted as an error.
import http from 'node:http';

/** What a load process collects: each request's milliseconds, and how many failed. */
export class Timings {
  latencies = [];
  errors = 0;

  /** GETs `url` over `agent`; resolves (never rejects) once the answer was read or the request failed. */
  get(agent, url, headers, timeoutMs = 30_000) {
    return new Promise((resolve) => {
      const started = performance.now();
      const req = http.get(url, { agent, headers }, (res) => {
        res.on('data', () => undefined);
        res.on('end', () => {
          if (res.statusCode !== 200) this.errors++;
          this.latencies.push(performance.now() - started);
          resolve();
        });
      });
      req.on('error', () => {
        this.errors++;
        resolve();
      });
      // Bounded: no single request may hang the run.
      req.setTimeout(timeoutMs, () => req.destroy());
    });
  }
}
