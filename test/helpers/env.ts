// Test environments: a migrated store per dialect (a throw-away PostgreSQL database each), a
// context with a manual clock and seeded randomness, and the app built in-process.
import { randomBytes } from 'node:crypto';
import { after, before, describe } from 'node:test';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import pino from 'pino';
import { type ContextOverrides, createContext } from '../../src/app/context.js';
import { createServices, type Services } from '../../src/app/services.js';
import { buildApp } from '../../src/http/app.js';
import type { VowContext } from '../../src/modules/policy/index.js';
import { ManualClock, seededRandom } from '../../src/platform/clock.js';
import { type Config, loadConfig } from '../../src/platform/config.js';
import type { DialectName } from '../../src/platform/store/migration-kit.js';
import { openStore, type Store } from '../../src/platform/store/open-store.js';

export const PG_URL = process.env.VOW_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export function testDialects(): DialectName[] {
  const list = (process.env.VOW_TEST_DIALECTS ?? 'sqlite').split(',').map((s) => s.trim());
  return list.filter((d): d is DialectName => d === 'sqlite' || d === 'postgres');
}

/** A fresh, empty store: SQLite in memory, or a new PostgreSQL database dropped afterwards. */
export async function createTestStore(
  dialect: DialectName,
): Promise<{ store: Store; url?: string; drop: () => Promise<void> }> {
  if (dialect === 'sqlite') {
    const store = await openStore({ sqliteFile: ':memory:' });
    return { store, drop: () => store.close() };
  }
  const name = `vow_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  const store = await openStore({ databaseUrl: url.toString(), poolSize: 5 });
  return {
    store,
    url: url.toString(),
    drop: async () => {
      await store.close();
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export interface TestEnv {
  readonly dialect: DialectName;
  readonly ctx: VowContext;
  readonly clock: ManualClock;
  readonly services: Services;
  readonly app: FastifyInstance;
  readonly store: Store;
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    VOW_DATA_DIR: '.tmp/test-data',
    VOW_LOG_LEVEL: 'silent',
    VOW_ENV: 'test',
    // A fixed test key (never used outside tests).
    VOW_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
    ...overrides,
  });
}

export interface TestEnvOptions extends ContextOverrides {
  readonly config?: Config;
  /**
   * `test-principal` (the default): every request is authenticated as a test principal holding
   * every role (send `x-vow-test-subject: <subject id>` to act as that shopper). `enforced`: real
   * access control, as in production (security tests).
   */
  readonly auth?: 'test-principal' | 'enforced';
  /** Per-address rate limits; by default on only when auth is enforced. */
  readonly rateLimits?: boolean;
}

export async function createTestEnv(
  dialect: DialectName,
  overrides: TestEnvOptions = {},
): Promise<TestEnv & { close: () => Promise<void> }> {
  const { store, drop } = await createTestStore(dialect);
  const clock = new ManualClock();
  const ctx = await createContext(overrides.config ?? testConfig(), {
    clock,
    random: seededRandom(42),
    logger: pino({ level: 'silent' }),
    ...overrides,
    store,
  });
  const services = createServices(ctx);
  const enforced = overrides.auth === 'enforced';
  const app = await buildApp(
    ctx,
    {
      logger: false,
      ...(enforced ? {} : { testPrincipal: 'all-roles' as const }),
      rateLimits: overrides.rateLimits ?? enforced,
    },
    services,
  );
  await app.ready();
  return {
    dialect,
    ctx,
    clock: ctx.clock as ManualClock,
    services,
    app,
    store,
    close: async () => {
      await app.close();
      await drop();
    },
  };
}

/**
 * Runs the same suite once per dialect under test. `env()` gives the environment of the current
 * dialect (fresh per suite, shared by the tests inside it).
 */
export function describeEachDialect(
  name: string,
  body: (env: () => TestEnv) => void,
  overrides: TestEnvOptions = {},
): void {
  for (const dialect of testDialects()) {
    describe(`${name} [${dialect}]`, () => {
      let current: (TestEnv & { close: () => Promise<void> }) | undefined;
      before(async () => {
        current = await createTestEnv(dialect, overrides);
      });
      after(async () => {
        await current?.close();
      });
      body(() => {
        if (!current) throw new Error('test environment not ready');
        return current;
      });
    });
  }
}
