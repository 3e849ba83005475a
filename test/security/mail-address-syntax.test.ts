// An address is text to Vow but syntax to the mail library: `x:ann@example.org` is a group named x
// holding ann@example.org, `(1)ann@example.org` has a comment, and in `ann@example.org(` the rest
// is dropped; nodemailer sends each to ann@example.org. The shopper account forms took any text
// shaped like an address, so each prefix (`1:`, `2:`, ... or `(1)`, `(2)`, ...) was an address of
// its own, with a mail budget of its own (5 an hour, #4, #29), all landing in Ann's inbox: sign-ups
// and reset requests mailed her without end (security.md #33). The forms and the outbox now take
// only plain addresses (no RFC 5322 specials); this test reads what reaches a real SMTP server.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, it } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { smtpTransport } from '../../src/platform/mail/transport.js';
import { isPlainAddress } from '../../src/platform/strings.js';
import { describeEachDialect } from '../helpers/env.js';

const DISGUISED = [
  '1:ann@example.org',
  'x:ann@example.org',
  '(1)ann@example.org',
  'ann@example.org(1',
  'ann@example.org]',
  '[ann@example.org',
  'a\\nn@example.org',
];

it('tells a plain address from one holding address syntax', () => {
  for (const a of ['ann@example.org', "o'brien+news@example.co.uk", 'a.b-c_d@x.example'])
    assert.equal(isPlainAddress(a), true, a);
  for (const a of [
    ...DISGUISED,
    'Ann <ann@example.org>',
    'ann@example.org,bob@example.org',
    '"a b"@example.org',
  ])
    assert.equal(isPlainAddress(a), false, a);
});

describeEachDialect('addresses disguised with mail syntax', (env) => {
  const recipients: string[] = [];
  let server: SMTPServer;
  before(async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        for (const r of session.envelope.rcptTo) recipients.push(r.address);
        stream.resume();
        stream.on('end', () => callback());
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const { port } = server.server.address() as AddressInfo;
    env().services.mail.useTransport(smtpTransport(`smtp://127.0.0.1:${port}`));
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('refuses each as an account address (sign-up, reset), so none is mailed', async () => {
    const e = env();
    for (const email of DISGUISED)
      for (const url of ['/account/register', '/account/reset-request']) {
        const res = await e.app.inject({
          method: 'POST',
          url,
          payload: url.endsWith('register') ? { email, password: 'a long enough password 1' } : { email },
        });
        assert.equal(res.statusCode, 400, `${url} ${email}: ${res.body}`);
        assert.equal(res.json().error.code, 'VOW_VALIDATION');
      }
    await e.services.jobs.drain();
    assert.deepEqual(recipients, []);
  });

  it('never hands the mail library an address it reads as another', async () => {
    const e = env();
    const message = { subject: 'Hello', text: 'Hello.', kind: 'test.mail' };
    for (const to of DISGUISED)
      await assert.rejects(e.services.mail.enqueue({ ...message, to }), /A message needs an address/);
    await e.services.mail.enqueue({ ...message, to: 'ann@example.org' });
    await e.services.jobs.drain();
    assert.deepEqual(recipients, ['ann@example.org']);
  });
});
