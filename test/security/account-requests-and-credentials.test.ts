// An access request made from the account (POST /v1/me/requests) is answered where the person can
// read it: the export's link goes to the account's confirmed email (before: marked completed and
// "sent" with no mail at all). And credentials are never shown, to anyone: "my data", its download,
// the access export (JSON and CSV) show that a password is held, never its hash.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { OutgoingMessage } from '../../src/platform/mail/index.js';
import { orderBody } from '../collection/fixtures.js';
import { serviceCaller, shopperCaller } from '../helpers/auth.js';
import { describeEachDialect } from '../helpers/env.js';
import { captureMail } from '../helpers/mail.js';

const EMAIL = 'ann.buyerselfserve@example.com';

describeEachDialect(
  'requests from the account, and credentials never shown',
  (env) => {
    let sent: OutgoingMessage[] = [];
    let shopper: Awaited<ReturnType<typeof shopperCaller>>;
    let hash = '';

    it('sets up a known person with an account', async () => {
      const e = env();
      sent = captureMail(e);
      const service = await serviceCaller(e);
      const order = await e.app.inject({
        method: 'POST',
        url: '/v1/orders',
        headers: service.writeHeaders,
        payload: orderBody('selfserve'),
      });
      assert.equal(order.statusCode, 201, order.body);
      shopper = await shopperCaller(e, EMAIL);
      assert.ok(shopper.subjectId, 'the account is linked to the person');
      const row = await e.store.db
        .selectFrom('shopper_accounts')
        .select('password_hash')
        .where('id', '=', shopper.accountId)
        .executeTakeFirstOrThrow();
      hash = row.password_hash;
      assert.match(hash, /^\$argon2id\$/);
    });

    const noCredential = (text: string, where: string) => {
      assert.ok(!text.includes(hash), `${where} shows the password hash`);
      assert.doesNotMatch(text, /\$argon2/, `${where} shows a password hash`);
      const hashBody = hash.split('$').at(-1)!;
      assert.ok(!text.includes(hashBody), `${where} shows part of the hash`);
    };

    it('shows no credential in "my data" or its download', async () => {
      const e = env();
      const mine = await e.app.inject({
        method: 'GET',
        url: '/v1/account/my-data',
        headers: shopper.headers,
      });
      assert.equal(mine.statusCode, 200);
      noCredential(mine.body, 'my data');
      assert.match(mine.body, /held, never shown/, 'it says a password is held');
      const page = await e.app.inject({ method: 'GET', url: '/account/my-data', headers: shopper.headers });
      noCredential(page.body, 'the my-data page');
      const download = await e.app.inject({
        method: 'GET',
        url: '/account/my-data/download',
        headers: shopper.headers,
      });
      noCredential(download.body, 'the download');
    });

    it('mails the access export of a request made from the account to its confirmed email', async () => {
      const e = env();
      const res = await e.app.inject({
        method: 'POST',
        url: '/v1/me/requests',
        headers: shopper.writeHeaders,
        payload: { type: 'access', jurisdiction: 'eea' },
      });
      assert.equal(res.statusCode, 202, res.body);
      await e.services.jobs.drain();
      const ready = sent.filter((m) => m.to === EMAIL && /ready/.test(m.subject));
      assert.equal(ready.length, 1, 'the answer went to the account email');
      const token = /\/privacy\/request\/export\/([A-Za-z0-9_-]+)/.exec(ready[0]!.text)?.[1];
      assert.ok(token);
      const json = await e.app.inject({ method: 'GET', url: `/privacy/request/export/${token}/data.json` });
      assert.equal(json.statusCode, 200);
      assert.match(json.body, /ann\.buyerselfserve@example\.com/, 'the export holds the person’s data');
      noCredential(json.body, 'the access export');
      for (const table of Object.keys(json.json().csv)) {
        const csv = await e.app.inject({
          method: 'GET',
          url: `/privacy/request/export/${token}/csv/${table}`,
        });
        noCredential(csv.body, `the export's ${table}.csv`);
      }
      const status = await e.app.inject({
        method: 'GET',
        url: `/v1/requests/status/${res.json().statusToken}`,
      });
      assert.equal(status.json().status, 'completed');
    });
  },
  { auth: 'enforced', rateLimits: false },
);
