// P22 "deletion from every database": after a completed deletion nothing of the person is readable
// anywhere in Vow's store, not even with the master key (the export link and its sealed export, the
// sealed contact on their requests, outbox copies, sessions, unsubscribe and account tokens). And a
// partial deletion finishes, deciding row by row, and leaves the audiences and disclosures at once.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import { type OutgoingMessage, RECORDED_NOTICE_KEPT_DAYS } from '../../src/platform/mail/index.js';
import { address, catalogBody, orderBody, post } from '../collection/fixtures.js';
import { accountThroughService } from '../helpers/auth.js';
import { describeEachDialect, type TestEnv, testConfig } from '../helpers/env.js';
import {
  everyCell,
  filesNaming,
  liveKeyHolders,
  person,
  spooledUploadsNaming,
  throughEveryChannel,
  whereFound,
} from './every-channel.js';
import type { Json } from './helpers.js';
import { approvedCorrection, captureMail, exportLink, verifiedRequest } from './real-flow.js';

const DATA_DIR = mkdtempSync(path.join(tmpdir(), 'vow-every-copy-'));
after(() => {
  rmSync(DATA_DIR, { recursive: true, force: true });
  rmSync(`${DATA_DIR}-files`, { recursive: true, force: true });
});

/**
 * What someone holding a copy of the data folder and the master key can read: every sealed value
 * opened with every data key still in the store (and request and account keys), and every outbox
 * message opened with the outbox key.
 */
async function readableWithMasterKey(e: TestEnv): Promise<string[]> {
  const cells = await everyCell(e);
  const keys = await liveKeyHolders(e);
  const texts: string[] = [];
  for (const c of cells) {
    if (!c.value.startsWith('v1.')) {
      texts.push(c.value);
      continue;
    }
    for (const key of keys) {
      try {
        const plain = await e.ctx.vault.decrypt(key, c.value);
        if (plain !== null) texts.push(plain);
      } catch {
        // not this key
      }
    }
  }
  for (const m of await e.services.mail.list()) {
    // A notice to a downstream recipient keeps its text until it is forwarded (GDPR Art. 19), for
    // RECORDED_NOTICE_KEPT_DAYS at most: checked apart below.
    if (m.audience !== 'person') continue;
    const body = await e.services.mail.read(m.id);
    if (body) texts.push(JSON.stringify(body));
  }
  return texts;
}

