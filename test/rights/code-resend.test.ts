// "Send me a new code": a request whose emailed code ran out, or that five wrong codes locked, gets
// a new code on its status page (or POST /v1/requests/resend-code) instead of needing a new
// request. The code goes to the address given with the request, never to one the caller names; the
// earlier code stops working; the request keeps its id and its deadline; one code a minute and five
// a day per request, and the address's mail budget, bound it.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import type { OutgoingMessage } from '../../src/platform/mail/index.js';
import { orderBody, post } from '../collection/fixtures.js';
import { describeEachDialect, type TestEnv } from '../helpers/env.js';
import { captureMail } from '../helpers/mail.js';

const MINUTE = 60_000;
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const HTML = { accept: 'text/html' };

/** A known person's address (their order made them one). */
async function knownAddress(e: TestEnv, n: string): Promise<string> {
  const body = orderBody(`resend-${n}`);
  assert.equal((await post(e, '/v1/orders', body)).statusCode, 201);
  return body.buyer.email;
}

/** The code in the last code mail to `to` since `from` (an index into `sent`). */
function lastCode(sent: readonly OutgoingMessage[], to: string, from = 0): string | undefined {
  const mail = sent
    .slice(from)
    .filter((m) => m.to === to && /code|código/.test(m.subject))
    .at(-1);
  return /\b(\d{6})\b/.exec(mail?.text ?? '')?.[1];
}

