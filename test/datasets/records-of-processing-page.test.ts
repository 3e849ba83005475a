// The console's record of processing page: auditors and the privacy officer read every purpose,
// recipient and retention period of the policy on one printable page, and find it in the menu;
// customer service and marketing are refused and see no menu entry.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { type Caller, staffCaller } from '../helpers/auth.js';
import { describeEachDialect } from '../helpers/env.js';

const PATH = '/staff/records-of-processing';

describeEachDialect(
  'the console record of processing page',
  (env) => {
    const callers: Record<string, Caller> = {};
    before(async () => {
      for (const role of ['auditor', 'privacy_officer', 'customer_service', 'marketing'])
        callers[role] = await staffCaller(env(), [role]);
    });
    const get = (role: string, url = PATH) =>
      env().app.inject({ method: 'GET', url, headers: { ...callers[role]!.headers, accept: 'text/html' } });

    for (const role of ['auditor', 'privacy_officer'])
      it(`shows ${role} every purpose, recipient and retention period, and links it in the menu`, async () => {
        const res = await get(role);
        assert.equal(res.statusCode, 200, res.body);
        const doc = env().ctx.policy.doc;
        for (const p of Object.keys(doc.purposes)) assert.ok(res.body.includes(`data-purpose="${p}"`), p);
        for (const r of Object.values(doc.recipients)) assert.ok(res.body.includes(r.name), r.name);
        for (const r of doc.retention) assert.ok(res.body.includes(`<code>${r.keep_for}</code>`), r.keep_for);
        assert.match(
          res.body,
          /Data protection officer<\/dt><dd><em class="not-stated">not stated in the policy<\/em>/,
        );
        assert.match(
          res.body,
          /<a href="\/staff\/records-of-processing" aria-current="page">Record of processing<\/a>/,
        );
        assert.match(res.body, /href="\/v1\/records-of-processing\?format=csv"/);
      });

    for (const role of ['customer_service', 'marketing'])
      it(`refuses ${role}, whose menu has no entry for it`, async () => {
        const res = await get(role);
        assert.equal(res.statusCode, 403, res.body.slice(0, 500));
        const home = await get(role, '/staff');
        assert.equal(home.statusCode, 200);
        assert.ok(!home.body.includes(PATH));
      });
  },
  { auth: 'enforced' },
);
