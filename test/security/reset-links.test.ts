// Reset links left open after a new password (security.md #37): a shopper's reset link was used up
// only by its own use, so of two links mailed (two requests, or one an attacker once read in the
// mailbox), the other still set a new password for its hour after the owner had reset theirs with
// one, or had changed it in the account after noticing something wrong: the older link took the
// account back. Now a reset, or a change of password, uses up every reset link still open.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { InjectOptions } from 'fastify';
import { cookieFrom, csrfOf, SHOPPER_PASSWORD } from '../helpers/auth.js';
import { describeEachDialect } from '../helpers/env.js';

describeEachDialect(
  'reset links after a new password',
  (env) => {
    const inject = (opts: InjectOptions) => env().app.inject(opts);
    const register = async (email: string) => {
      const reg = await inject({
        method: 'POST',
        url: '/account/register',
        payload: { email, password: SHOPPER_PASSWORD },
      });
      assert.equal(reg.statusCode, 202, reg.body);
      return (await env().services.identity.accounts.resetRecipient(email))!.accountId;
    };
    /** A reset link's token, as the reset job makes and mails it. */
    const link = (accountId: string) =>
      env().services.identity.accounts.issueToken(accountId, 'reset_password');
    const reset = (token: string, password: string) =>
      inject({ method: 'POST', url: '/account/reset', payload: { token, password } });

    it('uses up every other reset link when one of them sets a new password', async () => {
      const accountId = await register('two.links@example.com');
      const older = await link(accountId);
      const newer = await link(accountId);
      assert.equal((await reset(newer, 'the owner chose this one')).statusCode, 200);
      const replay = await reset(older, 'the attacker chose this one');
      assert.equal(replay.statusCode, 400, replay.body);
      assert.equal(replay.json().error.code, 'VOW_TOKEN_INVALID');
      const login = await inject({
        method: 'POST',
        url: '/login',
        payload: { email: 'two.links@example.com', password: 'the owner chose this one' },
      });
      assert.equal(login.statusCode, 200, "the owner's password holds");
    });

    it('uses up every open reset link when the password is changed in the account', async () => {
      const email = 'changed.password@example.com';
      const accountId = await register(email);
      const open = await link(accountId);
      const session = cookieFrom(
        await inject({ method: 'POST', url: '/login', payload: { email, password: SHOPPER_PASSWORD } }),
        'vow_session',
      )!;
      const changed = await inject({
        method: 'POST',
        url: '/account/password',
        headers: { cookie: `vow_session=${encodeURIComponent(session)}`, 'x-csrf-token': csrfOf(session) },
        payload: { current: SHOPPER_PASSWORD, password: 'a new password of mine' },
      });
      assert.equal(changed.statusCode, 200, changed.body);
      const late = await reset(open, 'the attacker chose this one');
      assert.equal(late.statusCode, 400, late.body);
      assert.equal(late.json().error.code, 'VOW_TOKEN_INVALID');
      const fresh = await link(accountId);
      assert.equal((await reset(fresh, 'a link asked for later')).statusCode, 200, 'a later link works');
    });
  },
  { auth: 'enforced', rateLimits: false },
);