describeEachDialect('a new code for a request (API and service)', (env) => {
  let sent: OutgoingMessage[] = [];
  before(() => {
    sent = captureMail(env());
  });

  async function request(e: TestEnv, email: string, extra: Record<string, unknown> = {}) {
    const r = await post(e, '/v1/requests', { type: 'access', jurisdiction: 'eea', email, ...extra });
    assert.equal(r.statusCode, 202, r.body);
    await e.services.jobs.drain();
    return r.json().statusToken as string;
  }
  const resend = (e: TestEnv, statusToken: string) => post(e, '/v1/requests/resend-code', { statusToken });
  const verify = (e: TestEnv, statusToken: string, code: string | undefined, from = '192.0.2.10') =>
    e.app.inject({
      method: 'POST',
      url: '/v1/requests/verify',
      remoteAddress: from,
      payload: { statusToken, code },
    });

  it('a code that ran out: a new one to the address on the request verifies it; the id and the deadline stay', async () => {
    const e = env();
    const email = await knownAddress(e, 'expired');
    const statusToken = await request(e, email);
    const first = lastCode(sent, email);
    const before = await e.services.rights.statusByToken(statusToken);
    e.clock.advance(16 * MINUTE);
    assert.equal((await verify(e, statusToken, first)).json().error.code, 'VOW_VERIFICATION_FAILED');
    const mark = sent.length;
    const r = await resend(e, statusToken);
    assert.equal(r.statusCode, 202, r.body);
    assert.equal(r.json().status, 'awaiting_verification');
    assert.match(r.json().message, /earlier code no longer works/);
    await e.services.jobs.drain();
    const mails = sent.slice(mark);
    assert.deepEqual(
      mails.map((m) => m.to),
      [email],
      'one mail, to the address on the request',
    );
    assert.match(mails[0]!.subject, /a new confirmation code/);
    assert.match(mails[0]!.text, /The code we sent before no longer works/);
    const second = lastCode(sent, email, mark);
    assert.notEqual(second, first);
    assert.equal((await verify(e, statusToken, second)).statusCode, 200);
    const after = await e.services.rights.statusByToken(statusToken);
    assert.equal(after.id, before.id);
    assert.equal(after.dueOn, before.dueOn, 'the statutory clock does not restart');
    assert.equal(after.receivedOn, before.receivedOn);
    // Audited by id, without the address.
    const audit = await e.store.db
      .selectFrom('audit_log')
      .selectAll()
      .where('target_id', '=', before.id)
      .where('action', '=', 'request.code_resent')
      .execute();
    assert.equal(audit.length, 1);
    assert.doesNotMatch(JSON.stringify(audit), new RegExp(email.replace('.', '\\.')));
  });

  it('the code sent before a new one is refused, even within its 15 minutes', async () => {
    const e = env();
    const email = await knownAddress(e, 'old');
    const statusToken = await request(e, email);
    const first = lastCode(sent, email);
    e.clock.advance(MINUTE + 1000);
    const mark = sent.length;
    assert.equal((await resend(e, statusToken)).statusCode, 202);
    await e.services.jobs.drain();
    const second = lastCode(sent, email, mark);
    const old = await verify(e, statusToken, first);
    assert.equal(old.statusCode, 400);
    assert.equal(old.json().error.code, 'VOW_VERIFICATION_FAILED');
    assert.equal((await verify(e, statusToken, second)).statusCode, 200);
  });

  it('five wrong codes lock the code, and a new code unlocks the request', async () => {
    const e = env();
    const email = await knownAddress(e, 'locked');
    const statusToken = await request(e, email);
    const right = lastCode(sent, email);
    const wrong = right === '000000' ? '111111' : '000000';
    // Someone else guesses, from their own address.
    for (let i = 0; i < 5; i++)
      assert.equal((await verify(e, statusToken, wrong, '203.0.113.9')).statusCode, 400);
    const locked = await verify(e, statusToken, right);
    assert.equal(locked.statusCode, 429);
    assert.equal(locked.json().error.code, 'VOW_VERIFICATION_LOCKED');
    assert.match(locked.json().error.message, /ask for a new code/);
    e.clock.advance(MINUTE + 1000);
    const mark = sent.length;
    assert.equal((await resend(e, statusToken)).statusCode, 202);
    await e.services.jobs.drain();
    assert.equal((await verify(e, statusToken, right)).statusCode, 400, 'the locked code stays refused');
    const ok = await verify(e, statusToken, lastCode(sent, email, mark));
    assert.equal(ok.statusCode, 200, ok.body);
  });

  it('one code a minute and five a day per request; the day counts from the first', async () => {
    const e = env();
    const email = await knownAddress(e, 'limits');
    const statusToken = await request(e, email);
    const mark = sent.length;
    const soon = await resend(e, statusToken);
    assert.equal(soon.statusCode, 429);
    assert.equal(soon.json().error.code, 'VOW_RATE_LIMITED');
    assert.deepEqual(soon.json().error.details, { reason: 'gap', retryAfterSeconds: 60 });
    for (let i = 0; i < 4; i++) {
      e.clock.advance(MINUTE);
      assert.equal((await resend(e, statusToken)).statusCode, 202, `new code ${i + 2}`);
    }
    e.clock.advance(MINUTE);
    const daily = await resend(e, statusToken);
    assert.equal(daily.statusCode, 429);
    assert.equal(daily.json().error.details.reason, 'daily');
    // The first code was sent 5 minutes ago: the day's window frees a code 23 h 55 min from now.
    assert.equal(daily.json().error.details.retryAfterSeconds, 24 * 3600 - 5 * 60);
    await e.services.jobs.drain();
    assert.equal(sent.slice(mark).filter((m) => m.to === email).length, 4, 'refused sends mail nothing');
    e.clock.advance(24 * 3600_000 - 5 * MINUTE);
    assert.equal((await resend(e, statusToken)).statusCode, 202);
  });

  it('new codes spend the address’s mail budget, shared by every request of that address', async () => {
    const e = env();
    const email = 'budget.person@example.com';
    const a = await request(e, email);
    const b = await request(e, email);
    for (let i = 0; i < 4; i++) {
      e.clock.advance(MINUTE);
      assert.equal((await resend(e, a)).statusCode, 202);
    }
    assert.equal((await resend(e, b)).statusCode, 202, 'the fifth message of the hour');
    e.clock.advance(MINUTE);
    const spent = await resend(e, b);
    assert.equal(spent.statusCode, 429);
    assert.equal(spent.json().error.code, 'VOW_RATE_LIMITED');
    assert.equal(spent.json().error.details.reason, undefined, 'the address’s budget, not the request’s');
    e.clock.advance(60 * MINUTE);
    assert.equal((await resend(e, b)).statusCode, 202, 'the budget comes back after the hour');
  });

  it('a crash after the budget is spent and before the new code is issued spends nothing', async () => {
    const e = env();
    const email = 'crash.budget@example.com';
    const a = await request(e, email);
    const b = await request(e, email);
    // The process dies while the new code's transaction runs (its mail being queued): nothing of it
    // commits, and the address's budget must not have lost a message to it.
    const mail = e.services.mail;
    const enqueue = mail.enqueue;
    mail.enqueue = async () => {
      throw new Error('crash: the process died here');
    };
    try {
      e.clock.advance(MINUTE);
      assert.equal((await resend(e, a)).statusCode, 500);
    } finally {
      mail.enqueue = enqueue;
    }
    const before = sent.length;
    for (let i = 0; i < 4; i++) {
      e.clock.advance(MINUTE);
      assert.equal((await resend(e, a)).statusCode, 202, `new code ${i + 1} of request a`);
    }
    e.clock.advance(MINUTE);
    const fifth = await resend(e, b);
    assert.equal(fifth.statusCode, 202, `the fifth message of the hour: ${fifth.body}`);
    await e.services.jobs.drain();
    assert.equal(sent.length - before, 5);
  });

  it('never mails an address the caller names, nor tells whether an address is known', async () => {
    const e = env();
    const email = await knownAddress(e, 'takeover');
    const statusToken = await request(e, email);
    e.clock.advance(MINUTE + 1000);
    const mark = sent.length;
    const named = await post(e, '/v1/requests/resend-code', {
      statusToken,
      email: 'attacker@example.com',
    });
    assert.equal(named.statusCode, 400);
    assert.equal(named.json().error.code, 'VOW_VALIDATION');
    await e.services.jobs.drain();
    assert.deepEqual(sent.slice(mark), [], 'nothing mailed');
    // An unknown address gets a new code like anyone, which verifies nothing (as at intake).
    const unknown = await request(e, 'nobody.known@example.com');
    e.clock.advance(MINUTE + 1000);
    const r = await resend(e, unknown);
    assert.equal(r.statusCode, 202);
    await e.services.jobs.drain();
    const code = lastCode(sent, 'nobody.known@example.com', mark);
    assert.ok(code, 'a code was mailed');
    assert.equal((await verify(e, unknown, code)).json().error.code, 'VOW_VERIFICATION_FAILED');
  });

  it('refuses a request not waiting for its code, one without an address, and a link that is not one', async () => {
    const e = env();
    const email = await knownAddress(e, 'state');
    const statusToken = await request(e, email);
    assert.equal((await verify(e, statusToken, lastCode(sent, email))).statusCode, 200);
    e.clock.advance(MINUTE + 1000);
    const verified = await resend(e, statusToken);
    assert.equal(verified.statusCode, 409);
    assert.equal(verified.json().error.code, 'VOW_REQUEST_STATE');
    // Logged by staff from a letter without an email address: no code to send.
    const letter = await e.services.rights.submit(
      { type: 'access', jurisdiction: 'eea', name: 'Pat Letter' },
      { channel: 'postal', receivedOn: e.clock.now().toISOString().slice(0, 10), staffId: 'staff-1' },
    );
    await assert.rejects(e.services.rights.resendCode(letter.statusToken), {
      code: 'VOW_REQUEST_STATE',
      message: /no email address/,
    });
    const nowhere = await resend(e, 'x'.repeat(43));
    assert.equal(nowhere.statusCode, 404);
    assert.equal(nowhere.json().error.code, 'VOW_REQUEST_NOT_FOUND');
  });
});

