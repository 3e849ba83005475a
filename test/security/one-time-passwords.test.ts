// A staff one-time password left unused (security.md #39): the password an administrator hands a
// new staff member (or a reset one) worked until its holder replaced it, however long that took; one
// forgotten in a mailbox or a chat opened the account months later, and its finder chose the
// password. It now works for 7 days from its issue, on Vow's clock (VOW_PASSWORD_EXPIRED after,
// for the console log-in and staff tokens alike); a password the holder chose has no such end.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ONE_TIME_PASSWORD_TTL_MS } from '../../src/modules/identity/staff-service.js';
import { describeEachDialect } from '../helpers/env.js';

const DAY = 24 * 60 * 60 * 1000;

describeEachDialect(
  'staff one-time passwords',
  (env) => {
    const logIn = (url: '/staff/login' | '/v1/staff/tokens', username: string, password: string) =>
      env().app.inject({ method: 'POST', url, payload: { username, password } });

    it('refuses a one-time password older than 7 days, on the console and for tokens', async () => {
      const { staff } = env().services.identity;
      const { password } = await staff.add('new.hire', ['customer_service'], null);
      env().clock.advance(ONE_TIME_PASSWORD_TTL_MS + 60_000);
      for (const url of ['/staff/login', '/v1/staff/tokens'] as const) {
        const res = await logIn(url, 'new.hire', password);
        assert.equal(res.statusCode, 401, res.body);
        assert.equal(res.json().error.code, 'VOW_PASSWORD_EXPIRED');
      }
      const fresh = await staff.resetPassword('new.hire', null);
      const now = await logIn('/staff/login', 'new.hire', fresh);
      assert.equal(now.statusCode, 200, 'a reset gives a one-time password of a new week');
      assert.equal(now.json().mustChangePassword, true);
    });

    it('lets a one-time password in within its week, and sets no end on the password chosen', async () => {
      const { staff } = env().services.identity;
      const { id, password } = await staff.add('second.hire', ['auditor'], null);
      env().clock.advance(6 * DAY);
      assert.equal((await logIn('/staff/login', 'second.hire', password)).statusCode, 200);
      await staff.changePassword(id, password, 'a password of my own choosing');
      env().clock.advance(60 * DAY);
      assert.equal(
        (await logIn('/staff/login', 'second.hire', 'a password of my own choosing')).statusCode,
        200,
      );
    });
  },
  { auth: 'enforced', rateLimits: false },
);
