// A break filed under a promise number the policy does not declare is never dropped. With
// policies/minimal.yaml (no P6), an aggregate report released below the policy's threshold breaks
// what Vow files under P6: the monitor reports it under the check's own id (check:reports) on every
// surface a broken promise is shown on (the run's results, GET /v1/promises, the run history, the
// gauge, the log line, the officers' mail, the events, the console's dashboard and `vow promises
// check`), and kept again once the release is gone. Each row says whether it is a promise of the
// policy (declared: true) or such a check (declared: false), in the results, the API and the CLI's
// JSON. `vow policy check` and the console's policy check warn about the numbers a policy leaves
// out, without failing it.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { main } from '../../src/cli/main.js';
import { parsePolicy } from '../../src/modules/policy/index.js';
import { ALL, type Family } from '../../src/modules/promises/family.js';
import {
  formatResults,
  PromiseAlerts,
  type PromiseEvent,
  PromiseMonitor,
  UNPROMISED_TITLE,
  unpromisedChecks,
  unpromisedWarnings,
} from '../../src/modules/promises/index.js';
import type { MailMessage } from '../../src/platform/mail/index.js';
import { type Caller, csrfOf, staffCaller } from '../helpers/auth.js';
import { describeEachDialect, type TestEnv, testConfig } from '../helpers/env.js';
import { check } from './support.js';

const MINIMAL_FILE = 'policies/minimal.yaml';
const MINIMAL = readFileSync(new URL(`../../${MINIMAL_FILE}`, import.meta.url), 'utf8');
const DEFAULT = readFileSync(new URL('../../policies/default.yaml', import.meta.url), 'utf8');

function policyOf(source: string) {
  const r = parsePolicy(source);
  assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.problems));
  return r.policy;
}

/** The minimal policy without its promise P21 (no rule, recipient or exemption names it). */
const WITHOUT_P21 = MINIMAL.replace(/\n {2}P21:\n(?: {4}.*\n)+/, '\n');

describe('the checks a policy names no promise for', () => {
  it('the shipped policy declares every number Vow files a break under: no check without a promise', () => {
    assert.deepEqual(unpromisedChecks(policyOf(DEFAULT)), []);
    assert.deepEqual(unpromisedWarnings(policyOf(DEFAULT)), []);
  });

  it('the minimal policy leaves out P6: the aggregate reports check files there', () => {
    const checks = unpromisedChecks(policyOf(MINIMAL));
    assert.deepEqual(
      checks.map((c) => [c.id, c.promises]),
      [['check:reports', ['P6']]],
    );
    assert.equal(checks[0]!.title, `${UNPROMISED_TITLE}: aggregate reports`);
    const [warning, ...more] = unpromisedWarnings(policyOf(MINIMAL));
    assert.deepEqual(more, []);
    assert.match(warning!, /reports check \(every aggregate report released .*\) files its breaks under P6/);
    assert.match(warning!, /does not declare: it reports them under check:reports/);
  });

  it('a policy without P21 is warned that the requests check files corrections there', () => {
    assert.doesNotMatch(WITHOUT_P21, /\n {2}P21:/);
    const checks = unpromisedChecks(policyOf(WITHOUT_P21));
    assert.deepEqual(
      checks.map((c) => [c.id, c.promises]),
      [
        ['check:requests', ['P21']],
        ['check:reports', ['P6']],
      ],
    );
    assert.match(checks[0]!.what, /correction/);
  });
});

describe('vow policy check', () => {
  const run = async (file: string) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['node', 'vow', 'policy', 'check', file], {
      out: (t) => out.push(t),
      err: (t) => err.push(t),
    });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  it('warns, on stderr and exiting 0, that the minimal policy leaves out P6, naming the check', async () => {
    const r = await run(MINIMAL_FILE);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^policies\/minimal\.yaml: valid\./);
    assert.match(
      r.err,
      /^policies\/minimal\.yaml: warning: the promise monitor's reports check \(.*\) files its breaks under P6, which this policy does not declare: it reports them under check:reports/,
    );
    assert.equal(r.err.split('\n').length, 1, 'one warning');
  });

  it('says nothing more of the shipped policy', async () => {
    const r = await run('policies/default.yaml');
    assert.equal(r.code, 0, r.err);
    assert.equal(r.err, '');
  });
});

describe('vow promises check --json', () => {
  const env = {
    VOW_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'vow-unpromised-')),
    VOW_LOG_LEVEL: 'silent',
    VOW_MASTER_KEY: Buffer.alloc(32, 6).toString('base64'),
    VOW_POLICY: MINIMAL_FILE,
  };
  const saved = { ...process.env };
  before(() => Object.assign(process.env, env));
  after(() => {
    for (const k of Object.keys(env)) delete process.env[k];
    Object.assign(process.env, saved);
  });

  it('marks each row declared (a promise of the policy) or not (check:reports), as the API does', async () => {
    const out: string[] = [];
    const code = await main(['node', 'vow', 'promises', 'check', '--json'], {
      out: (t) => out.push(t),
      err: (t) => out.push(t),
    });
    assert.equal(code, 0, out.join('\n'));
    const { results } = JSON.parse(out.join('\n')) as {
      results: { promise: string; declared: boolean }[];
    };
    assert.deepEqual(
      results.map((r) => [r.promise, r.declared]),
      [...Object.keys(policyOf(MINIMAL).doc.promises).map((p) => [p, true]), ['check:reports', false]],
    );
  });
});

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n'))
        if (l.trim()) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: pino({ level: 'info' }, stream) };
}

