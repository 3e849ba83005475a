// Throw-away example-shop databases on each engine the datasets connectors support: SQLite (a temp
// file), PostgreSQL and MariaDB (a new database per suite, dropped afterwards).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createConnection } from 'mysql2/promise';
import pg from 'pg';
import type { DatasetEngine } from '../../src/modules/datasets/index.js';
import { seedExampleShop } from '../../src/modules/datasets/seed-example.js';

// Kept apart from test/helpers/env.ts so these suites do not load the whole app.
export const PG_URL = process.env.VOW_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const testDialects = (): string[] =>
  (process.env.VOW_TEST_DIALECTS ?? 'sqlite').split(',').map((s) => s.trim());

export const MYSQL_URL = process.env.VOW_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

async function mysqlAdmin() {
  const u = new URL(MYSQL_URL);
  return createConnection({
    host: u.hostname,
    port: Number(u.port || 3306),
    user: decodeURIComponent(u.username || 'root'),
    password: decodeURIComponent(u.password),
  });
}

let mysqlUp: boolean | undefined;
async function mysqlReachable(): Promise<boolean> {
  if (mysqlUp !== undefined) return mysqlUp;
  try {
    const c = await mysqlAdmin();
    await c.end();
    mysqlUp = true;
  } catch {
    mysqlUp = false;
  }
  return mysqlUp;
}

/** Engines under test: SQLite always, PostgreSQL when its suite runs, MariaDB when reachable (required in CI). */
export function datasetEngines(): DatasetEngine[] {
  const out: DatasetEngine[] = ['sqlite'];
  if (testDialects().includes('postgres')) out.push('postgres');
  if (process.env.VOW_TEST_SKIP_MYSQL !== '1') out.push('mysql');
  return out;
}

export interface ScratchDb {
  readonly url: string;
  drop(): Promise<void>;
}

/** An empty database on the engine; `skip` when MariaDB is not there (outside CI). */
export async function scratchDatabase(engine: DatasetEngine): Promise<ScratchDb | 'skip'> {
  const name = `vow_ds_${randomBytes(5).toString('hex')}`;
  if (engine === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'vow-ds-'));
    return {
      url: `sqlite:${path.join(dir, 'shop.sqlite')}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  if (engine === 'postgres') {
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(PG_URL);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      drop: async () => {
        const c = new pg.Client({ connectionString: PG_URL });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      },
    };
  }
  if (!(await mysqlReachable())) {
    if (process.env.CI === 'true')
      throw new Error(`MariaDB is not reachable at ${MYSQL_URL}; CI must test it`);
    return 'skip';
  }
  const admin = await mysqlAdmin();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(MYSQL_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = await mysqlAdmin();
      await c.query(`DROP DATABASE IF EXISTS ${name}`);
      await c.end();
    },
  };
}

/** A scratch database holding the example shop. */
export async function exampleShopDatabase(engine: DatasetEngine): Promise<ScratchDb | 'skip'> {
  const db = await scratchDatabase(engine);
  if (db === 'skip') return db;
  await seedExampleShop(db.url);
  return db;
}
