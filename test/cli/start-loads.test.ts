// What a start of the real `vow` command loads: the command line alone for help and mistakes, and
// for a command only what that command needs (main.ts imports each command's work when it runs).
// Loading the whole app cost about 1.1 s of CPU at every start (docs/operations.md, "What a start of
// vow costs"); a static import of the app in src/cli/ brings that back, and this test names it.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runVow } from '../helpers/vow-command.js';

const RECORDER = fileURLToPath(new URL('../helpers/module-log.mjs', import.meta.url));
const MINIMAL = fileURLToPath(new URL('../../policies/minimal.yaml', import.meta.url));
const EXAMPLE_SHOP = fileURLToPath(new URL('../../datasets/example-shop.yaml', import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'vow-start-'));
let runs = 0;

/** Runs `vow ...args`; returns its run and the URLs of the modules it loaded. */
async function loads(args: string[], env: Record<string, string> = {}) {
  const log = path.join(dir, `modules-${runs++}.txt`);
  const run = await runVow(args, { ...env, MODULE_LOG: log }, { nodeArgs: ['--import', RECORDER] });
  const urls = readFileSync(log, 'utf8').trim().split('\n');
  assert.ok(
    urls.some((u) => /\/src\/cli\/main\.(js|ts)$/.test(u)),
    'the log holds the command itself',
  );
  return { run, urls };
}

/** What no start needs before its command runs: the app, the HTTP server, the store and its drivers. */
const APP = [
  /\/src\/app\//,
  /\/src\/http\//,
  /\/src\/platform\/store\//,
  /\/node_modules\/(fastify|kysely|pg|better-sqlite3|mysql2|@node-rs\/argon2|playwright-core)\//,
];

function assertNone(urls: readonly string[], patterns: readonly RegExp[]): void {
  const loaded = urls.filter((u) => patterns.some((p) => p.test(u)));
  assert.deepEqual(loaded, [], `loaded:\n${loaded.slice(0, 10).join('\n')}`);
}

describe('vow: what a start loads', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('--help and a mistake on the command line load the command line only: no module of Vow, no zod', async () => {
    for (const args of [
      ['--help'],
      ['--bogus'],
      ['migrate', '--bogus'],
      ['staff', 'add', 'ann'],
      ['import', 'x.csv'],
    ]) {
      const { run, urls } = await loads(args);
      assert.equal(run.code, args[0] === '--help' ? 0 : 1, run.stderr);
      assertNone(urls, [...APP, /\/src\/modules\//, /\/node_modules\/zod\//]);
    }
  });

  it('`vow policy check` loads the policy and what each check covers: not the checks, the store or the app', async () => {
    const { run, urls } = await loads(['policy', 'check', MINIMAL]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /valid\. Version/);
    // The warning about a check minimal.yaml names no promise for: what it needs came through the
    // promises module's light entry (light.ts), without the checks' code, the store or kysely.
    assert.match(run.stderr, /warning: the promise monitor's reports check/);
    assertNone(urls, [...APP, /\/src\/modules\/promises\/(index|promise-monitor|families|checks\/)/]);
  });

  it('the policy and dataset commands that read files load neither the store, kysely nor the app', async () => {
    for (const args of [
      ['datasets', 'check', EXAMPLE_SHOP],
      ['records-of-processing', '--csv'],
    ]) {
      const { run, urls } = await loads(args);
      assert.equal(run.code, 0, `${args.join(' ')}: ${run.stderr}`);
      assert.ok(run.stdout.length > 0, args.join(' '));
      // The datasets module's light entry: no connector, walker or seeding (kysely, the drivers).
      assertNone(urls, [...APP, /\/src\/modules\/datasets\/(index|connect|walker|service)\.(js|ts)$/]);
    }
  });

  it('`vow policy notice -f html` renders the page without the app: no route helpers, error registry, identity or store', async () => {
    // The notice page's frame (shopper-layout.ts) needs only the page's language (page-locale.ts);
    // through route-helpers.ts it brought the error registry, so every module, the store and kysely.
    const { run, urls } = await loads(['policy', 'notice', '-f', 'html', '--policy', MINIMAL]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^<!doctype html>/i);
    assertNone(urls, [
      /\/src\/app\//,
      /\/src\/http\/(route-helpers|app|access)\.(js|ts)$/,
      /\/src\/platform\/store\//,
      /\/src\/modules\/(?!policy\/)[^/]+\//,
      /\/node_modules\/(fastify|kysely|pg|better-sqlite3|nodemailer|openid-client)\//,
    ]);
  });

  it('the store commands load the store and the migrations, not every module or the mail transports', async () => {
    // src/app/migrations.ts reads each module's migrations through its light entry (light.ts), and
    // the mail part's through its own: through index.ts every module's services came with them.
    const store = mkdtempSync(path.join(dir, 'store-'));
    for (const args of [['migrate'], ['audit', 'verify']]) {
      const { run, urls } = await loads(args, { VOW_DATA_DIR: store });
      assert.equal(run.code, 0, `${args.join(' ')}: ${run.stderr}`);
      assert.ok(
        urls.some((u) => /\/src\/modules\/identity\/migrations\//.test(u)),
        'the migrations were loaded',
      );
      assertNone(urls, [
        /\/src\/app\/(services|error-registry)\.(js|ts)$/,
        /\/src\/http\//,
        // The policy module is the context's (the policy in force); no other module's index.
        /\/src\/modules\/(?!policy\/)[^/]+\/index\.(js|ts)$/,
        /\/node_modules\/(fastify|nodemailer|smtp-server|openid-client|jose|libphonenumber-js|@node-rs\/argon2)\//,
      ]);
    }
  });

  it('the help of `vow staff add` and `vow import` still lists the roles and the formats', async () => {
    // Commander wraps the help at 80 columns: compared with the white space made single.
    const help = async (args: string[]) => (await runVow(args, {})).stdout.replace(/\s+/g, ' ');
    assert.match(
      await help(['staff', 'add', '--help']),
      /comma-separated: privacy_officer, customer_service, marketing, auditor, admin /,
    );
    assert.match(
      await help(['staff', 'api-key', 'create', '--help']),
      /comma-separated: decide: Ask whether data may be used for a purpose .* all: Everything an API key can reach/,
    );
    assert.match(
      await help(['help', 'import']),
      /-f, --format <format> shopify-customers, shopify-orders, mailchimp, klaviyo, sms-optouts, ndjson /,
    );
  });
});
