// Single sign-on roles taken away at the provider (security.md #38). The roles claim replaced an
// account's roles at each sign-in, but only when it still granted one: a staff member whose every
// Vow role the provider's administrator removed was refused at their next sign-in (no_roles), yet
// the account kept its roles, so the sessions it had open (up to 12 hours, on other computers too)
// went on as privacy officer or administrator. Now the claim replaces the roles down to none, and
// every open session of the account reaches nothing from that sign-in on.
import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import { cookieFrom } from '../helpers/auth.js';
import { describeEachDialect } from '../helpers/env.js';
import { beginSso, finishSso, signedInAs, ssoConfig, startMiniProvider } from '../helpers/mini-oidc.js';

const op = await startMiniProvider();
after(() => op.close());

describeEachDialect(
  'single sign-on roles taken away at the provider',
  (env) => {
    it('takes every role away when the claim grants none, from the open sessions too', async () => {
      const e = env();
      const signIn = async (roles: string[]) =>
        finishSso(e.app, await beginSso(e.app, op, signedInAs(op, 'dana', roles)));
      const first = await signIn(['admin']);
      assert.equal(first.statusCode, 200, first.body);
      const session = { cookie: `vow_staff=${encodeURIComponent(cookieFrom(first, 'vow_staff')!)}` };
      const accounts = () => e.app.inject({ method: 'GET', url: '/v1/staff/accounts', headers: session });
      assert.equal((await accounts()).statusCode, 200, 'an administrator while the claim says so');

      const refused = await signIn([]);
      assert.equal(refused.statusCode, 403);
      assert.match(refused.body, /data-reason="no_roles"/);
      const open = await accounts();
      assert.equal(open.statusCode, 403, 'the session opened before reaches nothing');
      assert.equal(open.json().error.code, 'VOW_FORBIDDEN');
      const row = await e.store.db
        .selectFrom('staff_sso_identities')
        .innerJoin('staff_accounts', 'staff_accounts.id', 'staff_sso_identities.staff_id')
        .select('staff_accounts.roles')
        .where('subject', '=', 'dana')
        .executeTakeFirstOrThrow();
      assert.deepEqual(JSON.parse(row.roles), []);
      const audit = await e.store.db
        .selectFrom('audit_log')
        .select('details')
        .where('action', '=', 'staff.account.roles_set')
        .execute();
      assert.ok(
        audit.some((a) => /"to":\[\]/.test(String(a.details))),
        'the change is audited',
      );

      assert.equal((await signIn(['auditor'])).statusCode, 200, 'a role granted again signs in');
    });
  },
  { auth: 'enforced', rateLimits: false, config: ssoConfig(op) },
);