describeEachDialect('a new code on the status page', (env) => {
  let sent: OutgoingMessage[] = [];
  before(() => {
    sent = captureMail(env());
  });
  const page = (url: string, headers: Record<string, string> = HTML) =>
    env().app.inject({ method: 'GET', url, headers });
  const csrfOf = (body: string, action: string) =>
    new RegExp(`action="${action}"[^>]*>\\s*<input type="hidden" name="_csrf" value="([^"]+)"`).exec(
      body,
    )?.[1] ?? '';
  /** Sends a form of the status page (its token read from the page, as a browser does). */
  const send = async (
    statusToken: string,
    action: string,
    fields: Record<string, string> = {},
    from = '192.0.2.20',
  ) => {
    const url = `/privacy/request/status/${statusToken}`;
    const csrf = csrfOf((await page(url)).body, action);
    assert.ok(csrf, `the page has the form ${action}`);
    return env().app.inject({
      method: 'POST',
      url: action,
      remoteAddress: from,
      headers: FORM,
      payload: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
    });
  };
  const messageOf = async (location: string, headers?: Record<string, string>) => {
    const body = (await page(location, headers)).body;
    return (
      /<p class="(?:ok|info|error)"[^>]*>([^<]+)<\/p>|role="alert"[^>]*>([\s\S]*?)<\//
        .exec(body)
        ?.slice(1)
        .join('') ?? body
    );
  };

  it('offers a new code under the code form, in English and Spanish', async () => {
    const e = env();
    const email = await knownAddress(e, 'page-words');
    const r = await post(e, '/v1/requests', { type: 'access', jurisdiction: 'eea', email });
    const url = `/privacy/request/status/${r.json().statusToken}`;
    const en = (await page(url)).body;
    assert.match(en, /data-testid="resend-form"/);
    assert.match(en, /Email me a new code/);
    assert.match(en, /We can email a new one to the address you gave with this request/);
    assert.doesNotMatch(en, /name="email"/, 'the form takes no address');
    const es = (await page(url, { ...HTML, 'accept-language': 'es' })).body;
    assert.match(es, /Enviarme un nuevo código/);
  });

  it('locked by wrong codes, a new code from the page lets the shopper in; too soon is said', async () => {
    const e = env();
    const email = await knownAddress(e, 'page-lock');
    const r = await post(e, '/v1/requests', { type: 'access', jurisdiction: 'eea', email });
    const statusToken = r.json().statusToken as string;
    await e.services.jobs.drain();
    const right = lastCode(sent, email)!;
    const wrong = right === '000000' ? '111111' : '000000';
    const codeForm = `/privacy/request/status/${statusToken}`;
    // Someone else guesses, from their own address, until the code is locked.
    for (let i = 0; i < 5; i++) await send(statusToken, codeForm, { code: wrong }, '203.0.113.7');
    const location = String((await send(statusToken, codeForm, { code: right })).headers.location);
    assert.match(location, /\?m=locked$/);
    assert.match(await messageOf(location), /Ask for a new code below/);
    const resendForm = `/privacy/request/status/${statusToken}/resend`;
    // The first code was sent a moment ago: the page says to wait, and mails nothing.
    const mark = sent.length;
    const soon = await send(statusToken, resendForm);
    assert.equal(soon.statusCode, 303);
    assert.match(String(soon.headers.location), /\?m=soon$/);
    assert.match(await messageOf(String(soon.headers.location)), /ask again in a minute/);
    assert.match(
      await messageOf(String(soon.headers.location), { ...HTML, 'accept-language': 'es' }),
      /vuelva a pedirlo en un minuto/,
    );
    e.clock.advance(MINUTE + 1000);
    const resent = await send(statusToken, resendForm);
    assert.match(String(resent.headers.location), /\?m=resent$/);
    assert.match(await messageOf(String(resent.headers.location)), /We emailed a new code/);
    await e.services.jobs.drain();
    const code = lastCode(sent, email, mark);
    assert.ok(code);
    assert.match(
      String((await send(statusToken, codeForm, { code: right })).headers.location),
      /\?m=invalid$/,
    );
    const ok = await send(statusToken, codeForm, { code });
    assert.match(String(ok.headers.location), /\?m=ok$/);
    // Verified: no code form and no new-code form any more; asking again only shows the status.
    const done = (await page(codeForm)).body;
    assert.doesNotMatch(done, /resend-form/);
    const again = await send(statusToken, resendForm).catch(() => undefined);
    assert.equal(again, undefined, 'the page offers no new-code form once verified');
  });

  it('a shopper who typed five wrong codes themselves waits the lock-out, then a new code lets them in', async () => {
    const e = env();
    const email = await knownAddress(e, 'page-self');
    const r = await post(e, '/v1/requests', { type: 'access', jurisdiction: 'eea', email });
    const statusToken = r.json().statusToken as string;
    await e.services.jobs.drain();
    const right = lastCode(sent, email)!;
    const wrong = right === '000000' ? '111111' : '000000';
    const codeForm = `/privacy/request/status/${statusToken}`;
    const resendForm = `${codeForm}/resend`;
    for (let i = 0; i < 5; i++) await send(statusToken, codeForm, { code: wrong });
    assert.match(
      await messageOf(String((await send(statusToken, codeForm, { code: right })).headers.location)),
      /wait 15 minutes/,
    );
    e.clock.advance(MINUTE + 1000);
    let mark = sent.length;
    assert.match(String((await send(statusToken, resendForm)).headers.location), /\?m=resent$/);
    await e.services.jobs.drain();
    // Their own address is locked out of this email's codes for 15 minutes: the page says to wait.
    const early = await send(statusToken, codeForm, { code: lastCode(sent, email, mark)! });
    assert.match(String(early.headers.location), /\?m=wait$/);
    e.clock.advance(16 * MINUTE);
    mark = sent.length;
    assert.match(String((await send(statusToken, resendForm)).headers.location), /\?m=resent$/);
    await e.services.jobs.drain();
    const ok = await send(statusToken, codeForm, { code: lastCode(sent, email, mark)! });
    assert.match(String(ok.headers.location), /\?m=ok$/);
  });

  it('a limit on new codes, or no address to send one to, is a neutral notice the page opens on; a wrong code stays an error', async () => {
    const e = env();
    const email = await knownAddress(e, 'page-notice');
    const r = await post(e, '/v1/requests', { type: 'access', jurisdiction: 'eea', email });
    const url = `/privacy/request/status/${r.json().statusToken}`;
    const notice = (body: string) =>
      /<p class="([a-z]+)" role="(status|alert)" tabindex="-1" autofocus data-testid="([a-z-]+)">([^<]+)<\/p>/.exec(
        body,
      );
    for (const [m, en, es] of [
      ['soon', /ask again in a minute\.$/, /vuelva a pedirlo en un minuto\.$/],
      ['daily', /ask for a new code tomorrow\.$/, /pida un nuevo código mañana\.$/],
      ['mailbox', /Ask for a new code again in an hour\.$/, /Vuelva a pedir un nuevo código en una hora\.$/],
      // No address to send a code to is no mistake of the shopper's either: it says what to do.
      ['nocode', /Make a new request with your email address/, /correo electrónico/],
    ] as const)
      for (const [headers, words] of [
        [HTML, en],
        [{ ...HTML, 'accept-language': 'es' }, es],
      ] as const) {
        const body = (await page(`${url}?m=${m}`, headers)).body;
        const [, cls, role, testid, text] = notice(body) ?? [];
        assert.deepEqual([cls, role, testid], ['info', 'status', 'status-message'], `${m}: a neutral notice`);
        assert.match(text ?? '', words, m);
        assert.doesNotMatch(body, /role="alert"|class="error"/, `${m}: nothing shown as an error`);
      }
    const wrong = (await page(`${url}?m=invalid`)).body;
    assert.deepEqual(
      notice(wrong)?.slice(1, 4),
      ['error', 'alert', 'form-error'],
      'a wrong code is an error',
    );
    const resent = (await page(`${url}?m=resent`)).body;
    assert.deepEqual(notice(resent)?.slice(1, 4), ['ok', 'status', 'status-message']);
  });

  it('a link that leads nowhere gets the page saying so', async () => {
    const e = env();
    const r = await post(e, '/v1/requests', {
      type: 'access',
      jurisdiction: 'eea',
      email: 'any.one@example.com',
    });
    const real = r.json().statusToken as string;
    // The form's token is the route's, whatever request: a real page's serves the bogus link.
    const csrf = csrfOf(
      (await page(`/privacy/request/status/${real}`)).body,
      `/privacy/request/status/${real}/resend`,
    );
    assert.ok(csrf);
    const res = await e.app.inject({
      method: 'POST',
      url: `/privacy/request/status/${'y'.repeat(43)}/resend`,
      headers: { ...FORM, ...HTML },
      payload: new URLSearchParams({ _csrf: csrf }).toString(),
    });
    assert.equal(res.statusCode, 404);
    assert.match(res.body, /Request not found/);
    assert.match(res.body, /open the whole link/, 'says what to do next');
  });
});
