// Deterministic layout assignment (P17): MurmurHash3 x86 32-bit (Austin Appleby's public-domain
// algorithm, seed 0) of the UTF-8 bytes of `experimentId:cookieId`, cut by cumulative integer
// weights. The shop's own code can reproduce it exactly; the README gives a worked example.

/** MurmurHash3, x86 32-bit variant, of `data` with `seed`; an unsigned 32-bit integer. */
export function murmur3x86_32(data: Uint8Array, seed = 0): number {
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  let h = seed >>> 0;
  const len = data.length;
  const blocks = len & ~3;
  for (let i = 0; i < blocks; i += 4) {
    let k =
      (data[i] as number) |
      ((data[i + 1] as number) << 8) |
      ((data[i + 2] as number) << 16) |
      ((data[i + 3] as number) << 24);
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const tail = len & 3;
  if (tail > 0) {
    let k = 0;
    if (tail === 3) k ^= (data[blocks + 2] as number) << 16;
    if (tail >= 2) k ^= (data[blocks + 1] as number) << 8;
    k ^= data[blocks] as number;
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
  }
  h ^= len;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The hash of an assignment key: MurmurHash3 x86 32 (seed 0) of UTF-8 `experimentId:cookieId`. */
export function assignmentHash(experimentId: string, cookieId: string): number {
  return murmur3x86_32(new TextEncoder().encode(`${experimentId}:${cookieId}`), 0);
}

export interface WeightedVariant {
  readonly id: string;
  /** A positive integer; the share of visitors is weight / sum of weights. */
  readonly weight: number;
}

/**
 * The variant for a hash: the first variant i whose cumulative weight C_i satisfies
 * h × W < C_i × 2^32 (W = the sum of the weights), i.e. h / 2^32 (a number in [0, 1)) falls in
 * [C_{i-1} / W, C_i / W). Integer arithmetic only (exact in doubles while W ≤ 2^20).
 */
export function pickVariant<V extends WeightedVariant>(hash: number, variants: readonly V[]): V {
  const total = variants.reduce((s, v) => s + v.weight, 0);
  const scaled = hash * total; // < 2^52: exact
  let cumulative = 0;
  for (const v of variants) {
    cumulative += v.weight;
    if (scaled < cumulative * 0x1_0000_0000) return v;
  }
  throw new Error('no variant: weights must be positive');
}

/** The layout one cookie id sees in one experiment. */
export function assignVariant<V extends WeightedVariant>(
  experimentId: string,
  cookieId: string,
  variants: readonly V[],
): V {
  return pickVariant(assignmentHash(experimentId, cookieId), variants);
}
