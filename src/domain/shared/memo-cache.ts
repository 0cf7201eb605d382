// A bounded in-process cache for derived data (rendered pages, catalog reads). It is
// only ever a copy: clear() on a change announcement and it refills from the database.
export class MemoCache<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly maxEntries = 500) {}

  get(key: string): V | undefined {
    return this.map.get(key);
  }

  set(key: string, value: V): V {
    if (this.map.size >= this.maxEntries) this.map.delete(this.map.keys().next().value!);
    this.map.set(key, value);
    return value;
  }

  /** Returns the cached value or computes, stores and returns it (concurrent callers share one computation). */
  async getOrCompute(key: string, compute: () => Promise<V>): Promise<V> {
    const hit = this.map.get(key);
    if (hit !== undefined) return hit;
    const pending = this.inflight.get(key);
    if (pending) return pending;
    const generation = this.generation;
    const p = compute()
      .then((v) => (generation === this.generation ? this.set(key, v) : v))
      .finally(() => this.inflight.delete(key));
    this.inflight.set(key, p);
    return p;
  }

  /** Forgets one key. Computations already under way are not stored: they may have read the old data. */
  delete(key: string): void {
    this.generation++;
    this.map.delete(key);
    this.inflight.delete(key);
  }

  clear(): void {
    this.generation++;
    this.map.clear();
    this.inflight.clear();
  }

  private generation = 0;
  private readonly inflight = new Map<string, Promise<V>>();
}
