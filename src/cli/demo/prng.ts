// A small seeded pseudo-random generator for the demo data (mulberry32): the same seed gives the
// same people, orders and choices, so a run is reproducible. Not for secrets (ids and keys still
// come from ctx.random).

export class Prng {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0 || 0x9e3779b9;
  }

  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** A few distinct items (at least one). */
  some<T>(items: readonly T[], max: number): T[] {
    const n = this.int(1, Math.min(max, items.length));
    const pool = [...items];
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(pool.splice(Math.floor(this.next() * pool.length), 1)[0]!);
    return out;
  }

  /**
   * A skewed count >= 1: most people order once, a few order many times (a discrete Pareto-like
   * tail, capped).
   */
  skewed(alpha: number, cap: number): number {
    const u = 1 - this.next();
    return Math.min(cap, Math.floor(u ** (-1 / alpha)));
  }
}