describeEachDialect(
  'a completed deletion reaches every copy',
  (env) => {
    let sent: OutgoingMessage[] = [];
    before(() => {
      sent = captureMail(env);
    });

    it('leaves no export link, request contact, session, token or outbox copy readable, even with the master key', async () => {
      const e = env();
      const email = 'rosa.every@example.com';
      const body = orderBody('every', {
        buyer: {
          name: 'Rosa Everycopy',
          email,
          phone: '(608) 265-7788',
          billing_address: address('77 Everycopy Avenue'),
          shipping_address: address('77 Everycopy Avenue'),
        },
      });
      assert.equal((await post(e, '/v1/orders', body)).statusCode, 201);
      const subjectId = (await e.services.subjects.findByEmail(email))!;
      // A shopper account with a session, and a campaign email carrying an unsubscribe token.
      const accountId = await accountThroughService(e, email);
      const rendered = await post(e, '/v1/emails/render', { subjectId, subject: 'New rings', text: 'Look.' });
      assert.equal(rendered.statusCode, 200, rendered.body);
      // An access request answered with a download link.
      await verifiedRequest(e, sent, { type: 'access', jurisdiction: 'eea', email });
      const link = exportLink(sent, email);
      assert.equal((await e.app.inject({ url: `${link}/data.json` })).statusCode, 200);

      await verifiedRequest(e, sent, { type: 'deletion', jurisdiction: 'eea', email });
      const deletion = (await e.services.rights.queue({ includeClosed: true })).find(
        (r) => r.subjectId === subjectId && r.type === 'deletion',
      );
      assert.equal(deletion?.status, 'completed', JSON.stringify(deletion));

      const old = await e.app.inject({ url: `${link}/data.json` });
      assert.ok([404, 410].includes(old.statusCode), `the old export link answers ${old.statusCode}`);
      const personal = ['Rosa', 'Everycopy', email, '265-7788', '+16082657788', '6082657788'];
      for (const text of await readableWithMasterKey(e)) {
        for (const p of personal)
          assert.ok(!text.includes(p), `"${p}" is still readable: ${text.slice(0, 200)}`);
      }
      // The notices to the email service and the SMS gateway lose their text after 30 days.
      const notices = (await e.services.mail.list()).filter((m) => m.audience !== 'person');
      assert.ok(notices.length > 0, 'downstream recipients were told');
      e.clock.advance((RECORDED_NOTICE_KEPT_DAYS + 1) * 24 * 3600_000);
      assert.equal(await e.services.mail.forgetOldNotices(), notices.length);
      for (const n of notices) assert.equal(await e.services.mail.read(n.id), null);
      const count = async (table: string, column: string, value: string) =>
        Number(
          (
            await sql<{
              n: number;
            }>`select count(*) as n from ${sql.table(table)} where ${sql.ref(column)} = ${value}`.execute(
              e.store.db,
            )
          ).rows[0]?.n,
        );
      assert.equal(await count('sessions', 'principal_id', accountId), 0, 'the account’s sessions end');
      assert.equal(await count('account_tokens', 'account_id', accountId), 0, 'its single-use tokens go');
      assert.equal(await count('unsubscribe_tokens', 'subject_id', subjectId), 0, 'unsubscribe tokens go');
      const requests = await e.store.db
        .selectFrom('rights_requests')
        .select(['sealed', 'email_index', 'type', 'status'])
        .where('subject_id', '=', subjectId)
        .execute();
      assert.equal(requests.length, 2, 'the request log keeps both requests');
      for (const r of requests) {
        assert.equal(r.email_index, null, 'no keyed hash of the address stays on the log');
        assert.ok(r.sealed === '' || r.sealed === null, 'no sealed contact stays on the log');
      }
    });

    for (const [n, category, gone] of [
      ['pa', 'contact.postal_address', 'address'],
      ['ph', 'contact.phone', 'phone'],
      ['co', 'contact', 'every contact'],
    ] as const) {
      it(`a deletion of ${category} finishes, decided row by row, and the ${gone} leaves audiences and disclosures`, async () => {
        const e = env();
        const email = `pat.partial${n}@example.com`;
        const order = orderBody(`partial-${n}`, {
          buyer: {
            name: `Pat Partial ${n}`,
            email,
            phone: n === 'pa' ? '(608) 265-7701' : n === 'ph' ? '(608) 265-7702' : '(608) 265-7703',
            billing_address: address(`${n}1 Partial Road`),
            shipping_address: address(`${n}1 Partial Road`),
          },
        });
        assert.equal((await post(e, '/v1/orders', order)).statusCode, 201);
        const catalog = await post(
          e,
          '/v1/catalog-requests',
          catalogBody(n, {
            first_name: 'Pat',
            last_name: `Partial ${n}`,
            postal_address: address(`${n}1 Partial Road`),
            email,
          }),
        );
        assert.equal(catalog.statusCode, 201, catalog.body);
        const subjectId = (await e.services.subjects.findByEmail(email))!;
        const postal = async () =>
          (await e.app.inject({ url: '/v1/audiences/postal_marketing' })).body
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l) as Json)
            .filter((m) => m.subjectId === subjectId);
        assert.equal((await postal()).length, 1, 'in the postal audience before');

        await verifiedRequest(e, sent, {
          type: 'deletion',
          jurisdiction: 'eea',
          email,
          categories: [category],
        });
        const request = (await e.services.rights.queue({ includeClosed: true })).find(
          (r) => r.subjectId === subjectId && r.type === 'deletion',
        );
        assert.equal(request?.status, 'completed', JSON.stringify(request));

        const kinds = [
          ...new Set((await e.services.subjects.identifiers(subjectId)).map((i) => i.kind)),
        ].sort();
        if (category === 'contact.postal_address') assert.deepEqual(kinds, ['email', 'phone']);
        if (category === 'contact.phone') assert.deepEqual(kinds, ['address', 'email']);
        if (category === 'contact') assert.deepEqual(kinds, []);
        if (category !== 'contact.phone') assert.deepEqual(await postal(), [], 'out of the postal audience');
        const carrier = await post(e, '/v1/disclosures', {
          recipient: 'carrier',
          purpose: 'order.fulfilment',
          orderId: order.shop_order_id,
        });
        const shipped = JSON.stringify(carrier.json());
        if (category !== 'contact.phone') assert.ok(!shipped.includes('Partial Road'), shipped);
        if (category === 'contact.phone')
          assert.equal(await e.services.subjects.findByPhone('(608) 265-7702'), undefined);
        else
          assert.equal(
            await e.services.subjects.findByEmail(email),
            category === 'contact' ? undefined : subjectId,
          );
      });
    }

    it('a person known through every channel is found nowhere after their deletion but where the policy keeps them', async () => {
      const e = env();
      const p = person('D', '7311');
      const subjectId = await throughEveryChannel(e, p, `${DATA_DIR}-files`);
      const tables = (found: string[]) => [...new Set(found.map((f) => f.split('.')[0] ?? f))];
      const before = await whereFound(e, p);
      assert.ok(tables(before).length >= 10, `found in ${before.join(', ')}`);
      await verifiedRequest(e, sent, { type: 'deletion', jurisdiction: 'eea', email: p.email });
      const deletion = (await e.services.rights.queue({ includeClosed: true })).find(
        (r) => r.subjectId === subjectId && r.type === 'deletion',
      );
      assert.equal(deletion?.status, 'completed', JSON.stringify(deletion));
      // What stays, each in a table the erasure registry declares kept, on the basis it names: the
      // complaint (GDPR Art. 17(3)(e)) and the keyed hashes that keep the address and number
      // unsubscribed (exemption:suppression). Nothing else: no identifier, keyed hash or sealed value
      // that a data key still in the store opens, in any table of the schema.
      const after = await whereFound(e, p);
      assert.deepEqual(after, [
        'complaints.sealed: sealed text',
        'complaints.sealed: sealed text email',
        'suppression_list.blind_index: keyed hash of email',
        'suppression_list.blind_index: keyed hash of phone',
      ]);
      const fates = new Map(e.services.erasure.tables().map((t) => [t.table, t.fate.fate]));
      for (const t of tables(after)) assert.equal(fates.get(t), 'kept', t);
      // Nor in the data folder, nor in an upload POST /v1/imports spooled.
      assert.deepEqual(filesNaming(e, p, DATA_DIR), []);
      assert.deepEqual(spooledUploadsNaming(e, p), []);
    });

    /** Corrections approved by staff, each asked from the address the person has at the time. */
    async function correct(e: TestEnv, from: string, changes: readonly (readonly [string, string])[]) {
      let email = from;
      for (const [category, value] of changes) {
        const id = await approvedCorrection(e, sent, email, { category, value });
        await e.services.jobs.drain();
        assert.equal((await e.services.rights.get(id)).status, 'completed', category);
        if (category === 'contact.email') email = value;
      }
    }

    it('corrections of the email and phone of a person known through every channel leave the old ones only where the policy keeps them', async () => {
      const e = env();
      const p = person('C', '7322');
      const subjectId = await throughEveryChannel(e, p, `${DATA_DIR}-files`);
      const fixed = person('N', '7399');
      await correct(e, p.email, [
        ['contact.phone', fixed.phone],
        ['contact.email', fixed.email],
      ]);
      assert.equal(await e.services.subjects.findByEmail(fixed.email), subjectId);
      assert.equal(await e.services.subjects.findByEmail(p.email), undefined);
      assert.equal(await e.services.subjects.findByPhone(p.phone), undefined);
      // The old email and number (the name and address are not corrected here: left out of the scan).
      const old = await whereFound(e, { ...p, first: '\0', last: '\0', line1: '\0', accountId: '\0' });
      assert.deepEqual(old, [
        // Lock-out counters of guesses at the old address's password and codes, for their window.
        'attempt_counters.key: keyed hash of code-limit',
        'attempt_counters.key: keyed hash of email',
        // The complaint, as it was made (GDPR Art. 17(3)(e)).
        'complaints.sealed: sealed text email',
        // The request log: each request's own contact, the address it came from (CCPA § 7101).
        'rights_requests.email_index: keyed hash of email',
        'rights_requests.sealed: sealed text email',
        // A text message as it was received, from the old number, waiting for staff.
        'sms_flags.phone_index: keyed hash of phone',
      ]);
      assert.deepEqual(
        filesNaming(e, { ...p, first: '\0', last: '\0', line1: '\0', accountId: '\0' }, DATA_DIR),
        [],
      );
    });

    it('corrections of the name and address of a person known through every channel leave the old ones only where the policy keeps them', async () => {
      const e = env();
      const p = person('A', '7333');
      const subjectId = await throughEveryChannel(e, p, `${DATA_DIR}-files`);
      const fixed = person('M', '7398');
      await correct(e, p.email, [
        ['identity.name', `${fixed.first} ${fixed.last}`],
        ['contact.postal_address', fixed.line1],
      ]);
      // The address given on one line is the person's whole address now; the old one is not theirs.
      const { subjects } = e.services;
      assert.equal(await subjects.holds(subjectId, { kind: 'address', value: address(p.line1) }), false);
      const oneLine = { line1: fixed.line1, city: '', postal_code: '', country: '' };
      assert.equal(await subjects.holds(subjectId, { kind: 'address', value: oneLine }), true);
      const old = await whereFound(e, { ...p, email: '\0', phone: '\0', e164: '\0\0\0', accountId: '\0' });
      assert.deepEqual(old, [
        'complaints.sealed: sealed text',
        // What the person wrote: their email's subject and their text message name them.
        'inbound_messages.sealed: sealed text',
        'sms_flags.sealed: sealed text',
      ]);
    });
  },
  { config: testConfig({ VOW_DATA_DIR: DATA_DIR }) },
);
