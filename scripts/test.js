#!/usr/bin/env node
// Runs every test (or the files given) with Node's own runner, from the repository compiled to
// JavaScript in .tmp/test-build/<pid> (bin/compile.js; VOW_TEST_TSX=1 runs the TypeScript through tsx).
// Decides which databases and browsers the run covers, and refuses to silently skip them in CI.
// Most files share a process with a few others (scripts/test-groups.js; VOW_TEST_GROUP=1: each
// file in its own); the long ones (LONG_FIRST) run alone and start first.
// VOW_TEST_TIMINGS=<file> also writes each test file's time there, slowest first.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { buildTree, inTree } from '../bin/compile.js';
import { DEFAULT_GROUP, entryOf, planUnits } from './test-groups.js';

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

/**
 * Files that take minutes (browsers, killed processes, real-time leases) start first, the longest
 * first, so the run does not end waiting on one of them while the other slots are idle
 * (VOW_TEST_TIMINGS shows which files those are; the order below is from its list of 6 December).
 */
const LONG_FIRST = [
  'test/e2e/shopper-forms',
  'test/e2e/shopper-pages',
  'test/e2e/console-ux',
  'test/cli/import-exit-code',
  'test/rights/sigkill-resume',
  'test/promises/injected-violations',
  'test/e2e/',
  'test/rights/sigkill-',
  'test/faults/',
  'test/docs/examples',
  'test/imports/resume',
];
const rank = (f) => {
  const i = LONG_FIRST.findIndex((prefix) => f.startsWith(prefix));
  return i === -1 ? LONG_FIRST.length : i;
};

const args = process.argv.slice(2);
// A folder given stands for the test files under it (Node's run() takes files only).
const given = args.flatMap((a) => (existsSync(a) && statSync(a).isDirectory() ? findTests(a) : [a]));
const files = (args.length > 0 ? given : findTests('test')).sort((a, b) => rank(a) - rank(b));
const groupSize = Number(process.env.VOW_TEST_GROUP ?? DEFAULT_GROUP);
if (!Number.isInteger(groupSize) || groupSize < 1) {
  console.error(`VOW_TEST_GROUP must be a whole number of at least 1, not ${process.env.VOW_TEST_GROUP}`);
  process.exit(2);
}
// Every file LONG_FIRST names runs alone, but for the rest of test/e2e/ (browser files, which share a
// process and a Chromium with a few of their kind: scripts/test-groups.js).
const alone = (f) => rank(f) < LONG_FIRST.length && LONG_FIRST[rank(f)] !== 'test/e2e/';
const units = planUnits(files, { alone, size: groupSize });
// Every /v1 answer's code must be in its route's list in /openapi.json (src/http/openapi-errors.ts):
// a route answering an undocumented code fails its test. VOW_TEST_ERROR_CODES=<file> records instead.
const env = { VOW_TEST_ERROR_CODES: '1', ...process.env, VOW_TEST_PG_URL: PG_URL };

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
console.log(
  `Dialects: ${env.VOW_TEST_DIALECTS}; ${files.length} test file(s) in ${units.length} process(es)`,
);

const root = process.cwd();
const viaTsx = process.env.VOW_TEST_TSX === '1';
// A tree per run, so two runs in one checkout do not rebuild under each other.
const tree = viaTsx ? undefined : path.join(root, '.tmp', 'test-build', String(process.pid));
if (tree) {
  rmSync(tree, { recursive: true, force: true });
  await buildTree(root, tree);
}
// A group's generated module, beside the tree (the tree itself with tsx: none).
const groups = path.join(root, '.tmp', 'test-build', `${process.pid}.groups`);
const where = (f) => (tree ? inTree(root, tree, f) : path.resolve(root, f));
const entries = units.map((unit, i) => entryOf(unit, i, groups, where));
// scripts/test-run.js runs the files with Node's runner in this order (`node --test` would sort them).
const result = spawnSync(
  process.execPath,
  [
    ...(viaTsx ? ['--import', 'tsx'] : ['--enable-source-maps']),
    path.join(root, 'scripts/test-run.js'),
    ...entries,
  ],
  { stdio: 'inherit', env },
);
if (tree) rmSync(tree, { recursive: true, force: true });
rmSync(groups, { recursive: true, force: true });
process.exit(result.status ?? 1);
