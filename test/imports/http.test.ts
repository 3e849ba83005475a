// POST /v1/imports: the same service over HTTP, the file as the streamed body, for staff admins only.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { staffCaller } from '../helpers/auth.js';
import { describeEachDialect, testConfig } from '../helpers/env.js';
import { fixture } from './fixtures.js';

describeEachDialect(
  'POST /v1/imports',
  (env) => {
    const post = (headers: Record<string, string>, query: string, file: string, type = 'text/csv') =>
      env().app.inject({
        method: 'POST',
        url: `/v1/imports?${query}`,
        headers: { ...headers, 'content-type': type },
        payload: readFileSync(fixture(file)),
      });

    it('refuses callers without the admin role', async () => {
      const anonymous = await post({}, 'format=mailchimp', 'mailchimp-unsubscribed.csv');
      assert.equal(anonymous.statusCode, 401);
      const marketing = await staffCaller(env(), ['marketing']);
      const res = await post(marketing.bearer.writeHeaders, 'format=mailchimp', 'mailchimp-unsubscribed.csv');
      assert.equal(res.statusCode, 403);
    });

    it('dry-runs, imports, and answers a second upload of the same file with "imported before"', async () => {
      const admin = await staffCaller(env(), ['admin']);
      const q = 'format=mailchimp&file_name=unsubscribed_members_export.csv';
      const dry = await post(admin.bearer.writeHeaders, `${q}&dry_run=true`, 'mailchimp-unsubscribed.csv');
      assert.equal(dry.statusCode, 200, dry.body);
      assert.equal(dry.json().dryRun, true);
      assert.equal(dry.json().counts.withdrawn.unsubscribed, 2);
      // A run that finishes with rows refused answers 200 with their count (the command's exit code 3).
      assert.equal(dry.json().counts.refused, 1);
      assert.deepEqual((await env().services.imports.runs()).length, 0);
      const res = await post(admin.bearer.writeHeaders, q, 'mailchimp-unsubscribed.csv');
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json();
      // The name given is not kept: the run is named by its format and SHA-256.
      assert.equal(body.fileName, `mailchimp-${body.sha256.slice(0, 12)}`);
      assert.equal(body.counts.refused, 1);
      assert.deepEqual(body.refusals, [
        { line: 4, code: 'VOW_VALIDATION', reason: 'email: not a valid email address' },
      ]);
      const again = await post(admin.bearer.writeHeaders, q, 'mailchimp-unsubscribed.csv');
      assert.equal(again.statusCode, 200);
      assert.equal(again.json().alreadyImported, true);
      assert.equal(again.json().counts.refused, 1);
      const runs = await env().app.inject({
        method: 'GET',
        url: '/v1/imports',
        headers: admin.bearer.headers,
      });
      assert.equal(runs.json().runs.length, 1);
      const page = await env().app.inject({
        method: 'GET',
        url: `/v1/imports/${body.runId}/refusals?after=0&limit=10`,
        headers: admin.bearer.headers,
      });
      assert.deepEqual(
        page.json().refusals.map((r: { line: number }) => r.line),
        [4],
      );
    });

    it('streams NDJSON, and refuses an unknown format or a file without its columns', async () => {
      const admin = await staffCaller(env(), ['admin']);
      const nd = await post(
        admin.bearer.writeHeaders,
        'format=ndjson',
        'collections.ndjson',
        'application/x-ndjson',
      );
      assert.equal(nd.statusCode, 200, nd.body);
      assert.equal(nd.json().counts.collected.contest_entry, 1);
      const unknown = await post(admin.bearer.writeHeaders, 'format=excel', 'collections.ndjson');
      assert.equal(unknown.statusCode, 400);
      const columns = await post(admin.bearer.writeHeaders, 'format=shopify-orders', 'sms-optouts.csv');
      assert.equal(columns.statusCode, 400);
      assert.equal(columns.json().error.code, 'VOW_IMPORT_COLUMNS');
    });
  },
  { auth: 'enforced' },
);

describeEachDialect(
  'POST /v1/imports, an upload over VOW_IMPORT_MAX_BYTES',
  (env) => {
    it('is refused with 413 VOW_BODY_TOO_LARGE as it passes the limit, and nothing is imported', async () => {
      const admin = await staffCaller(env(), ['admin']);
      const line = 'big.upload@example.com,Big,Upload,no\n';
      const body = `First Name,Last Name,Email,Accepts Email Marketing\n${line.repeat(Math.ceil((1.2 * 2 ** 20) / line.length))}`;
      const res = await env().app.inject({
        method: 'POST',
        url: '/v1/imports?format=shopify-customers',
        headers: { ...admin.bearer.writeHeaders, 'content-type': 'text/csv' },
        payload: body,
      });
      assert.equal(res.statusCode, 413, res.body);
      assert.equal(res.json().error.code, 'VOW_BODY_TOO_LARGE');
      assert.deepEqual(res.json().error.details, { limit: 2 ** 20 });
      assert.deepEqual(await env().services.imports.runs(), []);
      // Under the limit, the same kind of file is imported.
      const small = await env().app.inject({
        method: 'POST',
        url: '/v1/imports?format=shopify-customers&dry_run=true',
        headers: { ...admin.bearer.writeHeaders, 'content-type': 'text/csv' },
        payload: `First Name,Last Name,Email,Accepts Email Marketing\n${line}`,
      });
      assert.equal(small.statusCode, 200, small.body);
    });
  },
  { auth: 'enforced', config: testConfig({ VOW_IMPORT_MAX_BYTES: String(2 ** 20) }) },
);
