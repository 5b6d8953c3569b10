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
 * Outcomes of credential checks, remembered for a few seconds. A viewer panning a slide sends its
 * cookie or Authorization header with dozens of tiles a second; without this each one costs a
 * PostgreSQL query. Keyed by a hash of the presented secret (never the secret itself). Only successes
 * are kept: a refused or unknown credential is checked (and throttled) every time, so a token made a
 * moment ago works at once. Concurrent checks of one credential share one query.
 */
export class RecentCredentials<T> {
  private readonly checked: LRUCache<string, Promise<T>>;

  constructor(options: RecentCredentialsOptions = {}) {
    this.checked = new LRUCache<string, Promise<T>>({
      max: options.maxEntries ?? 10_000,
      ttl: options.ttlMs ?? RECENT_CREDENTIAL_TTL_MS,
      // Read the clock on every lookup (no cached "now"), so the bound is exact.
      ttlResolution: 0,
      perf: options.clock ?? performance,
    });
  }

  /**
   * What `check` answered for `secret` within the bound, else a new check. An answer that `keep`
   * refuses (a session that does not exist: null) or a check that throws is not remembered.
   */
  get(secret: string, check: () => Promise<T>, keep: (value: T) => boolean = () => true): Promise<T> {
    const key = hash('sha256', secret, 'base64');
    const known = this.checked.get(key);
    if (known !== undefined) return known;
    const asked = check();
    this.checked.set(key, asked);
    const forget = () => {
      if (this.checked.get(key) === asked) this.checked.delete(key);
    };
    asked.then((value) => {
      if (!keep(value)) forget();
    }, forget);
    return asked;
  }
}
