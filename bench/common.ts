// Shared by the benchmark runner and its server processes.

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
