// Shared by the benchmark runner and its server processes.
import { readFileSync } from 'node:fs';

/** The throw-away master key of benchmark stores (never used outside benchmarks). */
export const BENCH_MASTER_KEY = Buffer.alloc(32, 3).toString('base64');

/** A valid order; `n` makes the order id and the buyer unique. */
export function benchOrder(tag: string, n: number) {
  return {
    shop_order_id: `${tag}-${n}`,
    placed_at: '2026-11-01T10:00:00Z',
    currency: 'USD',
    total_cents: 12_900,
    items: [{ sku: 'EAR-PEARL-STUD', quantity: 1, unit_price_cents: 12_900 }],
    buyer: {
      name: `Bench Buyer ${n}`,
      email: `bench.${tag}.${n}@example.com`,
      billing_address: { line1: `${n} Main St`, city: 'Madison', postal_code: '53703', country: 'US' },
      shipping_address: { line1: `${n} Main St`, city: 'Madison', postal_code: '53703', country: 'US' },
    },
  };
}

/** Where a benchmark puts its rows, its notes, and its progress lines. */
export interface Out {
  readonly rows: Row[];
  readonly notes: string[];
  readonly log: (s: string) => void;
}

export interface Row {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly floorName: string;
  readonly floor: number;
  /** value / floor for throughputs (higher is better); floor / value for times. */
  readonly ratio: number;
  readonly target: string;
  readonly met: boolean | undefined;
}

/** The p-th percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** A process's resident memory in MB (Linux), 0 when it cannot be read. */
export function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}
