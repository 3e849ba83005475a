// A started single sign-on completes once, on Vow's side (security.md #34). Before, the flow cookie
// was checked only for its signature and age, so the provider alone made a callback single use: a
// callback sent again (a reload, a copied URL with the cookie still in the browser, a captured
// request) signed in again wherever the provider took the code twice. Now each started flow is a row
// that the first callback consumes in one conditional update; the same callback again is refused
// (VOW_SSO_REFUSED, reason flow_used) without reaching the provider, and a flow expires on Vow's
// clock. The provider (test/helpers/mini-oidc.ts) takes any code as often as it is sent.
import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import { SSO_FLOW_TTL_MS } from '../../src/modules/identity/index.js';
import { cookieFrom } from '../helpers/auth.js';
import { describeEachDialect, type TestEnv } from '../helpers/env.js';
import { beginSso, finishSso, signedInAs, ssoConfig, startMiniProvider } from '../helpers/mini-oidc.js';

const op = await startMiniProvider();
after(() => op.close());

const begin = (e: TestEnv, sub: string) => beginSso(e.app, op, signedInAs(op, sub));
const callback = (e: TestEnv, flow: { callback: string; cookie: string }) => finishSso(e.app, flow);

const reasonOf = (body: string) => /data-reason="([^"]*)"/.exec(body)?.[1];

describeEachDialect(
  'a single sign-on callback sent again',
  (env) => {
    it('signs in once: the same callback again is refused with flow_used and never reaches the provider', async () => {
      const e = env();
      const flow = await begin(e, 'ann');
      const first = await callback(e, flow);
      assert.equal(first.statusCode, 200, first.body);
      assert.ok(cookieFrom(first, 'vow_staff'), 'the first callback signs in');
      const calls = op.tokenCalls;
      const again = await callback(e, flow);
      assert.equal(again.statusCode, 403);
      assert.equal(reasonOf(again.body), 'flow_used');
      assert.equal(cookieFrom(again, 'vow_staff'), undefined, 'no second session');
      assert.equal(op.tokenCalls, calls, 'the code was not exchanged again');
      const refused = await e.store.db
        .selectFrom('audit_log')
        .select('details')
        .where('action', '=', 'staff.sso.refused')
        .execute();
      assert.ok(refused.some((r) => String(r.details).includes('flow_used')));
    });

    it('lets exactly one of three racing callbacks with the same state sign in', async () => {
      const e = env();
      const flow = await begin(e, 'bea');
      const answers = await Promise.all([callback(e, flow), callback(e, flow), callback(e, flow)]);
      assert.deepEqual(answers.map((a) => a.statusCode).sort(), [200, 403, 403]);
      assert.deepEqual(
        answers.filter((a) => a.statusCode === 403).map((a) => reasonOf(a.body)),
        ['flow_used', 'flow_used'],
      );
    });

    it("expires a started flow on Vow's clock", async () => {
      const e = env();
      const flow = await begin(e, 'cy');
      e.clock.advance(SSO_FLOW_TTL_MS + 1);
      const late = await callback(e, flow);
      assert.equal(late.statusCode, 403);
      assert.equal(reasonOf(late.body), 'flow_expired');
      const fresh = await begin(e, 'cy');
      assert.equal((await callback(e, fresh)).statusCode, 200, 'a flow started now still works');
    });
  },
  { auth: 'enforced', rateLimits: false, config: ssoConfig(op) },
);
