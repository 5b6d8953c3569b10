import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Seconds buckets for request latencies: a tile from memory (1 ms) up to a slow export (30 s). */
const REQUEST_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Seconds buckets for an update's wait for its commit: one group commit is a few milliseconds. */
const COMMIT_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5];

/** Numbers read when Prometheus scrapes, by label value (`{}` key '' for an unlabelled figure). */
export type ReadFigures = () => Promise<Readonly<Record<string, number>>> | Readonly<Record<string, number>>;

/**
 * One process's metrics: its own registry (several test servers share a process), the instruments
 * fed as things happen, and figures read from their owners at scrape time.
 */
export class Metrics {
  readonly registry = new Registry();
  /** Request latencies by route template (never the raw URL: bounded label values). */
  readonly requestDuration: Histogram<'method' | 'route' | 'status_class'>;
  /** From an update's arrival at the update log to the commit of the batch that holds it. */
  readonly updateCommitWait: Histogram;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    this.requestDuration = new Histogram({
      name: 'tessera_http_request_duration_seconds',
      help: 'HTTP request latency by route template, method and status class',
      labelNames: ['method', 'route', 'status_class'],
      buckets: REQUEST_BUCKETS,
      registers: [this.registry],
    });
    this.updateCommitWait = new Histogram({
      name: 'tessera_collab_update_commit_seconds',
      help: 'Time from a live-document update reaching the update log to its commit',
      buckets: COMMIT_BUCKETS,
      registers: [this.registry],
    });
  }

  /** A gauge whose values are read at scrape time; `label` names the key of `read`'s record. */
  gauge(name: string, help: string, read: ReadFigures, label?: string): void {
    new Gauge({
      ...this.described(name, help, label),
      async collect() {
        this.reset();
        await fill(read, label, (labels, value) => {
          this.set(labels, value);
        });
      },
    });
  }

  /** A counter kept by its owner (a running total), read at scrape time. */
  counter(name: string, help: string, read: ReadFigures, label?: string): void {
    new Counter({
      ...this.described(name, help, label),
      async collect() {
        this.reset();
        await fill(read, label, (labels, value) => {
          this.inc(labels, value);
        });
      },
    });
  }

  private described(name: string, help: string, label: string | undefined) {
    return { name, help, labelNames: label === undefined ? [] : [label], registers: [this.registry] };
  }

  /** The Prometheus text exposition of every metric. */
  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

/** Reads the figures and hands each to `put` with its labels (none for an unlabelled figure). */
async function fill(
  read: ReadFigures,
  label: string | undefined,
  put: (labels: Record<string, string>, value: number) => void,
): Promise<void> {
  for (const [key, value] of Object.entries(await read()))
    put(label === undefined ? {} : { [label]: key }, value);
}
