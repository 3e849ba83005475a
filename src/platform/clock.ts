// Time and randomness as parameters: domain code never calls Date.now() or crypto directly, so tests
// control deadlines and ids without sleeping.
import { randomBytes, randomFillSync } from 'node:crypto';

export interface Clock {
  /** The current instant. */
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that stands still until moved; for tests. */
export class ManualClock implements Clock {
  #ms: number;
  constructor(start: Date | string = '2026-01-15T12:00:00.000Z') {
    this.#ms = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.#ms);
  }
  set(at: Date | string): void {
    this.#ms = new Date(at).getTime();
  }
  advance(ms: number): void {
    this.#ms += ms;
  }
}

export interface Random {
  /**
   * A unique id for a record (and a job's lease). In production a UUIDv7 (RFC 9562,
   * section 5.7): the creation millisecond, then 74 random bits. Ids made one after the other sort
   * together, so each index keyed by them (a person's id keys a dozen) grows at its end instead of
   * at a random page: with random (v4) ids every new person dirtied a page of every such index, and
   * an order cost about twice the CPU and four times the writes (BENCHMARKS.md). The millisecond
   * can be read from an id; ids are references, never secrets (every token and capability is made
   * from `bytes`), and whoever is shown an id is shown when its record was made.
   */
  uuid(): string;
  /** `n` cryptographically random bytes. */
  bytes(n: number): Buffer;
}

/**
 * UUIDv7 ids, as the uuid package's own v7() makes them (monotonic within a millisecond: a random
 * 31-bit counter start, then one up per id), but with their random bytes drawn 4 KB at a time: v7()
 * asks the system for 16 bytes per id, which cost a request id (one per HTTP request) about 6 µs of
 * CPU, a fifth of a decision over HTTP (BENCHMARKS.md). The text is written by `uuidText`, read
 * from the pool where the bytes are.
 */
function timeOrderedIds(): () => string {
  const { pool, take } = randomPool();
  let lastMs = Number.NEGATIVE_INFINITY;
  let seq = 0;
  return () => {
    const at = take(16);
    const now = Date.now();
    if (now > lastMs) {
      lastMs = now;
      seq = ((pool[at + 6]! & 0x7f) << 24) | (pool[at + 7]! << 16) | (pool[at + 8]! << 8) | pool[at + 9]!;
    } else {
      seq = (seq + 1) | 0;
      if (seq === 0) lastMs++;
    }
    return uuidText(lastMs, seq, pool, at);
  };
}

/** The lowercase hex digits, as character codes. */
const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');
/** Where uuidText writes an id's 36 characters before reading them as one string. */
const ID_TEXT = Buffer.alloc(36);

function hexByte(at: number, byte: number): void {
  ID_TEXT[at] = HEX_DIGITS[byte >>> 4]!;
  ID_TEXT[at + 1] = HEX_DIGITS[byte & 0x0f]!;
}

/**
 * The text of the UUIDv7 that the uuid package's v7({ msecs, seq, random }) makes, `random` being
 * the 16 bytes of `bytes` from `at` (only their last six count): the same bits, written into one
 * buffer and read as one string. v7() built each id in a Uint8Array of its own, then as 20 strings
 * joined and lower-cased (a copy), about 0.35 µs an id against 0.08 here; an imported person takes
 * about ten ids.
 */
export function uuidText(msecs: number, seq: number, bytes: Uint8Array, at: number): string {
  hexByte(0, (msecs / 0x10000000000) & 0xff);
  hexByte(2, (msecs / 0x100000000) & 0xff);
  hexByte(4, (msecs / 0x1000000) & 0xff);
  hexByte(6, (msecs / 0x10000) & 0xff);
  ID_TEXT[8] = 0x2d;
  hexByte(9, (msecs / 0x100) & 0xff);
  hexByte(11, msecs & 0xff);
  ID_TEXT[13] = 0x2d;
  hexByte(14, 0x70 | ((seq >>> 28) & 0x0f));
  hexByte(16, (seq >>> 20) & 0xff);
  ID_TEXT[18] = 0x2d;
  hexByte(19, 0x80 | ((seq >>> 14) & 0x3f));
  hexByte(21, (seq >>> 6) & 0xff);
  ID_TEXT[23] = 0x2d;
  hexByte(24, ((seq << 2) & 0xff) | (bytes[at + 10]! & 0x03));
  for (let i = 11; i < 16; i++) hexByte(4 + 2 * i, bytes[at + i]!);
  return ID_TEXT.toString('latin1', 0, 36);
}

/** The largest draw served from the pool; larger ones go to the system directly. */
const POOLED_MAX = 256;

/**
 * Random bytes drawn from the system 4 KB at a time, for the same reason as the ids: each call to
 * the system's generator cost about 4 µs on the 2-vCPU machine (0.5 µs from the pool), and an order
 * draws about ten (a nonce for every sealed value, a data key). Each call's bytes are copied out
 * (into its own bytes of a slab, `freshBytes`) and the pool's bytes it took are zeroed at once: no
 * byte is handed out twice, and none of a secret stays behind in the pool.
 */
function pooledBytes(): (n: number) => Buffer {
  const { pool, take } = randomPool();
  const fresh = freshBytes();
  return (n) => {
    if (n > POOLED_MAX) return randomBytes(n);
    const at = take(n);
    const out = fresh(n);
    pool.copy(out, 0, at, at + n);
    pool.fill(0, at, at + n);
    return out;
  };
}

/** A slab's size, and the largest draw given part of one (larger draws get their own memory). */
const SLAB = 512;
const SLAB_DRAW_MAX = 128;

/**
 * Zeroed memory for draws: a small draw is a view of its own bytes of a 512-byte slab that is never
 * refilled nor reused (a new slab when one is used up), not an ArrayBuffer of its own. A draw of its
 * own memory cost an ArrayBuffer, its off-heap bytes and their release: 7.5% of what an import
 * allocated (six draws a person: a data key and a nonce for every sealed value). Each byte belongs
 * to one draw only, so changing a draw changes no other; a draw's `.buffer` is the slab (with other
 * draws' bytes: copy a draw, `Buffer.from(d)`, before handing its `.buffer` on), and a slab lives
 * while any of its draws does (a kept 32-byte key holds 512 bytes).
 */
function freshBytes(): (n: number) => Buffer {
  let slab = Buffer.alloc(0);
  let at = 0;
  return (n) => {
    if (n > SLAB_DRAW_MAX) return Buffer.alloc(n);
    if (at + n > slab.length) {
      slab = Buffer.alloc(SLAB);
      at = 0;
    }
    at += n;
    return slab.subarray(at - n, at);
  };
}

/**
 * 4 KB of the system's random bytes, handed out in order and drawn again when used up: `take(n)`
 * (n at most 4,096) returns where the next n bytes of `pool` start, valid until a later take
 * refills the pool (an offset, not a view: a view was an object an id).
 */
function randomPool(): { readonly pool: Buffer; readonly take: (n: number) => number } {
  const pool = Buffer.alloc(4096);
  let at = pool.length;
  return {
    pool,
    take: (n) => {
      if (at + n > pool.length) {
        randomFillSync(pool);
        at = 0;
      }
      at += n;
      return at - n;
    },
  };
}

export const cryptoRandom: Random = {
  uuid: timeOrderedIds(),
  bytes: pooledBytes(),
};

/**
 * Deterministic ids and bytes for tests and the demo (NOT for production: predictable by design).
 * Ids are random UUIDs (v4-shaped), or with `ordered` UUIDv7-shaped ones that sort in the order
 * they were made (a fixed millisecond, then a counter), as production's do.
 */
export function seededRandom(seed = 1, options: { ordered?: boolean } = {}): Random {
  // The state kept as a signed 32-bit integer: the same bits as unsigned, but a small integer to V8
  // where an unsigned one over 2^31 was a new heap number at every step (several a byte drawn: 5 KB
  // an imported person in the benchmark, which draws from here).
  let state = seed | 0 || 1;
  const next = (): number => {
    // xorshift32: small and reproducible; quality is irrelevant for test ids.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state;
  };
  const fresh = freshBytes();
  const bytes = (n: number): Buffer => {
    const out = fresh(n);
    for (let i = 0; i < n; i++) out[i] = next() & 0xff;
    return out;
  };
  let made = 0;
  const id = new Uint8Array(16);
  return {
    bytes,
    uuid: () => {
      if (options.ordered) {
        for (let i = 0; i < 16; i++) id[i] = next() & 0xff;
        return uuidText(ORDERED_EPOCH_MS, made++, id, 0);
      }
      const b = bytes(16);
      b[6] = (b[6]! & 0x0f) | 0x40;
      b[8] = (b[8]! & 0x3f) | 0x80;
      const h = b.toString('hex');
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    },
  };
}

/** The millisecond of seeded ordered ids (2026-01-01T00:00:00Z): they are told apart by their counter. */
const ORDERED_EPOCH_MS = Date.UTC(2026, 0, 1);
