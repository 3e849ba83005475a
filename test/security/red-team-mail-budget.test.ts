// Red team (review round 5): the mail budget counts the mailbox an address delivers to (#29), but the
// shopper account forms (sign-up, reset request) take an address with the DNS root's dot after its
// domain (`ann@example.com.`), the same domain to DNS and so the same mailbox, and it was counted
// apart: five more messages an hour into Ann's inbox. The mailbox is now read without that dot.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { mailboxOf } from '../../src/platform/mail/index.js';
import { describeEachDialect } from '../helpers/env.js';

describeEachDialect(
  'red team: the mail budget and the DNS root’s dot',
  (env) => {
    let address = 0;
    const next = () => `198.18.${++address >> 8}.${address & 255}`;
    const json = (url: string, payload: Record<string, unknown>) =>
      env().app.inject({ method: 'POST', url, remoteAddress: next(), payload });

    it('counts ann@example.com. as ann@example.com', async () => {
      for (let n = 0; n < 5; n++)
        assert.equal(
          (
            await json('/v1/complaints', {
              jurisdiction: 'other',
              email: 'dora.dot@example.com',
              message: 'x',
            })
          ).statusCode,
          202,
        );
      const reset = await json('/account/reset-request', { email: 'dora.dot@example.com.' });
      assert.equal(reset.statusCode, 429, reset.body);
      const signUp = await json('/account/register', {
        email: 'Dora.Dot@Example.com.',
        password: 'a long enough password 1',
      });
      assert.equal(signUp.statusCode, 429, signUp.body);
      assert.equal(mailboxOf('Ann+1@Example.com.'), 'ann@example.com');
      assert.equal(mailboxOf('a.nn@gmail.com.'), 'ann@gmail.com');
    });
  },
  { rateLimits: true },
);
