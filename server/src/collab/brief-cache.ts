/**
 * Values loaded on demand and kept `ttlMs`: what every incoming update is checked against (a set's
 * allowed types, an image's region size) without a query per update. A failed load is not kept.
 */
export class BriefCache<K, V> {
  private readonly cache = new Map<K, { at: number; value: Promise<V> }>();

  constructor(
    private readonly load: (key: K) => Promise<V>,
    private readonly ttlMs: number,
  ) {}

  get(key: K): Promise<V> {
    const now = Date.now();
    const hit = this.cache.get(key);
    if (hit !== undefined && now - hit.at < this.ttlMs) return hit.value;
    const value = this.load(key);
    this.cache.set(key, { at: now, value });
    value.catch(() => this.cache.delete(key));
    return value;
  }
}
