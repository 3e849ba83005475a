// Metrics and logs behind the console: open requests by days to their deadline (read from the store
// when /metrics is scraped), promise status from the latest check, the hourly promise-check job
// that keeps a history, and request logs that carry ids but no personal values.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CHECK_EVERY_MS, PROMISE_CHECK_JOB } from '../../src/modules/promises/check-job.js';
import { describeEachDialect } from '../helpers/env.js';

function series(text: string, name: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = new RegExp(`^${name}\\{([^}]*)\\} (\\S+)$`).exec(line);
    if (m) out.set(m[1]!, Number(m[2]));
  }
  return out;
}

describeEachDialect('console metrics', (env) => {
  const scrape = async () => {
    const res = await env().app.inject({ method: 'GET', url: '/metrics' });
    assert.equal(res.statusCode, 200);
    return res.body;
  };

  it('reports open requests by days left to their deadline, read from the store at each scrape', async () => {
    const { rights } = env().services;
    env().clock.set('2026-01-15T12:00:00.000Z');
    const submit = (receivedOn: string, n: number) =>
      rights.submit(
        { type: 'access', jurisdiction: 'eea', email: `metrics.person${n}@example.com` },
        { channel: 'email', receivedOn, staffId: 'staff-1' },
      );
    await submit('2025-11-20', 1); // due in December: overdue
    await submit('2026-01-14', 2); // due mid-February: 15-30 days
    await submit('2026-01-10', 3); // due 10 February: 26 days
    let open = series(await scrape(), 'vow_open_requests');
    assert.equal(open.get('days_left="overdue"'), 1);
    assert.equal(open.get('days_left="15-30"'), 2);
    assert.equal(open.get('days_left="0-7"'), 0, 'every bucket is reported, empty ones as 0');
    // Time passes: the gauge follows without anyone setting it.
    env().clock.set('2026-02-10T12:00:00.000Z');
    open = series(await scrape(), 'vow_open_requests');
    assert.equal(open.get('days_left="overdue"'), 1);
    assert.equal(open.get('days_left="0-7"'), 2);
    assert.equal(open.get('days_left="15-30"'), 0);
  });

  it('runs the promise checks every hour as a job, keeps each run, and reports the latest at scrape', async () => {
    const { services, ctx, clock } = env();
    clock.set('2026-03-01T10:20:00.000Z');
    await services.promises.scheduleChecks();
    await services.promises.scheduleChecks(); // idempotent within the hour
    await services.jobs.drain();
    const next = (await services.jobs.list({ name: PROMISE_CHECK_JOB })).filter(
      (j) => j.status === 'pending',
    );
    assert.deepEqual(
      next.map((j) => j.runAt),
      ['2026-03-01T11:00:00.000Z'],
    );
    clock.advance(CHECK_EVERY_MS);
    await services.jobs.drain();
    const done = (await services.jobs.list({ name: PROMISE_CHECK_JOB })).filter((j) => j.status === 'done');
    assert.equal(done.length, 2);
    const runs = await ctx.store.db.selectFrom('promise_checks').select('run_id').distinct().execute();
    assert.equal(runs.length, 2, 'both runs are kept as history');
    // A process that did not run the checks itself (its gauges empty) still reports them.
    services.metrics.promiseStatus.reset();
    const kept = series(await scrape(), 'vow_promise_kept');
    const checkable = (await services.promises.monitor.latest())!.results.filter(
      (r) => r.status !== 'not_checkable',
    );
    assert.equal(kept.size, checkable.length);
    assert.ok(kept.size > 0);
    for (const r of checkable) assert.equal(kept.get(`promise="${r.promise}"`), r.status === 'kept' ? 1 : 0);
    assert.ok(!kept.has('promise="P18"'), 'promises proven by tests only have no gauge');
  });

  it('counts measurements dropped for want of consent', async () => {
    const res = await env().app.inject({
      method: 'POST',
      url: '/v1/collect',
      payload: { visitor: 'metrics-visitor-cookie-0001', type: 'page_view', path: '/rings' },
    });
    assert.equal(res.statusCode, 204, res.body);
    const events = series(await scrape(), 'vow_analytics_events_total');
    assert.ok([...events.entries()].some(([k, v]) => k.startsWith('outcome="dropped') && v === 1));
    assert.ok(![...events.keys()].some((k) => k === 'outcome="stored"'));
  });
});