/** An aggregate report released with a threshold of 1 and ε 50 (both far beyond any policy's). */
async function badRelease(e: TestEnv, id: string) {
  await e.store.db
    .insertInto('report_releases')
    .values({
      id,
      report: 'visitors_by_area',
      period: '2026-W02',
      epsilon_milli: 50_000,
      threshold: 1,
      contribution_cap: 1,
      cells: JSON.stringify([{ key: 'rings', count: 1 }]),
      policy_version: e.ctx.policy.version,
      released_at: e.ctx.clock.now().toISOString(),
    })
    .execute();
}

describeEachDialect(
  'a break under a promise the policy does not declare (policies/minimal.yaml)',
  (env) => {
    let auditor: Caller & { token: string };
    before(async () => {
      auditor = await staffCaller(env(), ['privacy_officer']);
    });

    it('before any break: the check is listed, kept, after the policy’s own promises', async () => {
      const e = env();
      const summary = await check(e);
      const declared = Object.keys(e.ctx.policy.doc.promises);
      assert.ok(!declared.includes('P6'));
      assert.deepEqual(
        summary.results.map((r) => r.promise),
        [...declared, 'check:reports'],
      );
      assert.deepEqual(
        summary.results.map((r) => [r.promise, r.declared]),
        [...declared.map((p) => [p, true]), ['check:reports', false]],
        'the policy’s own promises are declared, the check’s row is not',
      );
      const row = summary.results.at(-1)!;
      assert.equal(row.status, 'kept');
      assert.equal(row.title, `${UNPROMISED_TITLE}: aggregate reports`);
      assert.match(row.evidence.note, /filed under P6, which the policy does not declare/);
    });

    it('is reported, not dropped: results, API, history, gauge, log, mail, events, dashboard, CLI table; then kept again', async () => {
      const e = env();
      const log = capture();
      const mails: MailMessage[] = [];
      const events: PromiseEvent[] = [];
      const alerts = new PromiseAlerts({
        logger: log.logger,
        mail: async (m) => void mails.push(m),
        officers: () => ['dpo@shop.example'],
        consoleUrl: 'https://vow.shop.example/staff',
        listeners: [async (ev) => void events.push(ev)],
      });
      await badRelease(e, 'release-unpromised');

      const summary = await e.services.promises.checks.run('full');
      await alerts.notify(summary);
      const row = summary.results.find((r) => r.promise === 'check:reports');
      assert.ok(row, 'the break has a row');
      assert.equal(row.status, 'broken');
      assert.ok(row.evidence.count >= 2, JSON.stringify(row.evidence));
      assert.equal(row.evidence.byRule['report.threshold'], 1);
      assert.equal(row.evidence.byRule['report.epsilon'], 1);
      assert.ok(row.evidence.ids.includes('report_releases:release-unpromised'));
      assert.deepEqual([...new Set(row.evidence.violations.map((v) => v.promise))], ['P6']);
      assert.match(
        row.evidence.note,
        /report\.threshold ×1 .*; filed under P6, which the policy does not declare$/,
      );
      assert.deepEqual(summary.newlyBroken, ['check:reports']);
      assert.deepEqual(
        summary.results.filter((r) => r.status === 'broken').map((r) => r.promise),
        ['check:reports'],
        'no declared promise is said broken by it',
      );

      // Over HTTP, and in the history.
      const latest = await e.app.inject({ method: 'GET', url: '/v1/promises' });
      assert.equal(latest.statusCode, 200, latest.body);
      const api = (
        latest.json() as {
          results: { promise: string; status: string; title: string; declared: boolean }[];
        }
      ).results;
      assert.deepEqual(
        api.filter((r) => r.status === 'broken').map((r) => [r.promise, r.title, r.declared]),
        [['check:reports', `${UNPROMISED_TITLE}: aggregate reports`, false]],
      );
      assert.deepEqual(
        api.filter((r) => r.declared).map((r) => r.promise),
        Object.keys(e.ctx.policy.doc.promises),
        'every other row is a promise of the policy, marked declared',
      );
      // The OpenAPI document says so, for both routes.
      interface RowSchema {
        properties: Record<string, { type?: string }>;
        required: string[];
      }
      type Doc = {
        paths: Record<
          string,
          Record<
            string,
            {
              responses: Record<
                string,
                { content: Record<string, { schema: { properties: { results: { items: RowSchema } } } }> }
              >;
            }
          >
        >;
      };
      const openapi = (await e.app.inject({ url: '/openapi.json' })).json() as Doc;
      for (const [url, method] of [
        ['/v1/promises', 'get'],
        ['/v1/promises/check', 'post'],
      ] as const) {
        const row =
          openapi.paths[url]![method]!.responses['200']!.content['application/json']!.schema.properties
            .results.items;
        assert.equal(row.properties.declared?.type, 'boolean', `${method} ${url}`);
        assert.ok(row.required.includes('declared'), `${method} ${url}: declared is always there`);
      }
      assert.deepEqual((await e.services.promises.monitor.history(1))[0]?.broken, ['check:reports']);
      const metrics = await e.app.inject({ method: 'GET', url: '/metrics' });
      assert.match(metrics.body, /vow_promise_kept\{promise="check:reports"\} 0/);

      // The alerts: a log line, the officers' mail (also queued by the service), an event.
      const line = log.lines.find((l) => l.msg === 'promise broken' && l.promise === 'check:reports');
      assert.ok(line, 'an error line');
      assert.deepEqual(line.tables, ['report_releases']);
      assert.equal(mails.length, 1);
      assert.match(mails[0]!.subject, /check:reports/);
      assert.match(mails[0]!.text, /a check it runs that the policy names no promise for failing/);
      assert.match(mails[0]!.text, /report\.threshold ×1/);
      const queued = await e.store.db
        .selectFrom('mail_outbox')
        .select('id')
        .where('kind', '=', 'promises.broken')
        .execute();
      assert.equal(queued.length, 1, 'the service mailed the configured officer');
      assert.deepEqual(
        events.map((ev) => [ev.type, ev.promise]),
        [['promise.broken', 'check:reports']],
      );

      // The console's dashboard and `vow promises check`'s table.
      const dash = await e.app.inject({ url: '/staff', headers: auditor.headers });
      assert.equal(dash.statusCode, 200);
      assert.match(dash.body, /<tr data-promise="check:reports" data-status="broken">/);
      assert.match(dash.body, /A check Vow runs that your policy names no promise for: aggregate reports/);
      assert.match(formatResults(summary.results), /^check:reports broken\s+\d+ {2}report\./m);

      // An incremental run keeps it; once the release is gone, it is kept again.
      assert.equal(
        (await check(e, 'incremental')).results.find((r) => r.promise === 'check:reports')?.status,
        'broken',
      );
      await e.store.db.deleteFrom('report_releases').where('id', '=', 'release-unpromised').execute();
      const again = await check(e);
      await alerts.notify(again);
      assert.equal(again.results.find((r) => r.promise === 'check:reports')?.status, 'kept');
      assert.deepEqual(again.recovered, ['check:reports']);
      assert.deepEqual(events.at(-1)?.type, 'promise.kept');
      assert.deepEqual(events.at(-1)?.promise, 'check:reports');
    });

    it('a check filing under a number it does not say it covers is reported too, under its own id', async () => {
      const e = env();
      const stray: Family = {
        id: 'stray',
        title: 'a check that files where it should not',
        covers: () => ({}),
        async run(_env, sink) {
          sink.checked(ALL);
          sink.add(ALL, {
            promise: 'P99',
            table: 'report_releases',
            row: 'r1',
            rule: 'stray.rule',
            reason: 'Filed under a number no policy declares',
            values: {},
          });
          return 'done';
        },
      };
      const monitor = new PromiseMonitor(e.ctx, {}, [stray]);
      try {
        const row = (await monitor.check()).find((r) => r.promise === 'check:stray');
        assert.equal(row?.status, 'broken');
        assert.equal(row?.title, `${UNPROMISED_TITLE}: a check that files where it should not`);
        assert.equal(
          row?.evidence.note,
          'stray.rule ×1 (Filed under a number no policy declares); filed under P99, which the policy does not declare',
        );
        // The service's monitor, which runs no such family, still shows what is on file.
        const latest = await e.services.promises.monitor.latest();
        assert.equal(latest?.results.find((r) => r.promise === 'check:stray')?.status, 'broken');
      } finally {
        await e.store.db.deleteFrom('promise_findings').where('family', '=', 'stray').execute();
      }
    });

    it('the console’s policy check warns about the number it leaves out, and the file stays valid', async () => {
      const e = env();
      const b = '----vowunpromised';
      const payload = Buffer.from(
        [
          `--${b}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrfOf(auditor.token)}\r\n`,
          `--${b}\r\nContent-Disposition: form-data; name="yaml"\r\n\r\n${WITHOUT_P21}\r\n`,
          `--${b}--\r\n`,
        ].join(''),
      );
      const res = await e.app.inject({
        method: 'POST',
        url: '/staff/policy/check',
        headers: { ...auditor.headers, 'content-type': `multipart/form-data; boundary=${b}` },
        payload,
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.match(res.body, /pasted\.yaml is valid/);
      const warnings = res.body.slice(res.body.indexOf('data-testid="policy-warnings"'));
      assert.match(warnings, /^data-testid="policy-warnings"><p><strong>2 warnings<\/strong>/);
      assert.match(warnings, /requests check \([^<]*correction[^<]*\) files its breaks under P21/);
      assert.match(warnings, /reports check \([^<]*\) files its breaks under P6/);
    });
  },
  { config: testConfig({ VOW_POLICY: MINIMAL_FILE, VOW_PRIVACY_OFFICERS: 'dpo@shop.example' }) },
);
