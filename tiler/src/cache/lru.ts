// A least-recently-used map bounded by total weight (bytes for tiles, 1 per entry for counts). A Map keeps
// insertion order, so re-inserting on every hit makes its first key the least recently used.

/** Settings for an LRU cache. */
export interface LruOptions<V> {
  /** Largest total weight kept. */
  readonly maxWeight: number;
  /** Weight of one value (default 1, i.e. the cache is bounded by count). */
  readonly weigh?: (value: V) => number;
  /** Called for each value pushed out (not for values replaced or deleted explicitly). */
  readonly onEvict?: (key: string, value: V) => void;
}

/** A string-keyed LRU cache bounded by total weight. */
export class Lru<V> {
  private readonly entries = new Map<string, { value: V; weight: number }>();
  private total = 0;

  constructor(private readonly options: LruOptions<V>) {
    if (!(options.maxWeight >= 0)) throw new RangeError(`bad cache size ${options.maxWeight}`);
  }

  /** Number of entries. */
  get size(): number {
    return this.entries.size;
  }

  /** Sum of the weights held. */
  get weight(): number {
    return this.total;
  }

  /** The value for `key`, marking it most recently used. */
  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  /** Whether `key` is held (without marking it used). */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** Stores a value; one heavier than the whole cache is not kept. Evicts the oldest to make room. */
  set(key: string, value: V): void {
    this.delete(key);
    const weight = this.options.weigh?.(value) ?? 1;
    if (weight > this.options.maxWeight) return;
    this.entries.set(key, { value, weight });
    this.total += weight;
    while (this.total > this.options.maxWeight) {
      const oldest = this.entries.keys().next();
      if (oldest.done === true) break;
      const evicted = this.entries.get(oldest.value);
      this.entries.delete(oldest.value);
      if (evicted !== undefined) {
        this.total -= evicted.weight;
        this.options.onEvict?.(oldest.value, evicted.value);
      }
    }
  }

  /** Removes `key`; returns whether it was present. */
  delete(key: string): boolean {
    const entry = this.entries.get(key);
    if (entry === undefined) return false;
    this.entries.delete(key);
    this.total -= entry.weight;
    return true;
  }

  /** All values, oldest first. */
  values(): V[] {
    return [...this.entries.values()].map((entry) => entry.value);
  }

  /** Removes everything (without onEvict). */
  clear(): void {
    this.entries.clear();
    this.total = 0;
  }
}
