// Test environments: a migrated store per dialect (a throw-away PostgreSQL database each), a
// context with a manual clock and seeded randomness, and the app built in-process.
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe } from 'node:test';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import pino from 'pino';
import { type ContextOverrides, createContext } from '../../src/app/context.js';
import { MIGRATIONS, migrate } from '../../src/app/migrations.js';
import { createServices, type ServiceOptions, type Services } from '../../src/app/services.js';
import { buildApp } from '../../src/http/app.js';
import type { Lookup } from '../../src/modules/downstream/index.js';
import { loadPolicy, type Policy, type VowContext } from '../../src/modules/policy/index.js';
import { ManualClock, seededRandom } from '../../src/platform/clock.js';
import { type Config, loadConfig } from '../../src/platform/config.js';
import type { DialectName } from '../../src/platform/store/migration-kit.js';
import { openStore, type Store } from '../../src/platform/store/open-store.js';

export const PG_URL = process.env.VOW_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export function testDialects(): DialectName[] {
  const list = (process.env.VOW_TEST_DIALECTS ?? 'sqlite').split(',').map((s) => s.trim());
  return list.filter((d): d is DialectName => d === 'sqlite' || d === 'postgres');
}

/**
 * A fresh store: SQLite in memory, or a new PostgreSQL database dropped afterwards. Empty, or with
 * `migrated`, already holding Vow's schema: a copy of a store migrated once (on PostgreSQL a
 * template database per set of migrations, about 0.3 s saved per suite; on SQLite the bytes of one
 * migrated in memory per process, 25-30 ms of CPU saved per suite).
 */
export async function createTestStore(
  dialect: DialectName,
  options: { migrated?: boolean } = {},
): Promise<{ store: Store; url?: string; drop: () => Promise<void> }> {
  if (dialect === 'sqlite') {
    const store = options.migrated
      ? await openStore({ sqliteImage: await migratedSqliteImage() })
      : await openStore({ sqliteFile: ':memory:' });
    return { store, drop: () => store.close() };
  }
  const name = `vow_t_${randomBytes(6).toString('hex')}`;
  const template = options.migrated ? await migratedTemplate() : undefined;
  await adminQuery(
    `CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`,
    // A commit returns before its WAL reaches the disk: a throw-away database needs no durability
    // against a crash of the server, and each commit's flush cost a test 5-8 ms of waiting (every
    // connection to it, a `vow` child process's too, takes the setting; visibility is unchanged).
    `ALTER DATABASE ${name} SET synchronous_commit = off`,
  );
  const url = databaseUrl(name);
  const store = await openStore({ databaseUrl: url, poolSize: 5 });
  return {
    store,
    url,
    drop: async () => {
      await store.close();
      dropLater(name);
    },
  };
}

/**
 * Drops a test database without the suite waiting for it: PostgreSQL forces a checkpoint per
 * dropped database (0.3-3.6 s on the test machine), which the next suite need not wait for. The
 * admin connection keeps the process alive until the drop is done; a failed drop is reported on
 * stderr (the database is left behind, nothing a test checks depends on it).
 */
function dropLater(name: string): void {
  adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch((error: unknown) => {
    console.error(`! test database ${name} not dropped: ${(error as Error).message}`);
  });
}

function databaseUrl(name: string): string {
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function adminQuery(...texts: string[]): Promise<void> {
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  try {
    for (const text of texts) await admin.query(text);
  } finally {
    await admin.end();
  }
}

let sqliteImage: Promise<Buffer> | undefined;

/** The bytes of an in-memory SQLite store holding every migration, made once per process. */
function migratedSqliteImage(): Promise<Buffer> {
  sqliteImage ??= (async () => {
    const store = await openStore({ sqliteFile: ':memory:' });
    try {
      await migrate(store);
      return (store.image as () => Buffer)();
    } finally {
      await store.close();
    }
  })();
  return sqliteImage;
}

let template: Promise<string> | undefined;

/**
 * The name of a PostgreSQL database holding every migration, made once per set of migrations (its
 * name carries their hash, so a changed migration makes a new one) and shared by every test process:
 * the first process to need it builds it under an advisory lock, under a temporary name it renames
 * when done, so no process copies a half-migrated template.
 */
function migratedTemplate(): Promise<string> {
  template ??= (async () => {
    const hash = createHash('sha256');
    for (const [name, migration] of Object.entries(MIGRATIONS)) hash.update(`${name}\0${migration.up}\0`);
    const name = `vow_tpl_${hash.digest('hex').slice(0, 16)}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    try {
      await admin.query('SELECT pg_advisory_lock(7070)');
      const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (found.rowCount === 0) {
        const building = `${name}_building`;
        await admin.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
        await admin.query(`CREATE DATABASE ${building}`);
        const store = await openStore({ databaseUrl: databaseUrl(building), poolSize: 1 });
        try {
          await migrate(store);
        } finally {
          await store.close();
        }
        await admin.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
      }
    } finally {
      await admin.query('SELECT pg_advisory_unlock(7070)').catch(() => {});
      await admin.end();
    }
    return name;
  })();
  return template;
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
  /** What the services replace (a test's resolver of webhook hosts). */
  readonly services?: ServiceOptions;
}

/**
 * The resolver of webhook hosts in tests (never the network): `localhost` is 127.0.0.1, every other
 * name a public address. A test that needs other answers passes its own (`services.webhookResolver`).
 */
export const testLookup: Lookup = (hostname, _options, callback) =>
  callback(null, [
    hostname === 'localhost' ? { address: '127.0.0.1', family: 4 } : { address: '93.184.216.34', family: 4 },
  ]);

/**
 * The policies test contexts run under, each read once per process (up to six test files share one,
 * scripts/test-groups.js): reading the shipped policy costs 0.15-0.3 s of CPU, and a test file builds
 * a context per dialect and per suite. Its document is frozen, as a running Vow never changes the
 * policy it loaded: code or a test that changed it would throw here instead of changing what the
 * next test reads.
 */
const policies = new Map<string, Policy>();
export function testPolicy(file: string | undefined): Policy {
  const key = file ?? '';
  let policy = policies.get(key);
  if (policy === undefined) {
    policy = loadPolicy(file);
    deepFreeze(policy.doc);
    policies.set(key, policy);
  }
  return policy;
}

function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const v of Object.values(value)) deepFreeze(v);
}

export async function createTestEnv(
  dialect: DialectName,
  overrides: TestEnvOptions = {},
): Promise<TestEnv & { close: () => Promise<void> }> {
  const { store, drop } = await createTestStore(dialect, { migrated: true });
  const clock = new ManualClock();
  const config = overrides.config ?? testConfig();
  const ctx = await createContext(config, {
    policy: testPolicy(config.policyPath),
    clock,
    random: seededRandom(42),
    logger: pino({ level: 'silent' }),
    ...overrides,
    store,
  });
  const services = createServices(ctx, overrides.services ?? { webhookResolver: { lookup: testLookup } });
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

/**
 * A suite that runs on PostgreSQL only (what it checks is about PostgreSQL: its statements as round
 * trips, its locks), skipped when PostgreSQL is not under test: `describeEachDialect`'s one case.
 */
export function describeOnPostgres(
  name: string,
  body: (env: () => TestEnv) => void,
  overrides: TestEnvOptions = {},
): void {
  describe(`${name} [postgres]`, {
    skip: !testDialects().includes('postgres') && 'PostgreSQL not tested',
  }, () => {
    let current: (TestEnv & { close: () => Promise<void> }) | undefined;
    before(async () => {
      current = await createTestEnv('postgres', overrides);
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
