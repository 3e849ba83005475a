// The durability row of `npm run bench`: what SQLite's synchronous=FULL costs against NORMAL.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { createContext } from '../src/app/context.js';
import { createServices } from '../src/app/services.js';
import { orderSchema } from '../src/modules/collection/index.js';
import { seededRandom } from '../src/platform/clock.js';
import { loadConfig } from '../src/platform/config.js';
import { openStore } from '../src/platform/store/index.js';
import { BENCH_MASTER_KEY, benchOrder, type Row } from './common.js';

/**
 * What SQLite's synchronous=FULL (the default: every commit synced to disk, so it survives a power
 * cut) costs against NORMAL (the WAL synced only at checkpoints: the last commits can be lost):
 * COMMITS orders written one after the other in-process into a SQLite file, each its own commits,
 * the two settings measured in turn twice and the faster run of each kept.
 */
export async function benchDurability(COMMITS: number): Promise<Row> {
  const run = async (synchronous: 'FULL' | 'NORMAL', round: number): Promise<number> => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vow-bench-sync-'));
    const store = await openStore({ sqliteFile: path.join(dir, 'vow.sqlite'), synchronous });
    try {
      const ctx = await createContext(
        loadConfig({ VOW_DATA_DIR: dir, VOW_LOG_LEVEL: 'silent', VOW_MASTER_KEY: BENCH_MASTER_KEY }),
        { store, logger: pino({ level: 'silent' }), random: seededRandom(round, { ordered: true }) },
      );
      const services = createServices(ctx);
      const order = (tag: string, n: number) =>
        services.collection.order(orderSchema.parse(benchOrder(tag, n)));
      for (let n = 0; n < 20; n++) await order(`warm-${synchronous}`, n);
      const t0 = performance.now();
      for (let n = 0; n < COMMITS; n++) await order(synchronous, n);
      return COMMITS / ((performance.now() - t0) / 1000);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const normal: number[] = [];
  const full: number[] = [];
  for (let round = 0; round < 2; round++) {
    normal.push(await run('NORMAL', round));
    full.push(await run('FULL', round));
  }
  const floor = Math.max(...normal);
  const value = Math.max(...full);
  return {
    name: `orders written one by one into a SQLite file, synchronous=FULL (${COMMITS} orders)`,
    value,
    unit: 'orders/s',
    floorName: 'the same with synchronous=NORMAL',
    floor,
    ratio: value / floor,
    target: 'report only',
    met: undefined,
  };
}
