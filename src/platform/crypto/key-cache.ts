// The vault's cache of unwrapped data keys: the people touched most recently, at most `limit`, the
// least recently used dropped first. The keys live side by side in one buffer of `limit` × 32 bytes
// allocated once. Cached one by one as small Buffers, each key would sit on a slice of Node's shared
// 8 KB buffer pool and keep that whole slab alive (10,000 cached keys held about 40 MB in a test
// where requests allocated other small buffers between two keys); here the cache costs its buffer
// and its map, whatever the traffic. A dropped or destroyed key is overwritten with zeros.

const KEY_BYTES = 32;

export class DataKeyCache {
  readonly limit: number;
  readonly #bytes: Buffer;
  /** Subject id → slot; a Map iterates in insertion order, so the first entry is the least recent. */
  readonly #slots = new Map<string, number>();
  readonly #free: number[] = [];

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error('The key cache needs room for a key');
    this.limit = limit;
    // Buffer.alloc never takes from the shared pool for more than 4 KB; a one-key cache is the
    // exception and allocUnsafeSlow keeps it out of the pool too.
    this.#bytes = Buffer.allocUnsafeSlow(limit * KEY_BYTES).fill(0);
    for (let slot = limit - 1; slot >= 0; slot--) this.#free.push(slot);
  }

  get size(): number {
    return this.#slots.size;
  }

  /**
   * A copy of the cached key (the caller may hold it across an await while the slot is reused),
   * and the person becomes the most recently used.
   */
  get(subjectId: string): Buffer | undefined {
    const slot = this.#slots.get(subjectId);
    if (slot === undefined) return undefined;
    this.#slots.delete(subjectId);
    this.#slots.set(subjectId, slot);
    return Buffer.from(this.#bytes.subarray(slot * KEY_BYTES, (slot + 1) * KEY_BYTES));
  }

  set(subjectId: string, key: Buffer): void {
    if (key.length !== KEY_BYTES) throw new Error('A data key is 32 bytes');
    let slot = this.#slots.get(subjectId);
    if (slot !== undefined) this.#slots.delete(subjectId);
    else slot = this.#free.pop() ?? this.#evictOldest();
    key.copy(this.#bytes, slot * KEY_BYTES);
    this.#slots.set(subjectId, slot);
  }

  delete(subjectId: string): void {
    const slot = this.#slots.get(subjectId);
    if (slot === undefined) return;
    this.#slots.delete(subjectId);
    this.#bytes.fill(0, slot * KEY_BYTES, (slot + 1) * KEY_BYTES);
    this.#free.push(slot);
  }

  clear(): void {
    this.#bytes.fill(0);
    this.#slots.clear();
    this.#free.length = 0;
    for (let slot = this.limit - 1; slot >= 0; slot--) this.#free.push(slot);
  }

  #evictOldest(): number {
    const [subjectId, slot] = this.#slots.entries().next().value as [string, number];
    this.#slots.delete(subjectId);
    return slot;
  }
}
