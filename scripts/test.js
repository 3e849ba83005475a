#!/usr/bin/env node
// Runs every test (or the files given) with Node's own runner, TypeScript through tsx.
// Decides which databases and browsers the run covers, and refuses to silently skip them in CI.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';

const CI = process.env.CI === 'true' || process.env.CI === '1';
const PG_URL = process.env.VOW_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const CHROMIUM = process.env.VOW_TEST_CHROMIUM ?? '/usr/bin/chromium';

function findTests(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...findTests(full));
    else if (name.endsWith('.test.ts')) out.push(full);
  }
  return out.sort();
}

async function postgresReachable() {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

const args = process.argv.slice(2);
const files = args.length > 0 ? args : findTests('test');
const env = { ...process.env, VOW_TEST_PG_URL: PG_URL };

if (!env.VOW_TEST_DIALECTS) {
  if (await postgresReachable()) env.VOW_TEST_DIALECTS = 'sqlite,postgres';
  else if (CI) {
    console.error(`PostgreSQL is not reachable at ${PG_URL}; CI must test both dialects.`);
    process.exit(1);
  } else {
    console.warn(`! PostgreSQL not reachable at ${PG_URL}: running the SQLite suite only.`);
    env.VOW_TEST_DIALECTS = 'sqlite';
  }
}
if (!existsSync(CHROMIUM)) {
  if (CI) {
    console.error(
      `Chromium is missing at ${CHROMIUM}; CI must run the browser tests (apt-get install -y chromium).`,
    );
    process.exit(1);
  }
  console.warn(`! No Chromium at ${CHROMIUM}: browser tests will be skipped.`);
  env.VOW_TEST_SKIP_BROWSER = '1';
}
console.log(`Dialects: ${env.VOW_TEST_DIALECTS}; ${files.length} test file(s)`);

const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${process.env.VOW_TEST_CONCURRENCY ?? 3}`, ...files],
  { stdio: 'inherit', env },
);
process.exit(result.status ?? 1);
