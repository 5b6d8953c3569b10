import { hash } from 'node:crypto';
import { LRUCache } from 'lru-cache';

/**
 * How long a verified credential (session cookie, Basic, token) is taken as still good on the paths that
 * accept it: a session that ends, a token revoked, a password changed or a user deactivated stops
 * working there at most this long after the change.
 */
export const RECENT_CREDENTIAL_TTL_MS = 5_000;

/** Milliseconds from some fixed start (performance.now() in production; a test's own clock). */
export interface MonotonicClock {
  now(): number;
}

export interface RecentCredentialsOptions {
  readonly ttlMs?: number;
  /** The most credentials held; the least recently used go first. */
  readonly maxEntries?: number;
  readonly clock?: MonotonicClock;
}

/**
 * Successful outcomes of checks by key, remembered for `ttlMs`: the mechanism under RecentCredentials
 * and the pixel path's grants (PixelAccess). An answer that `keep` refuses, or a check that throws, is
 * not remembered, so it is asked again next time. Concurrent checks of one key share one check.
 */
export class RecentOutcomes<T> {
  private readonly outcomes: LRUCache<string, Promise<T>>;
  private readonly counts = { hits: 0, misses: 0 };

  constructor(ttlMs: number, options: Omit<RecentCredentialsOptions, 'ttlMs'> = {}) {
    this.outcomes = new LRUCache<string, Promise<T>>({
      max: options.maxEntries ?? 10_000,
      ttl: ttlMs,
      // Read the clock on every lookup (no cached "now"), so the bound is exact.
      ttlResolution: 0,
      perf: options.clock ?? performance,
    });
  }

  /** Lookups since start: answered from memory, or checked. */
  get lookups(): { readonly hits: number; readonly misses: number } {
    return { ...this.counts };
  }

  /** What `check` answered for `key` within the bound, else a new check. */
  get(key: string, check: () => Promise<T>, keep: (value: T) => boolean = () => true): Promise<T> {
    const known = this.outcomes.get(key);
    if (known !== undefined) {
      this.counts.hits++;
      return known;
    }
    this.counts.misses++;
    const asked = check();
    this.outcomes.set(key, asked);
    const forget = () => {
      if (this.outcomes.get(key) === asked) this.outcomes.delete(key);
    };
    asked.then((value) => {
      if (!keep(value)) forget();
    }, forget);
    return asked;
  }
}

/**
 * Outcomes of credential checks, remembered for a few seconds. A viewer panning a slide sends its
 * cookie or Authorization header with dozens of tiles a second; without this each one costs a
 * PostgreSQL query. Keyed by a hash of the presented secret (never the secret itself). Only successes
 * are kept: a refused or unknown credential is checked (and throttled) every time, so a token made a
 * moment ago works at once. Concurrent checks of one credential share one query.
 */
export class RecentCredentials<T> {
  private readonly checked: RecentOutcomes<T>;

  constructor(options: RecentCredentialsOptions = {}) {
    this.checked = new RecentOutcomes<T>(options.ttlMs ?? RECENT_CREDENTIAL_TTL_MS, options);
  }

  /**
   * What `check` answered for `secret` within the bound, else a new check. An answer that `keep`
   * refuses (a session that does not exist: null) or a check that throws is not remembered.
   */
  get(secret: string, check: () => Promise<T>, keep?: (value: T) => boolean): Promise<T> {
    return this.checked.get(hash('sha256', secret, 'base64'), check, keep);
  }
}
