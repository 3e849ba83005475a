// Lock-outs that an attacker cannot turn against the owner, and that parallel tries cannot race:
// - wrong log-ins from rotating addresses never lock the owner out (their right password from their
//   own address gets in); an address that keeps failing is locked out of that account alone;
// - past a number of failures on an account, only addresses without failures may still try;
// - each guess is counted before its password is checked: 25 parallel wrong tries check 5;
// - a TOTP code works once even for log-ins racing each other (compare-and-set);
// - replacing the second factor needs the current password;
// - current-password checks (changing the password) go through the same limiter.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import { csrfOf, SHOPPER_PASSWORD, STAFF_PASSWORD, shopperCaller, staffCaller } from '../helpers/auth.js';
import { describeEachDialect } from '../helpers/env.js';

describeEachDialect(
  'lock-outs against attackers, not owners',
  (env) => {
    const token = (username: string, password: string, remoteAddress: string, totp?: string) =>
      env().app.inject({
        method: 'POST',
        url: '/v1/staff/tokens',
        remoteAddress,
        payload: { username, password, ...(totp ? { totp } : {}) },
      });

    it('never locks the owner out for failures from other addresses (the fixed admin name)', async () => {
      const admin = await staffCaller(env(), ['admin']);
      // 40 wrong passwords, each from a new address (a botnet), then 10 more from one address.
      for (let i = 0; i < 40; i++)
        assert.equal(
          (await token(admin.username, `wrong ${i}`, `10.1.${i >> 8}.${i & 255}`)).statusCode,
          401,
        );
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++)
        statuses.push((await token(admin.username, `wrong x${i}`, '10.2.0.1')).statusCode);
      assert.ok(statuses.includes(429), 'the failing address is locked out');
      assert.equal(
        statuses.filter((s) => s === 401).length,
        1,
        'past the throttle, a failed address gets one try',
      );
      // The owner, from their own address: in at once.
      const owner = await token(admin.username, STAFF_PASSWORD, '192.0.2.10');
      assert.equal(owner.statusCode, 201, owner.body);
      // The locked address stays locked even with the right password (it is locked, not the account).
      assert.equal((await token(admin.username, STAFF_PASSWORD, '10.2.0.1')).statusCode, 429);
      // Once the account's window is over (an hour), that address may try again.
      env().clock.advance(61 * 60_000);
      assert.equal((await token(admin.username, STAFF_PASSWORD, '10.2.0.1')).statusCode, 201);
    });

    it('counts each guess before checking it: 25 parallel wrong tries from one address check 5', async () => {
      const admin = await staffCaller(env(), ['admin']);
      const answers = await Promise.all(
        Array.from({ length: 25 }, (_, i) => token(admin.username, `parallel ${i}`, '10.3.0.1')),
      );
      const checked = answers.filter((r) => r.statusCode === 401).length;
      const refused = answers.filter((r) => r.statusCode === 429).length;
      assert.equal(checked, 5, `${checked} passwords checked`);
      assert.equal(refused, 20);
      assert.ok(
        answers.filter((r) => r.statusCode === 429).every((r) => r.json().error.code === 'VOW_LOCKED_OUT'),
      );
    });

    it('lets a TOTP code in once, even for four log-ins racing with it', async () => {
      const admin = await staffCaller(env(), ['admin']);
      const setup = await env().app.inject({
        method: 'POST',
        url: '/v1/staff/totp/setup',
        headers: admin.bearer.headers,
      });
      const { secret } = setup.json() as { secret: string };
      const totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 });
      const code = () => totp.generate({ timestamp: env().clock.now().getTime() });
      const confirm = await env().app.inject({
        method: 'POST',
        url: '/v1/staff/totp',
        headers: admin.bearer.writeHeaders,
        payload: { secret, code: code(), password: STAFF_PASSWORD },
      });
      assert.equal(confirm.statusCode, 200, confirm.body);
      env().clock.advance(30_000);
      const now = code();
      const racing = await Promise.all(
        [1, 2, 3, 4].map((n) => token(admin.username, STAFF_PASSWORD, `10.4.0.${n}`, now)),
      );
      assert.deepEqual(racing.map((r) => r.statusCode).sort(), [201, 401, 401, 401], 'one log-in per code');
    });

    it('replaces the second factor only with the current password', async () => {
      const admin = await staffCaller(env(), ['admin']);
      const setup = await env().app.inject({
        method: 'POST',
        url: '/v1/staff/totp/setup',
        headers: admin.bearer.headers,
      });
      const { secret } = setup.json() as { secret: string };
      const code = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).generate({
        timestamp: env().clock.now().getTime(),
      });
      const enrol = (extra: Record<string, string>) =>
        env().app.inject({
          method: 'POST',
          url: '/v1/staff/totp',
          headers: admin.bearer.writeHeaders,
          payload: { secret, code, ...extra },
        });
      const none = await enrol({});
      assert.equal(none.statusCode, 400, 'a session (or stolen token) alone cannot');
      const wrong = await enrol({ password: 'not the password' });
      assert.equal(wrong.statusCode, 401);
      assert.equal(wrong.json().error.code, 'VOW_BAD_CREDENTIALS');
      assert.equal(
        (await env().services.identity.staff.list()).find((s) => s.id === admin.staffId)?.totp,
        false,
      );
      assert.equal((await enrol({ password: STAFF_PASSWORD })).statusCode, 200);
    });

    it('limits current-password checks (changing the password) like log-ins', async () => {
      const staff = await staffCaller(env(), ['auditor']);
      const change = (current: string) =>
        env().app.inject({
          method: 'POST',
          url: '/v1/staff/password',
          remoteAddress: '10.5.0.1',
          headers: staff.bearer.writeHeaders,
          payload: { current, password: 'a brand new password here' },
        });
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await change(`guess ${i}`)).statusCode);
      assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429, 429]);
      assert.equal((await change(STAFF_PASSWORD)).statusCode, 429, 'this address is locked out');
      // The owner logs in from elsewhere as usual.
      assert.equal((await token(staff.username, STAFF_PASSWORD, '192.0.2.20')).statusCode, 201);

      const shopper = await shopperCaller(env(), 'lock.shopper@example.com');
      const shopperChange = (current: string) =>
        env().app.inject({
          method: 'POST',
          url: '/account/password',
          remoteAddress: '10.5.0.2',
          headers: { ...shopper.headers, 'x-csrf-token': csrfOf(shopper.token) },
          payload: { current, password: 'a brand new password here' },
        });
      const shopperStatuses: number[] = [];
      for (let i = 0; i < 6; i++) shopperStatuses.push((await shopperChange(`guess ${i}`)).statusCode);
      assert.deepEqual(shopperStatuses, [401, 401, 401, 401, 401, 429]);
      const login = await env().app.inject({
        method: 'POST',
        url: '/login',
        remoteAddress: '192.0.2.21',
        payload: { email: 'lock.shopper@example.com', password: SHOPPER_PASSWORD },
      });
      assert.equal(login.statusCode, 200);
    });
  },
  { auth: 'enforced', rateLimits: false },
);
