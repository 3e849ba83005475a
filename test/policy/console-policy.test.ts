// The console's policy page, with real access control: administrators and the privacy officer see
// the policy in force and check a policy file, uploaded (multipart) or pasted; every problem is
// shown with its line, a valid file with what it would change and how to put it in force. Nothing
// is stored, the policy in force is unchanged, and each check is audited without the file.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, it } from 'node:test';
import { formatProblem, parsePolicy } from '../../src/modules/policy/index.js';
import { type Caller, csrfOf, staffCaller } from '../helpers/auth.js';
import { describeEachDialect, type TestEnv } from '../helpers/env.js';

const DEFAULT = readFileSync(new URL('../../policies/default.yaml', import.meta.url), 'utf8');
const MINIMAL = readFileSync(new URL('../../policies/minimal.yaml', import.meta.url), 'utf8');
/** The minimal policy with a rule that names no channel (line of `basis: opt_in` in the file). */
const BROKEN = MINIMAL.replace('    channel: cookies.analytics\n', '');
const BROKEN_LINE = BROKEN.split('\n').findIndex((l) => l.includes('id: analytics-with-consent')) + 1;

let boundaries = 0;
/** A multipart/form-data body, as a browser sends the page's form. */
function multipart(
  fields: Record<string, string>,
  file?: { name: string; content: string | Buffer },
): { payload: Buffer; headers: Record<string, string> } {
  const b = `----vowtest${++boundaries}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields))
    parts.push(Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file) {
    parts.push(
      Buffer.from(
        `--${b}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/yaml\r\n\r\n`,
      ),
      Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content),
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${b}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${b}` } };
}

