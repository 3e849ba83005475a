// One limit per email address across every route that mails it or checks its codes, whatever the
// caller's address: before, each route counted on its own (5 an hour on /v1/requests and 5 on
// /privacy/request: 10 code mails and 50 code guesses an hour), and the complaint form had none
// (40 complaints and 45 mails to one victim in a third of a second).
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { OutgoingMessage } from '../../src/platform/mail/index.js';
import { describeEachDialect } from '../helpers/env.js';
import { captureMail } from '../helpers/mail.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describeEachDialect(
  'per-email limits across routes',
  (env) => {
    let sent: OutgoingMessage[] = [];
    let address = 0;
    /** A new client address each call: the attacker rotates them. */
    const next = () => `198.18.${++address >> 8}.${address & 255}`;
    const tokenOf = async (url: string) => {
      const page = await env().app.inject({ method: 'GET', url, remoteAddress: next() });
      return /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    };
    const form = async (url: string, fields: Record<string, string>, tokenUrl = url) =>
      env().app.inject({
        method: 'POST',
        url,
        remoteAddress: next(),
        headers: FORM,
        payload: new URLSearchParams({ _csrf: await tokenOf(tokenUrl), ...fields }).toString(),
      });
    const json = (url: string, payload: Record<string, unknown>) =>
      env().app.inject({ method: 'POST', url, remoteAddress: next(), payload });

    it('sends at most 5 mails an hour to one address, spread over every form and API route', async () => {
      sent = captureMail(env());
      const victim = 'mail.victim@example.com';
      const routes = [
        () => json('/v1/requests', { type: 'access', jurisdiction: 'eea', email: victim }),
        () => form('/privacy/request', { type: 'access', jurisdiction: 'eea', email: victim }),
        () => json('/v1/complaints', { jurisdiction: 'other', email: victim, message: 'spam' }),
        () => form('/privacy/complaint', { jurisdiction: 'other', email: victim, message: 'spam' }),
        () => json('/account/register', { email: victim, password: 'a long enough password 1' }),
        () => json('/account/reset-request', { email: victim }),
      ];
      const statuses: number[] = [];
      for (let round = 0; round < 4; round++)
        for (const call of routes) statuses.push((await call()).statusCode);
      const accepted = statuses.filter((s) => s < 400).length;
      const limited = statuses.filter((s) => s === 429).length;
      assert.equal(accepted, 5, `statuses ${statuses.join(',')}`);
      assert.equal(limited, statuses.length - 5);
      await env().services.jobs.drain();
      assert.ok(sent.filter((m) => m.to === victim).length <= 5, 'at most 5 mails reached the victim');
      // Someone else is not affected, and the victim's budget comes back after the hour.
      assert.equal(
        (await json('/v1/complaints', { jurisdiction: 'other', email: 'other@example.com', message: 'x' }))
          .statusCode,
        202,
      );
      env().clock.advance(61 * 60_000);
      assert.equal((await routes[0]!()).statusCode, 202);
    });

    it('caps code guesses per email address across requests, routes and addresses; the owner still gets in', async () => {
      const e = env();
      e.clock.advance(2 * 3600_000);
      const target = 'code.victim@example.com';
      await e.services.collection.contestEntry({ email: target });
      // The attacker makes five requests for the victim's address (all the mail budget allows).
      const tokens: string[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await json('/v1/requests', { type: 'access', jurisdiction: 'eea', email: target });
        assert.equal(r.statusCode, 202, r.body);
        tokens.push(r.json().statusToken);
      }
      // ... and guesses from two addresses, over both code routes, every request's five tries.
      let checked = 0;
      let refused = 0;
      for (const [n, statusToken] of tokens.entries()) {
        for (let i = 0; i < 5; i++) {
          const from = i % 2 === 0 ? '203.0.113.1' : '203.0.113.2';
          const guess = String(100000 + n * 10 + i);
          const res =
            i % 2 === 0
              ? await e.app.inject({
                  method: 'POST',
                  url: '/v1/requests/verify',
                  remoteAddress: from,
                  payload: { statusToken, code: guess },
                })
              : await e.app.inject({
                  method: 'POST',
                  url: `/privacy/request/status/${statusToken}`,
                  remoteAddress: from,
                  headers: FORM,
                  payload: new URLSearchParams({
                    _csrf: await tokenOf(`/privacy/request/status/${statusToken}`),
                    code: guess,
                  }).toString(),
                });
          const wasRefused = res.statusCode === 429 || String(res.headers.location ?? '').endsWith('?m=wait');
          if (wasRefused) refused++;
          else checked++;
        }
      }
      // Before: 25 guesses. Now each address is locked after 5, and the address throttle at 10.
      assert.ok(checked <= 10, `${checked} codes checked`);
      assert.ok(refused >= 15, `${refused} refused`);
      // The victim, from their own address, makes a request and types the right code.
      const sentBefore = sent.length;
      e.clock.advance(61 * 60_000);
      const mine = await json('/v1/requests', { type: 'access', jurisdiction: 'eea', email: target });
      assert.equal(mine.statusCode, 202);
      await e.services.jobs.drain();
      const code = /\b(\d{6})\b/.exec(
        sent
          .slice(sentBefore)
          .filter((m) => m.to === target)
          .at(-1)?.text ?? '',
      )?.[1];
      const ok = await e.app.inject({
        method: 'POST',
        url: '/v1/requests/verify',
        remoteAddress: '192.0.2.55',
        payload: { statusToken: mine.json().statusToken, code },
      });
      assert.equal(ok.statusCode, 200, ok.body);
    });
  },
  { auth: 'enforced', rateLimits: true },
);
