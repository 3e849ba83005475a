// The import benchmark (`VOW_BENCH_ONLY=import npm run bench`): a Shopify customer export of N people
// (VOW_BENCH_IMPORT_ROWS, default 20000) imported by `vow import`'s service, against a floor measured
// in the same run: the same file parsed and the same people's rows (a data key per person wrapped with
// AES-256-GCM under a master key, the identifiers sealed under it, HMAC-SHA256 blind indexes, a
// consent row; the blind indexes of the kinds Vow looks up by value indexed, as Vow indexes them)
// inserted with raw better-sqlite3 statements in transactions of 10,000. Also the same
// import into PostgreSQL (skipped when unreachable). Targets (issue 18): >= 0.25 of the floor and
// >= 20,000 people/s on SQLite; >= 5,000 people/s on PostgreSQL.
import { createCipheriv, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import SQLite from 'better-sqlite3';
import { parse } from 'csv-parse';
import pg from 'pg';
import pino from 'pino';
import { createContext } from '../src/app/context.js';
import { createServices } from '../src/app/services.js';
import { seededRandom } from '../src/platform/clock.js';
import { loadConfig } from '../src/platform/config.js';
import { BENCH_MASTER_KEY, type Out } from './common.js';

const HEADER =
  'Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Default Address Company,Default Address Address1,Default Address Address2,Default Address City,Default Address Province Code,Default Address Country Code,Default Address Zip,Default Address Phone,Phone,Accepts SMS Marketing,Total Spent,Total Orders,Note,Tax Exempt,Tags';

/** A Shopify customer export of n distinct people, half of them accepting email marketing. */
export function shopifyCustomersFile(dir: string, n: number): string {
  const file = path.join(dir, `customers_export_${n}.csv`);
  const lines = [HEADER];
  for (let i = 0; i < n; i++)
    lines.push(
      `${100000 + i},Ann${i},Bench,ann.bench.${i}@example.com,${i % 2 === 0 ? 'yes' : 'no'},,${i} Main St,,Madison,WI,US,53703,,,no,0.00,0,,no,`,
    );
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

function seal(key: Buffer, text: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([c.update(text, 'utf8'), c.final()]);
  return Buffer.concat([iv, c.getAuthTag(), body]).toString('base64');
}

/** The floor: parse the same file, seal and index the same people, insert with raw statements. */
async function floor(file: string, dir: string): Promise<number> {
  const db = new SQLite(path.join(dir, 'floor.sqlite'));
  db.pragma('journal_mode = WAL');
  db.exec(`create table data_keys (subject_id text primary key, wrapped_key text);
    create table identifiers (subject_id text, kind text, blind_index text, sealed text);
    create index identifiers_bi on identifiers (kind, blind_index) where kind in ('account', 'email', 'phone');
    create table registrations (id text primary key, subject_id text, sealed text);
    create table consent_state (subject_ref text, channel text, state text, primary key (subject_ref, channel));`);
  const insKey = db.prepare('insert into data_keys values (?, ?)');
  const insId = db.prepare('insert into identifiers values (?, ?, ?, ?)');
  const insReg = db.prepare('insert into registrations values (?, ?, ?)');
  const insConsent = db.prepare('insert into consent_state values (?, ?, ?)');
  const master = Buffer.from(BENCH_MASTER_KEY, 'base64');
  const indexKey = randomBytes(32);
  const bi = (kind: string, v: string) =>
    createHmac('sha256', indexKey).update(`${kind}:${v}`).digest('base64url');
  const write = db.transaction((batch: Record<string, string>[]) => {
    for (const r of batch) {
      const id = randomUUID();
      const key = randomBytes(32);
      insKey.run(id, seal(master, key.toString('base64')));
      const email = r.Email!.toLowerCase();
      insId.run(id, 'email', bi('email', email), seal(key, email));
      insId.run(id, 'account', bi('account', `shopify:${r['Customer ID']}`), seal(key, r['Customer ID']!));
      const address = `${r['Default Address Address1']}|${r['Default Address City']}|${r['Default Address Zip']}|US`;
      insId.run(id, 'address', bi('address', address), seal(key, address));
      insReg.run(
        randomUUID(),
        id,
        seal(key, JSON.stringify({ name: `${r['First Name']} ${r['Last Name']}` })),
      );
      if (r['Accepts Email Marketing'] === 'yes') insConsent.run(id, 'account_updates', 'granted');
    }
  });
  const t0 = performance.now();
  let batch: Record<string, string>[] = [];
  let n = 0;
  for await (const r of createReadStream(file).pipe(parse({ columns: true })) as AsyncIterable<
    Record<string, string>
  >) {
    batch.push(r);
    n++;
    if (batch.length === 10_000) {
      write(batch);
      batch = [];
    }
  }
  write(batch);
  const rate = n / ((performance.now() - t0) / 1000);
  db.close();
  return rate;
}

async function importInto(
  env: Record<string, string>,
  file: string,
  log: (s: string) => void,
): Promise<{ rate: number; seconds: number; peakRssMb: number; refused: number }> {
  const ctx = await createContext(
    loadConfig({ VOW_LOG_LEVEL: 'silent', VOW_MASTER_KEY: BENCH_MASTER_KEY, ...env }),
    { logger: pino({ level: 'silent' }), random: seededRandom(18, { ordered: true }) },
  );
  try {
    let peak = process.memoryUsage().rss;
    let shown = 0;
    const t0 = performance.now();
    const report = await createServices(ctx).imports.run({
      file,
      format: 'shopify-customers',
      onProgress: (p) => {
        peak = Math.max(peak, process.memoryUsage().rss);
        if (p.units - shown >= 10_000) {
          shown = p.units;
          log(
            `  imported ${p.units.toLocaleString('en-US')} (${Math.round((p.units * 1000) / p.elapsedMs)} rows/s)`,
          );
        }
      },
    });
    const seconds = (performance.now() - t0) / 1000;
    return {
      rate: report.counts.units / seconds,
      seconds,
      peakRssMb: peak / 2 ** 20,
      refused: report.counts.refused,
    };
  } finally {
    await ctx.store.close();
  }
}

export async function benchImport(out: Out): Promise<void> {
  const n = Math.round(Number(process.env.VOW_BENCH_IMPORT_ROWS ?? 20_000));
  // Which stores (VOW_BENCH_IMPORT_STORES, both by default): one alone for alternated A/B runs.
  const stores = (process.env.VOW_BENCH_IMPORT_STORES ?? 'sqlite,postgres').split(',');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vow-bench-import-'));
  try {
    const file = shopifyCustomersFile(dir, n);
    let floorRate = Number.NaN;
    if (stores.includes('sqlite')) floorRate = await sqliteRows(file, dir, n, out);
    if (stores.includes('postgres')) await postgresRow(file, dir, n, floorRate, out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The SQLite floor and `vow import` into SQLite; returns the floor. */
async function sqliteRows(file: string, dir: string, n: number, out: Out): Promise<number> {
  out.log(`import: floor (raw better-sqlite3) for ${n.toLocaleString('en-US')} people …`);
  const floorRate = await floor(file, dir);
  out.log(`import: vow import into SQLite …`);
  const sqlite = await importInto({ VOW_DATA_DIR: path.join(dir, 'vow') }, file, out.log);
  if (sqlite.refused > 0) throw new Error(`the bench file had ${sqlite.refused} refused rows`);
  out.rows.push({
    name: `vow import, ${n.toLocaleString('en-US')} Shopify customers into SQLite`,
    value: sqlite.rate,
    unit: `people/s (${sqlite.seconds.toFixed(1)} s; peak RSS ${Math.round(sqlite.peakRssMb)} MB)`,
    floorName: 'raw better-sqlite3 inserts of the same sealed rows',
    floor: floorRate,
    ratio: sqlite.rate / floorRate,
    target: '>= 0.25 of floor and >= 20,000 people/s',
    met: sqlite.rate / floorRate >= 0.25 && sqlite.rate >= 20_000,
  });
  return floorRate;
}

/** `vow import` into a new PostgreSQL database (skipped when none is reachable), dropped after. */
async function postgresRow(file: string, dir: string, n: number, floorRate: number, out: Out): Promise<void> {
  const admin = new pg.Client({
    connectionString: process.env.VOW_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    connectionTimeoutMillis: 3000,
  });
  try {
    await admin.connect();
  } catch {
    out.notes.push('vow import on PostgreSQL: skipped, no PostgreSQL reachable');
    return;
  }
  const name = `vow_bench_import_${randomBytes(4).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${name}`);
  try {
    const url = new URL(process.env.VOW_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
    url.pathname = `/${name}`;
    out.log('import: vow import into PostgreSQL …');
    const p = await importInto(
      { VOW_DATABASE_URL: url.toString(), VOW_DATA_DIR: path.join(dir, 'pg') },
      file,
      out.log,
    );
    out.rows.push({
      name: `vow import, ${n.toLocaleString('en-US')} Shopify customers into PostgreSQL`,
      value: p.rate,
      unit: `people/s (${p.seconds.toFixed(1)} s)`,
      floorName: Number.isNaN(floorRate) ? 'no floor (SQLite not run)' : 'the SQLite floor above',
      floor: floorRate,
      ratio: p.rate / floorRate,
      target: '>= 5,000 people/s',
      met: p.rate >= 5_000,
    });
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}