describeEachDialect(
  'the console policy page',
  (env) => {
    let admin: Caller & { token: string; staffId: string };
    let officer: Caller & { token: string };
    let service: Caller;
    before(async () => {
      admin = await staffCaller(env(), ['admin']);
      officer = await staffCaller(env(), ['privacy_officer']);
      service = await staffCaller(env(), ['customer_service']);
    });

    const upload = (
      e: TestEnv,
      caller: Caller & { token: string },
      file?: { name: string; content: string | Buffer },
      fields: Record<string, string> = {},
    ) => {
      const body = multipart({ _csrf: csrfOf(caller.token), yaml: '', ...fields }, file);
      return e.app.inject({
        method: 'POST',
        url: '/staff/policy/check',
        headers: { ...caller.headers, ...body.headers },
        payload: body.payload,
      });
    };

    it('shows administrators and the privacy officer the policy in force, every promise and a link to the notice', async () => {
      const e = env();
      for (const caller of [admin, officer]) {
        const res = await e.app.inject({ url: '/staff/policy', headers: caller.headers });
        assert.equal(res.statusCode, 200, res.body);
        assert.ok(res.body.includes(e.ctx.policy.version));
        assert.ok(res.body.includes(e.ctx.policy.consentVersion));
        assert.ok(res.body.includes(e.ctx.policy.effectiveDate));
        for (let n = 1; n <= 26; n++) assert.match(res.body, new RegExp(`<tr data-promise="P${n}">`));
        assert.match(res.body, /href="\/privacy"/);
        assert.match(res.body, /href="\/privacy#children"/);
        assert.match(res.body, /Google Analytics/);
        assert.match(res.body, /<code>marketing\.postal<\/code>/);
        assert.match(res.body, /P7Y/);
        assert.match(res.body, /enctype="multipart\/form-data"/);
      }
      const dash = await e.app.inject({ url: '/staff', headers: admin.headers });
      assert.match(dash.body, /href="\/staff\/policy"/, "in the administrator's menu");
    });

    it('is not for customer service (nor in their menu)', async () => {
      const e = env();
      const res = await e.app.inject({ url: '/staff/policy', headers: service.headers });
      assert.equal(res.statusCode, 403);
      const body = multipart({ yaml: MINIMAL });
      const post = await e.app.inject({
        method: 'POST',
        url: '/staff/policy/check',
        headers: { ...service.writeHeaders, ...body.headers },
        payload: body.payload,
      });
      assert.equal(post.statusCode, 403);
      const dash = await e.app.inject({ url: '/staff', headers: service.headers });
      assert.doesNotMatch(dash.body, /href="\/staff\/policy"/);
      const none = await e.app.inject({ url: '/staff/policy' });
      assert.notEqual(none.statusCode, 200, 'nobody logged in');
    });

    it('lists every problem of a wrong file with its line, stores nothing and keeps the policy in force', async () => {
      const e = env();
      const version = e.ctx.policy.version;
      const versions = await e.store.db.selectFrom('policy_versions').select('version').execute();
      const res = await upload(e, admin, { name: 'shop-policy.yaml', content: BROKEN });
      assert.equal(res.statusCode, 200, res.body);
      assert.match(res.body, /shop-policy\.yaml has 2 problems/);
      // Each problem reads as the CLI prints it (formatProblem), in file order.
      const shown = [...res.body.matchAll(/<li data-testid="policy-problem"[^>]*>([\s\S]*?)<\/li>/g)].map(
        (m) => m[1]!.replace(/<[^>]+>/g, '').replace(/&quot;/g, '"'),
      );
      const parsed = parsePolicy(BROKEN);
      assert.ok(!parsed.ok);
      assert.deepEqual(
        shown,
        parsed.problems.map((p) => formatProblem('shop-policy.yaml', p)),
      );
      assert.ok(
        shown.some((l) =>
          l.startsWith(`shop-policy.yaml:${BROKEN_LINE}:5 rules[3].channel: basis "opt_in" needs`),
        ),
      );
      assert.ok(
        shown.some((l) =>
          /^shop-policy\.yaml:\d+:\d+ channels\["cookies\.analytics"\]\.granted_by\[0\]: /.test(l),
        ),
      );
      assert.equal(e.ctx.policy.version, version);
      assert.deepEqual(await e.store.db.selectFrom('policy_versions').select('version').execute(), versions);
      const yaml = await upload(e, admin, undefined, { yaml: 'vow_policy: 1\nname: [unclosed\n' });
      assert.match(
        yaml.body,
        /pasted\.yaml:\d+:\d+<\/code> <code class="ids">\(yaml\)<\/code>/,
        'a YAML syntax error, located',
      );
      assert.match(yaml.body, /vow_policy: 1\nname: \[unclosed/, 'the pasted text is in the box again');
    });

    it('lists what a valid file would change, says consent must be asked again, and how to put it in force', async () => {
      const e = env();
      const res = await upload(e, officer, { name: 'minimal.yaml', content: MINIMAL });
      assert.equal(res.statusCode, 200, res.body);
      assert.match(res.body, /minimal\.yaml is valid/);
      const changes = res.body.slice(res.body.indexOf('data-testid="policy-changes"'));
      assert.match(changes, /data-part="purposes"[\s\S]*?Removed:<\/strong>[^<]*marketing\.sms/);
      assert.match(changes, /data-part="recipients"[\s\S]*?Removed:<\/strong>[^<]*google_analytics/);
      assert.match(changes, /data-part="retention"[\s\S]*?Changed:/);
      assert.match(
        res.body,
        /data-testid="policy-other-changes"><summary>Other changes: Promises, Categories of data/,
        'the rest folded under Other changes',
      );
      assert.match(
        res.body,
        /<code>P1<\/code>: [^<]*source reworded/,
        'a long sentence is named, not repeated',
      );
      assert.match(res.body, /consent must be asked again/);
      assert.match(res.body, /VOW_POLICY/);
      assert.match(res.body, /restart/);
      const same = await upload(e, admin, { name: 'default.yaml', content: DEFAULT });
      assert.match(same.body, /It is the policy in force/);
      assert.match(same.body, /does not change/);
      // A retention period changed and nothing consented to: only the retention part, nobody asked again.
      const shorter = DEFAULT.replace('keep_for: P14M', 'keep_for: P12M');
      assert.notEqual(shorter, DEFAULT);
      const r = await upload(e, admin, undefined, { yaml: shorter });
      assert.match(r.body, /data-part="retention"[\s\S]*?keep_for: 14 months \(P14M\) → 12 months \(P12M\)/);
      assert.doesNotMatch(r.body, /data-part="purposes"/);
      assert.match(r.body, /nobody is asked again/);
    });

    it('accepts the pasted text as an ordinary form post too', async () => {
      const e = env();
      const res = await e.app.inject({
        method: 'POST',
        url: '/staff/policy/check',
        headers: admin.writeHeaders,
        payload: { yaml: MINIMAL },
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.match(res.body, /pasted\.yaml is valid/);
    });

    it('refuses a file over the size limit, and an empty form, with a clear message', async () => {
      const e = env();
      const big = `${DEFAULT}\n${'#'.repeat(600 * 1024)}\n`;
      const res = await upload(e, admin, { name: 'big.yaml', content: big });
      assert.equal(res.statusCode, 413);
      assert.match(res.body, /big\.yaml is \d+ KiB, and a policy file checked here can be at most 512 KiB/);
      assert.match(res.body, /VOW_BODY_TOO_LARGE/);
      const empty = await upload(e, admin);
      assert.equal(empty.statusCode, 400);
      assert.match(empty.body, /choose a policy file or paste its text/);
      const binary = await upload(e, admin, {
        name: 'x.yaml',
        content: Buffer.from([0xff, 0xfe, 0x00, 0xc3]),
      });
      assert.equal(binary.statusCode, 400);
    });

    it('refuses a check without the anti-forgery token', async () => {
      const e = env();
      const body = multipart({ yaml: MINIMAL });
      const res = await e.app.inject({
        method: 'POST',
        url: '/staff/policy/check',
        headers: { ...admin.headers, ...body.headers },
        payload: body.payload,
      });
      assert.equal(res.statusCode, 403);
    });

    it('audits who checked and what was found, never the file', async () => {
      const e = env();
      const before = await e.ctx.audit.list({ newestFirst: true, limit: 1 });
      await upload(e, admin, { name: 'minimal.yaml', content: MINIMAL });
      const rows = await e.ctx.audit.list({ afterSeq: before[0]?.seq ?? 0, limit: 10 });
      const entry = rows.find((r) => r.action === 'policy.checked');
      assert.ok(entry, JSON.stringify(rows));
      assert.equal(entry.actor_id, admin.staffId);
      const details = JSON.parse(entry.details);
      assert.equal(details.valid, true);
      assert.equal(details.via, 'upload');
      assert.equal(details.consentChanged, true);
      assert.equal(details.warnings, 1, 'the minimal policy leaves out P6: one warning, counted');
      assert.doesNotMatch(JSON.stringify(entry), /Example Shop|privacy@shop/);
      const trail = await e.app.inject({ url: '/staff/audit?kind=policy', headers: officer.headers });
      assert.equal(trail.statusCode, 200);
      assert.match(trail.body, /policy\.checked/);
      assert.match(trail.body, /<option value="policy" selected>Policy checks<\/option>/);
    });
  },
  { auth: 'enforced', rateLimits: false },
);
