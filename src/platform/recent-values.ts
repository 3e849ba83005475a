// A bounded memo: the values of the `limit` keys stored last, the oldest forgotten first (first in,
// first out; reading a key does not renew it). The order of insertion is kept in a ring of keys
// beside the Map. Evicting with the Map's own order (`map.delete(map.keys().next().value)`) cost
// about 6.5 µs a new key once 10,000 were held: V8's ordered hash table leaves a hole for every
// deleted entry until it is rebuilt, and finding the first live entry walks every hole before it
// (BENCHMARKS.md, 5 December 2026). Here a new key costs a Map delete and a Map set.

export class RecentValues<V> {
  readonly limit: number;
  readonly #values = new Map<string, V>();
  /** The keys in the order they were stored; #next is where the next one goes (the oldest's place). */
  readonly #ring: (string | undefined)[];
  #next = 0;

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error('RecentValues needs room for a value');
    this.limit = limit;
    this.#ring = new Array<string | undefined>(limit).fill(undefined);
  }

  get size(): number {
    return this.#values.size;
  }

  get(key: string): V | undefined {
    return this.#values.get(key);
  }

  /** Stores `value` for `key`; a key already held keeps its place in the order, with the new value. */
  set(key: string, value: V): void {
    if (this.#values.has(key)) {
      this.#values.set(key, value);
      return;
    }
    const oldest = this.#ring[this.#next];
    if (oldest !== undefined) this.#values.delete(oldest);
    this.#ring[this.#next] = key;
    this.#next = (this.#next + 1) % this.limit;
    this.#values.set(key, value);
  }

  clear(): void {
    this.#values.clear();
    this.#ring.fill(undefined);
    this.#next = 0;
  }
}
