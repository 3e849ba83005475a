// The mail budget (5 messages an hour to one address, whatever route sends them) counted the address
// as written: `ann+1@example.com`, `ann+2@example.com`, ... each had a budget of its own, and every
// one of them is delivered to Ann's inbox, so a botnet mailed her without end (so did dots in a
// Gmail address). The budget now counts the mailbox an address delivers to.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { mailboxOf, type OutgoingMessage } from '../../src/platform/mail/index.js';
import { describeEachDialect } from '../helpers/env.js';
import { captureMail } from '../helpers/mail.js';

describeEachDialect(
  'the mail budget counts mailboxes',
  (env) => {
    let address = 0;
    /** A new client address each call: the attacker rotates them. */
    const next = () => `198.18.${++address >> 8}.${address & 255}`;
    const json = (url: string, payload: Record<string, unknown>) =>
      env().app.inject({ method: 'POST', url, remoteAddress: next(), payload });

    it('reads the mailbox an address delivers to', () => {
      assert.equal(mailboxOf(' Ann+Shop@Example.COM '), 'ann@example.com');
      assert.equal(mailboxOf('ann+a+b@example.com'), 'ann@example.com');
      assert.equal(mailboxOf('a.n.n+x@GoogleMail.com'), 'ann@gmail.com');
      assert.equal(mailboxOf('a.nn@example.com'), 'a.nn@example.com', 'dots matter elsewhere');
      assert.equal(mailboxOf('+ann@example.com'), '+ann@example.com', 'no local part left: kept');
    });

    it('sends at most 5 mails an hour into one inbox, however its address is written', async () => {
      const sent: OutgoingMessage[] = captureMail(env());
      const variants = (n: number) => [
        `ann+${n}@example.com`,
        `ANN+x${n}@Example.com`,
        `${n % 2 ? 'a.nn' : 'an.n'}+${n}@gmail.com`,
      ];
      const statuses: number[] = [];
      for (let n = 0; n < 8; n++) {
        statuses.push(
          (await json('/v1/complaints', { jurisdiction: 'other', email: variants(n)[0], message: 'x' }))
            .statusCode,
          (await json('/v1/requests', { type: 'access', jurisdiction: 'eea', email: variants(n)[1] }))
            .statusCode,
        );
      }
      assert.equal(statuses.filter((s) => s < 400).length, 5, `statuses ${statuses.join(',')}`);
      assert.equal(statuses.filter((s) => s === 429).length, statuses.length - 5);
      // Gmail's dots: one budget too.
      const gmail: number[] = [];
      for (let n = 0; n < 8; n++)
        gmail.push(
          (await json('/v1/complaints', { jurisdiction: 'other', email: variants(n)[2], message: 'x' }))
            .statusCode,
        );
      assert.equal(gmail.filter((s) => s < 400).length, 5, `statuses ${gmail.join(',')}`);
      await env().services.jobs.drain();
      assert.ok(sent.filter((m) => mailboxOf(m.to) === 'ann@example.com').length <= 5);
      // Another mailbox at the same domain keeps its own budget.
      assert.equal(
        (await json('/v1/complaints', { jurisdiction: 'other', email: 'bob+1@example.com', message: 'x' }))
          .statusCode,
        202,
      );
    });

    it("spends the mailbox's budget when a status page asks for a new code too", async () => {
      const e = env();
      e.clock.advance(2 * 3600_000);
      // Five requests, each for another subaddress of one inbox: the whole budget.
      const tokens: string[] = [];
      for (let n = 1; n <= 5; n++) {
        const r = await json('/v1/requests', {
          type: 'access',
          jurisdiction: 'eea',
          email: `cara+${n}@example.com`,
        });
        assert.equal(r.statusCode, 202, r.body);
        tokens.push(r.json().statusToken);
      }
      e.clock.advance(2 * 60_000);
      // A new code for any of them would be a sixth message into that inbox.
      for (const statusToken of tokens) {
        const r = await json('/v1/requests/resend-code', { statusToken });
        assert.equal(r.statusCode, 429, r.body);
        assert.equal(r.json().error.code, 'VOW_RATE_LIMITED');
      }
    });
  },
  { rateLimits: true },
);
