// Runs Vow as a real child process (`node bin/vow.js serve`) on a throw-away store, the way an
// operator does, for the fault and multi-process tests: SIGKILL, database outages, full disks.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { createContext } from '../../src/app/context.js';
import { createIdentityServices } from '../../src/modules/identity/index.js';
import { loadConfig } from '../../src/platform/config.js';
import type { DialectName } from '../../src/platform/store/migration-kit.js';
import { openStore, type Store } from '../../src/platform/store/open-store.js';
import { createTestStore } from '../helpers/env.js';

const BIN = fileURLToPath(new URL('../../bin/vow.js', import.meta.url));
export const MASTER_KEY = Buffer.alloc(32, 9).toString('base64');

export interface VowStore {
  readonly dialect: DialectName;
  /** VOW_DATA_DIR (SQLite) or VOW_DATABASE_URL (PostgreSQL) for the child. */
  readonly env: Record<string, string>;
  /** The shop backend's API key, made before the first start (as `vow staff api-key create`). */
  readonly apiKey: string;
  readonly dataDir: string;
  /** Opens the same store from the test (after the child is gone, or alongside on PostgreSQL). */
  open(): Promise<Store>;
  drop(): Promise<void>;
}

export async function createVowStore(
  dialect: DialectName,
  options: { dataDir?: string; databaseUrl?: string } = {},
): Promise<VowStore> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'vow-fault-'));
  let url = options.databaseUrl;
  let dropDb: (() => Promise<void>) | undefined;
  if (dialect === 'postgres' && !url) {
    const t = await createTestStore('postgres');
    await t.store.close();
    url = t.url!;
    dropDb = async () => {
      const { default: pg } = await import('pg');
      const c = new pg.Client({
        connectionString: process.env.VOW_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
      });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${new URL(url!).pathname.slice(1)} WITH (FORCE)`);
      await c.end();
    };
  }
  const env: Record<string, string> = { VOW_DATA_DIR: dataDir, ...(url ? { VOW_DATABASE_URL: url } : {}) };
  const ctx = await createContext(
    loadConfig({ ...env, VOW_MASTER_KEY: MASTER_KEY, VOW_LOG_LEVEL: 'silent' }),
    { logger: pino({ level: 'silent' }) },
  );
  const { key } = await createIdentityServices(ctx).apiKeys.create('fault test shop backend', null, ['all']);
  await ctx.store.close();
  return {
    dialect,
    env,
    apiKey: key,
    dataDir,
    open: () => openStore({ databaseUrl: url, dataDir, poolSize: 2 }),
    drop: async () => {
      await dropDb?.();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface VowProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the signal or exit code once the process is gone. */
  readonly exited: Promise<string>;
  stop(): Promise<string>;
}

/** Starts `node bin/vow.js serve` on a free loopback port; resolves once it listens. */
export async function startVow(env: Record<string, string>): Promise<VowProcess> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VOW_')));
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: {
      ...clean,
      VOW_PORT: '0',
      VOW_HOST: '127.0.0.1',
      VOW_LOG_LEVEL: 'warn',
      VOW_MASTER_KEY: MASTER_KEY,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? String(code))),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /Vow is listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve(m[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => {
      out += d.toString();
    });
    void exited.then((how) => reject(new Error(`vow serve exited (${how}) before listening:\n${out}`)));
  });
  return {
    url,
    child,
    output: () => out,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** A valid order body; `n` makes the buyer and the order id unique (the benchmark's own). */
export { benchOrder as orderBody } from '../../bench/common.js';

export async function post(
  url: string,
  apiKey: string,
  body: unknown,
): Promise<{ status: number; body: Record<string, unknown>; retryAfter: string | null }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {}
  return { status: res.status, body: parsed, retryAfter: res.headers.get('retry-after') };
}

/** Checks that each order is whole: its buyer, their identifiers, the record link and the consent rule ran. */
export async function assertOrdersWhole(store: Store, shopOrderIds: readonly string[]): Promise<string[]> {
  const problems: string[] = [];
  const db = store.db;
  for (const shopOrderId of shopOrderIds) {
    const order = await db
      .selectFrom('orders')
      .select(['id', 'buyer_subject_id'])
      .where('shop_order_id', '=', shopOrderId)
      .executeTakeFirst();
    if (!order) {
      problems.push(`${shopOrderId}: missing`);
      continue;
    }
    const subject = await db
      .selectFrom('subjects')
      .select('id')
      .where('id', '=', order.buyer_subject_id)
      .executeTakeFirst();
    const ids = await db
      .selectFrom('subject_identifiers')
      .select('id')
      .where('record_id', '=', order.id)
      .execute();
    const recs = await db
      .selectFrom('subject_records')
      .select('id')
      .where('record_id', '=', order.id)
      .execute();
    if (!subject || ids.length < 3 || recs.length !== 1) problems.push(`${shopOrderId}: half-written`);
  }
  // Nothing half-written anywhere: no identifiers or record links without their order.
  const orphans = await db
    .selectFrom('subject_records')
    .leftJoin('orders', 'orders.id', 'subject_records.record_id')
    .select('subject_records.record_id')
    .where('subject_records.record_type', '=', 'order')
    .where('orders.id', 'is', null)
    .execute();
  if (orphans.length > 0) problems.push(`${orphans.length} record link(s) without their order`);
  return problems;
}
