// A 6-digit code cannot be brute-forced: the staff second factor (TOTP) is locked after 5 wrong
// codes, each lock-out doubles, and the per-address limit caps attempts further.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import { STAFF_PASSWORD, staffCaller } from '../helpers/auth.js';
import { describeEachDialect } from '../helpers/env.js';

describeEachDialect(
  'brute force of a 6-digit code',
  (env) => {
    it('stops guessing a TOTP code long before it could succeed, and the right code waits out the lock', async () => {
      const admin = await staffCaller(env(), ['admin']);
      const setup = await env().app.inject({
        method: 'POST',
        url: '/v1/staff/totp/setup',
        headers: admin.bearer.headers,
      });
      assert.equal(setup.statusCode, 200);
      const { secret } = setup.json() as { secret: string };
      const totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 });
      const now = () => env().clock.now().getTime();
      const confirm = await env().app.inject({
        method: 'POST',
        url: '/v1/staff/totp',
        headers: admin.bearer.writeHeaders,
        payload: { secret, code: totp.generate({ timestamp: now() }), password: STAFF_PASSWORD },
      });
      assert.equal(confirm.statusCode, 200, confirm.body);
      const noCode = await env().app.inject({
        method: 'POST',
        url: '/v1/staff/tokens',
        payload: { username: admin.username, password: STAFF_PASSWORD },
      });
      assert.equal(noCode.json().error.code, 'VOW_TOTP_REQUIRED');

      // An attacker who knows the password guesses codes for a whole simulated day, each from a
      // fresh address (so only the per-account lock-out stands in the way), waiting out each lock.
      const right = () => totp.generate({ timestamp: now() });
      let guesses = 0;
      let refusedWhileLocked = 0;
      const dayEnd = now() + 24 * 60 * 60 * 1000;
      let n = 0;
      while (now() < dayEnd) {
        let guess = String(n++ % 1_000_000).padStart(6, '0');
        if (guess === right()) guess = String((Number(guess) + 1) % 1_000_000).padStart(6, '0');
        const res = await env().app.inject({
          method: 'POST',
          url: '/v1/staff/tokens',
          remoteAddress: `10.0.${Math.floor(n / 250) % 250}.${n % 250}`,
          payload: { username: admin.username, password: STAFF_PASSWORD, totp: guess },
        });
        if (res.statusCode === 429) {
          refusedWhileLocked++;
          const wait = res.json().error.details.retryAfterSeconds as number;
          // While locked even the right code is refused.
          const rightCode = await env().app.inject({
            method: 'POST',
            url: '/v1/staff/tokens',
            remoteAddress: '10.9.9.9',
            payload: { username: admin.username, password: STAFF_PASSWORD, totp: right() },
          });
          assert.equal(rightCode.statusCode, 429);
          env().clock.advance(wait * 1000);
        } else {
          assert.equal(res.statusCode, 401);
          guesses++;
        }
      }
      // 5 guesses per lock-out; locks of 15 min, 30 min, 1 h, 2 h … : a few dozen guesses a day.
      assert.ok(guesses <= 40, `${guesses} guesses in a day`);
      assert.ok(refusedWhileLocked >= 5);
      const chance = guesses / 1_000_000;
      assert.ok(chance < 0.0001, `chance of success in a day ${chance}`);
      // After the lock ends, the holder's right code works.
      env().clock.advance(25 * 60 * 60 * 1000);
      const ok = await env().app.inject({
        method: 'POST',
        url: '/v1/staff/tokens',
        remoteAddress: '10.9.9.8',
        payload: { username: admin.username, password: STAFF_PASSWORD, totp: right() },
      });
      assert.equal(ok.statusCode, 201, ok.body);
      // The same code never works twice (a code seen over a shoulder is spent).
      const replay = await env().app.inject({
        method: 'POST',
        url: '/v1/staff/tokens',
        remoteAddress: '10.9.9.7',
        payload: { username: admin.username, password: STAFF_PASSWORD, totp: right() },
      });
      assert.equal(replay.statusCode, 401);
      env().clock.advance(30_000);
      const nextStep = await env().app.inject({
        method: 'POST',
        url: '/v1/staff/tokens',
        remoteAddress: '10.9.9.6',
        payload: { username: admin.username, password: STAFF_PASSWORD, totp: right() },
      });
      assert.equal(nextStep.statusCode, 201, nextStep.body);
    });

    it('limits code attempts per address too (the code class): 10 per 15 minutes', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) {
        const res = await env().app.inject({
          method: 'GET',
          url: `/account/verify/${'A'.repeat(16)}.${'B'.repeat(43)}`,
          remoteAddress: '192.0.2.44',
        });
        statuses.push(res.statusCode);
      }
      assert.deepEqual(statuses.slice(0, 10), Array(10).fill(400));
      assert.deepEqual(statuses.slice(10), [429, 429]);
    });
  },
  { auth: 'enforced', rateLimits: true },
);
