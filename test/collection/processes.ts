// Vow processes on one PostgreSQL database, for the write path's race tests (two-writers,
// endpoint-races, order-races, suppression-races): each a context with its own pool, group commit
// and caches, as a process has; and what those tests share (a wait for a lock, orders of new buyers).
import { after, before, describe } from 'node:test';
import { sql } from 'kysely';
import pino from 'pino';
import { createContext } from '../../src/app/context.js';
import { createServices, type Services } from '../../src/app/services.js';
import type { VowContext } from '../../src/modules/policy/index.js';
import { ManualClock, seededRandom } from '../../src/platform/clock.js';
import { openStore, type Store } from '../../src/platform/store/index.js';
import { createTestStore, testConfig, testDialects, testLookup, testPolicy } from '../helpers/env.js';
import { orderBody } from './fixtures.js';

export interface Writer {
  readonly ctx: VowContext;
  readonly services: Services;
  readonly store: Store;
}

async function writer(url: string, seed: number): Promise<Writer> {
  const store = await openStore({ databaseUrl: url, poolSize: 4 });
  const config = testConfig();
  const ctx = await createContext(config, {
    policy: testPolicy(config.policyPath),
    clock: new ManualClock(),
    random: seededRandom(seed),
    logger: pino({ level: 'silent' }),
    store,
  });
  return { ctx, store, services: createServices(ctx, { webhookResolver: { lookup: testLookup } }) };
}

/**
 * A migrated PostgreSQL database with a process on it per seed (its randomness); `close` closes
 * them and drops the database.
 */
export async function processesOnOneDatabase(
  ...seeds: number[]
): Promise<{ readonly writers: readonly Writer[]; close(): Promise<void> }> {
  const made = await createTestStore('postgres', { migrated: true });
  const writers: Writer[] = [];
  const close = async () => {
    for (const w of writers) await w.store.close();
    await made.drop();
  };
  try {
    for (const seed of seeds) writers.push(await writer(made.url as string, seed));
  } catch (err) {
    await close();
    throw err;
  }
  return { writers, close };
}

/**
 * Resolves once `waiters` connections (one unless told) of the database wait for a lock (held by
 * another process's transaction), asked through `w`; or once `unless` has settled (work that may
 * as well finish without waiting: the code before a fix, say).
 */
export async function waitUntilBlockedOnLock(
  w: Writer,
  waiters = 1,
  unless?: Promise<unknown>,
): Promise<void> {
  let settled = false;
  unless?.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  for (;;) {
    if (settled) return;
    const { rows } = await sql<{ n: string }>`select count(*) as n from pg_stat_activity
      where datname = current_database() and wait_event_type = 'Lock'`.execute(w.store.db);
    if (Number(rows[0]?.n) >= waiters) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** `n` orders of new buyers (each its own email), ids `<tag>-0` on. */
export const newBuyerOrders = (tag: string, n: number) =>
  Array.from({ length: n }, (_, i) =>
    orderBody(`${tag}-${i}`, { buyer: { ...orderBody(0).buyer, email: `${tag}.${i}@example.com` } }),
  );

/**
 * A suite on PostgreSQL (skipped when it is not tested) with a Vow process per seed on one new
 * database, started before its tests and closed after them. `body` gets the processes at once, in
 * the seeds' order (`const [a, b] = writers`); they answer once the suite has started.
 */
export function describeOnProcesses(
  name: string,
  seeds: readonly number[],
  body: (writers: readonly Writer[]) => void,
): void {
  describe(`${name} [postgres]`, {
    skip: !testDialects().includes('postgres') && 'PostgreSQL not tested',
  }, () => {
    let started: Awaited<ReturnType<typeof processesOnOneDatabase>> | undefined;
    before(async () => {
      started = await processesOnOneDatabase(...seeds);
    });
    after(() => started?.close());
    const nth = (n: number): Writer => {
      if (!started) throw new Error('the processes are not started');
      return started.writers[n]!;
    };
    body(
      seeds.map((_, n) => ({
        get ctx() {
          return nth(n).ctx;
        },
        get services() {
          return nth(n).services;
        },
        get store() {
          return nth(n).store;
        },
      })),
    );
  });
}
