// The vault's cache of unwrapped data keys: the people touched most recently, at most `limit`, the
// least recently used dropped first. The keys live side by side in one buffer of `limit` × 32 bytes
// allocated once. Cached one by one as small Buffers, each key would sit on a slice of Node's shared
// 8 KB buffer pool and keep that whole slab alive (10,000 cached keys held about 40 MB in a test
// where requests allocated other small buffers between two keys); here the cache costs its buffer
// and its map, whatever the traffic. A dropped or destroyed key is overwritten with zeros.
//
// The order of use is a doubly linked list threaded through the slots (two Int32Arrays), so a get,
// a set and an eviction are each a few array writes. Keeping the order in the Map itself (delete and
// re-insert on every use, evict with `entries().next()`) cost about 6.5 µs a set once the cache was
// full: V8's ordered hash table leaves a hole per deletion, and finding the first live entry walks
// every hole before it (about 2% of an import's CPU, BENCHMARKS.md).

const KEY_BYTES = 32;
const NONE = -1;

export class DataKeyCache {
  readonly limit: number;
  readonly #bytes: Buffer;
  /** Subject id → slot. */
  readonly #slots = new Map<string, number>();
  /** Slot → the subject id it holds (undefined when free). */
  readonly #owner: (string | undefined)[];
  /** The list of used slots, most recent first: #newer/#older link them; #head is the most recent. */
  readonly #newer: Int32Array;
  readonly #older: Int32Array;
  #head = NONE;
  #tail = NONE;
  readonly #free: number[] = [];

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error('The key cache needs room for a key');
    this.limit = limit;
    // Buffer.alloc never takes from the shared pool for more than 4 KB; a one-key cache is the
    // exception and allocUnsafeSlow keeps it out of the pool too.
    this.#bytes = Buffer.allocUnsafeSlow(limit * KEY_BYTES).fill(0);
    this.#owner = new Array<string | undefined>(limit).fill(undefined);
    this.#newer = new Int32Array(limit).fill(NONE);
    this.#older = new Int32Array(limit).fill(NONE);
    this.#freeAll();
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
    this.#touch(slot);
    return Buffer.from(this.#bytes.subarray(slot * KEY_BYTES, (slot + 1) * KEY_BYTES));
  }

  set(subjectId: string, key: Buffer): void {
    if (key.length !== KEY_BYTES) throw new Error('A data key is 32 bytes');
    let slot = this.#slots.get(subjectId);
    if (slot !== undefined) this.#touch(slot);
    else {
      slot = this.#free.pop() ?? this.#evictOldest();
      this.#owner[slot] = subjectId;
      this.#slots.set(subjectId, slot);
      this.#pushFront(slot);
    }
    key.copy(this.#bytes, slot * KEY_BYTES);
  }

  delete(subjectId: string): void {
    const slot = this.#slots.get(subjectId);
    if (slot === undefined) return;
    this.#release(slot);
    this.#free.push(slot);
  }

  clear(): void {
    this.#bytes.fill(0);
    this.#slots.clear();
    this.#owner.fill(undefined);
    this.#newer.fill(NONE);
    this.#older.fill(NONE);
    this.#head = NONE;
    this.#tail = NONE;
    this.#freeAll();
  }

  #freeAll(): void {
    this.#free.length = 0;
    for (let slot = this.limit - 1; slot >= 0; slot--) this.#free.push(slot);
  }

  /** Drops the least recently used key and returns its slot, now unlinked and zeroed. */
  #evictOldest(): number {
    const slot = this.#tail;
    this.#release(slot);
    return slot;
  }

  /** Forgets the key in a slot: out of the map and the list, its bytes zeroed. */
  #release(slot: number): void {
    this.#slots.delete(this.#owner[slot] as string);
    this.#owner[slot] = undefined;
    this.#unlink(slot);
    this.#bytes.fill(0, slot * KEY_BYTES, (slot + 1) * KEY_BYTES);
  }

  #touch(slot: number): void {
    if (slot === this.#head) return;
    this.#unlink(slot);
    this.#pushFront(slot);
  }

  #pushFront(slot: number): void {
    this.#older[slot] = this.#head;
    this.#newer[slot] = NONE;
    if (this.#head !== NONE) this.#newer[this.#head] = slot;
    this.#head = slot;
    if (this.#tail === NONE) this.#tail = slot;
  }

  #unlink(slot: number): void {
    const newer = this.#newer[slot] as number;
    const older = this.#older[slot] as number;
    if (newer === NONE) this.#head = older;
    else this.#older[newer] = older;
    if (older === NONE) this.#tail = newer;
    else this.#newer[older] = newer;
    this.#newer[slot] = NONE;
    this.#older[slot] = NONE;
  }
}
