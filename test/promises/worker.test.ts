// The checks off the request path: a store in a file (SQLite) or the configured PostgreSQL is checked
// in a worker thread with its own connection, at the instant the run was asked for, and the answer
// comes back whole; a worker that cannot run answers VOW_PROMISES_CHECK_FAILED. (A store in memory
// is checked inline: a worker could not open it.)
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import pino from 'pino';
import { createContext } from '../../src/app/context.js';
import { createServices } from '../../src/app/services.js';
import { WorkerRunner } from '../../src/modules/promises/index.js';
import { ManualClock, seededRandom } from '../../src/platform/clock.js';
import { isVowError } from '../../src/platform/errors.js';
import { orderBody, post } from '../collection/fixtures.js';
import { createTestStore, testConfig, testDialects } from '../helpers/env.js';

async function scenario(overrides: Record<string, string>) {
  const dir = mkdtempSync(path.join(tmpdir(), 'vow-worker-'));
  const config = testConfig({ VOW_DATA_DIR: dir, ...overrides });
  const clock = new ManualClock('2026-02-02T09:30:00.000Z');
  const ctx = await createContext(config, {
    clock,
    random: seededRandom(7),
    logger: pino({ level: 'silent' }),
  });
  const services = createServices(ctx);
  const { buildApp } = await import('../../src/http/app.js');
  const app = await buildApp(ctx, { logger: false, testPrincipal: 'all-roles' }, services);
  await app.ready();
  const env = { app } as never;
  const res = await post(env, '/v1/orders', orderBody(`worker-${Math.floor(Math.random() * 1e9)}`));
  assert.equal(res.statusCode, 201, res.body);
  const subjectId = (res.json() as { subjectId: string }).subjectId;
  return {
    dir,
    ctx,
    services,
    app,
    subjectId,
    close: async () => {
      await app.close();
      await ctx.store.close();
    },
  };
}

async function breakAndCheck(s: Awaited<ReturnType<typeof scenario>>) {
  assert.equal(s.services.promises.checks.where, 'worker');
  const clean = await s.services.promises.checks.run('full');
  assert.equal(clean.startedAt, '2026-02-02T09:30:00.000Z', 'the worker runs at the instant asked');
  assert.deepEqual(
    clean.results.filter((r) => r.status === 'broken').map((r) => r.promise),
    [],
  );
  await s.services.consent.unsubscribe(undefined, {
    subjectId: s.subjectId,
    channel: 'email_marketing',
    cause: { type: 'link_click' },
  });
  await sql`update consent_state set state = 'enrolled' where subject_ref = ${s.subjectId}`.execute(
    s.ctx.store.db,
  );
  const run = await s.services.promises.checks.run('auto');
  assert.equal(run.mode, 'incremental');
  const p11 = run.results.find((r) => r.promise === 'P11')!;
  assert.equal(p11.status, 'broken');
  assert.deepEqual(
    p11.evidence.violations.map((v) => [v.table, v.row, v.rule]),
    [['consent_state', `${s.subjectId}/email_marketing`, 'consent.state_equals_fold']],
  );
  // What the worker recorded is what this process reads.
  const latest = await s.services.promises.monitor.latest();
  assert.equal(latest?.results.find((r) => r.promise === 'P11')?.status, 'broken');
}

describe('promise checks in a worker thread', () => {
  it('on a SQLite file: the worker reads the file while this process keeps it open, and keeps its anchor file', async () => {
    const s = await scenario({});
    try {
      await breakAndCheck(s);
      const file = path.join(s.dir, 'audit-anchors.jsonl');
      assert.ok(existsSync(file));
      assert.match(readFileSync(file, 'utf8'), /"by":"monitor"/);
    } finally {
      await s.close();
    }
  });

  it('on PostgreSQL (the configured database)', { skip: !testDialects().includes('postgres') }, async () => {
    const { url, drop, store } = await createTestStore('postgres');
    await store.close();
    const s = await scenario({ VOW_DATABASE_URL: url! });
    try {
      await breakAndCheck(s);
    } finally {
      await s.close();
      await drop();
    }
  });

  it('a worker that cannot open its store answers VOW_PROMISES_CHECK_FAILED', async () => {
    const runner = new WorkerRunner(new URL('../../src/app/promise-worker.ts', import.meta.url), {
      config: testConfig(),
      policySource: 'vow_policy: 1',
      store: { databaseUrl: 'postgres://nobody@127.0.0.1:1/nothing' },
    });
    await assert.rejects(
      runner.run('full', new Date()),
      (err) => isVowError(err) && err.code === 'VOW_PROMISES_CHECK_FAILED',
    );
  });
});