it('logs a collection request with its request id and route but without the email, name, phone or address', () => {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const dir = mkdtempSync(path.join(tmpdir(), 'vow-logs-'));
  const script = path.join(dir, 'run.mts');
  const src = (p: string) => JSON.stringify(path.join(root, 'src', p));
  writeFileSync(
    script,
    `import { loadConfig } from ${src('platform/config.ts')};
import { createContext } from ${src('app/context.ts')};
import { buildApp } from ${src('http/app.ts')};
import { createServices } from ${src('app/services.ts')};
import { openStore } from ${src('platform/store/open-store.ts')};
const config = loadConfig({ VOW_DATA_DIR: ${JSON.stringify(dir)}, VOW_LOG_LEVEL: 'info', VOW_ENV: 'test',
  VOW_MASTER_KEY: Buffer.alloc(32, 7).toString('base64') });
const ctx = await createContext(config, { store: await openStore({ sqliteFile: ':memory:' }) });
const services = createServices(ctx);
const app = await buildApp(ctx, { testPrincipal: 'all-roles', rateLimits: false }, services);
const res = await app.inject({ method: 'POST', url: '/v1/catalog-requests', payload: {
  first_name: 'Zelda', last_name: 'Quartermaine',
  postal_address: { line1: '99 Wisteria Lane', city: 'Madison', region: 'WI', postal_code: '53703', country: 'US' },
  email: 'zelda.quartermaine@example.com', relationship_status: 'engaged', jewelry_types: ['earrings'],
  budget: 'under_500', age_range: '25_34', residence_type: 'urban' } });
const bad = await app.inject({ method: 'POST', url: '/v1/sms-signups', payload: { phone: '+1 608 555 0199', consent_text: 'x', zelda: 'zelda.quartermaine@example.com' } });
process.stderr.write('STATUS ' + res.statusCode + ' ' + bad.statusCode + '\\n');
await app.close();
await ctx.store.close();
`,
  );
  try {
    const run = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: root, encoding: 'utf8' });
    assert.match(run.stderr, /STATUS 201 4\d\d/, run.stderr);
    const lines = run.stdout.split('\n').filter((l) => l.trim());
    const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const incoming = entries.filter((e) => e.msg === 'incoming request');
    assert.equal(incoming.length, 2);
    for (const e of incoming) {
      assert.equal(typeof e.reqId, 'string');
      assert.ok((e.req as { route: string }).route.startsWith('/v1/'));
    }
    // Request ids: the process's random prefix, then a counter (src/http/app.ts).
    const ids = incoming.map((e) => String(e.reqId));
    for (const id of ids) assert.match(id, /^[0-9a-f]{16}-[0-9a-z]+$/);
    assert.notEqual(ids[0], ids[1]);
    assert.equal(ids[0]!.slice(0, 16), ids[1]!.slice(0, 16));
    assert.ok(entries.some((e) => e.msg === 'request completed'));
    // Searched without the fields that hold numbers or random text of their own (a timestamp or a
    // request id may hold "608" by chance).
    const searched = entries
      .map(({ time: _t, pid: _p, hostname: _h, reqId: _r, responseTime: _rt, ...rest }) =>
        JSON.stringify(rest),
      )
      .join('\n')
      .toLowerCase();
    for (const needle of ['zelda', 'quartermaine', 'wisteria', '608', '555 0199', '@example.com']) {
      assert.ok(!searched.includes(needle), `the logs hold no "${needle}"`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
