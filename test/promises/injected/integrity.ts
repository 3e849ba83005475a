// Injected violations, P13, P14, P15, P17, P19: the audit trail, the ledger, sealed values, children, accounts, cookies, Google Analytics.
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { buyer, contestant, measurement, visitor } from '../support.js';
import {
  type AnyCase,
  child,
  disclosure,
  gaForward,
  ledgerEvent,
  now,
  PLAIN,
  request,
  setRequest,
  uid,
} from './helpers.js';

export const CASES: AnyCase[] = [
  // P13: data security.
  {
    name: 'P13: an order’s sealed column holding plaintext',
    setup: buyer,
    async inject(e, s) {
      await sql`update orders set buyer_sealed = ${PLAIN} where id = ${s.orderId}`.execute(e.store.db);
      return { promise: 'P13', table: 'orders', rule: 'sealed.value_sealed', row: s.orderId };
    },
  },
  {
    name: 'P13: an identifier’s sealed value holding plaintext',
    setup: buyer,
    async inject(e, s) {
      await sql`update subject_identifiers set sealed_value = 'ann.buyer.plain@example.com'
        where subject_id = ${s.subjectId} and kind = 'email'`.execute(e.store.db);
      return {
        promise: 'P13',
        table: 'subject_identifiers',
        rule: 'sealed.value_sealed',
        subject: s.subjectId,
      };
    },
  },
  {
    name: 'P13: a request’s sealed column holding plaintext',
    setup: (e) => request(e, 'access'),
    async inject(e, id: string) {
      await setRequest(e, id, { sealed: '{"email":"plain.asker@example.com","name":"Plain Asker"}' });
      return { promise: 'P13', table: 'rights_requests', rule: 'sealed.value_sealed', row: id };
    },
  },
  {
    name: 'P13: an audit entry edited in place',
    setup: buyer,
    async inject(e) {
      const last = await e.store.db
        .selectFrom('audit_log')
        .select('seq')
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirstOrThrow();
      const target = Number(last.seq) - 1;
      await sql`update audit_log set reason = 'edited' where seq = ${target}`.execute(e.store.db);
      return { promise: 'P13', table: 'audit_log', rule: 'audit.chain_intact', row: String(target) };
    },
  },
  {
    name: 'P13: an audit entry deleted from the middle of the trail',
    setup: buyer,
    async inject(e) {
      const last = await e.store.db
        .selectFrom('audit_log')
        .select('seq')
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirstOrThrow();
      const target = Number(last.seq) - 1;
      await sql`delete from audit_log where seq = ${target}`.execute(e.store.db);
      return { promise: 'P13', table: 'audit_log', rule: 'audit.chain_intact', row: String(target) };
    },
  },
  {
    name: 'P13: an enrolment deleted from the consent ledger (the audit trail still says it happened)',
    setup: contestant,
    async inject(e, s) {
      const ev = await e.store.db
        .selectFrom('consent_events')
        .select(['id', 'seq'])
        .where('subject_ref', '=', s.subjectId)
        .executeTakeFirstOrThrow();
      await sql`delete from consent_events where id = ${ev.id}`.execute(e.store.db);
      return { promise: 'P13', table: 'audit_log', rule: 'audit.ledger_kept', subject: s.subjectId };
    },
  },
  {
    name: 'P13: a buyer’s enrolment deleted from the ledger in a partial restore (the state kept)',
    setup: buyer,
    async inject(e, s) {
      await sql`delete from consent_events where subject_ref = ${s.subjectId} and channel = 'email_marketing'`.execute(
        e.store.db,
      );
      return { promise: 'P13', table: 'audit_log', rule: 'audit.ledger_kept', subject: s.subjectId };
    },
  },
  // P14: nothing collected or kept from a child.
  {
    name: 'P14: a child’s consent event imported after the purge',
    setup: child,
    async inject(e, s) {
      const id = await ledgerEvent(e, {
        ref: s.subjectId,
        channel: 'email_marketing',
        event: 'enrolled',
        causeType: 'api',
      });
      return { promise: 'P14', table: 'consent_events', rule: 'under13.nothing_kept', row: id };
    },
  },
  {
    name: 'P14: a child’s under-13 mark removed by hand',
    setup: child,
    async inject(e, s) {
      await sql`update subjects set under13 = 0 where id = ${s.subjectId}`.execute(e.store.db);
      return { promise: 'P14', table: 'subjects', rule: 'under13.mark_kept', row: s.subjectId };
    },
  },
  {
    name: 'P14: a child’s contest entry imported after the purge',
    setup: child,
    async inject(e, s) {
      const id = uid('inj-entry');
      await e.store.db
        .insertInto('contest_entries')
        .values({
          id,
          subject_id: s.subjectId,
          contest_id: null,
          sealed: null,
          policy_version: e.ctx.policy.version,
          collected_at: now(e),
        })
        .execute();
      return { promise: 'P14', table: 'contest_entries', rule: 'under13.nothing_kept', row: id };
    },
  },
  // P15: account holders see all their data.
  {
    name: 'P15: a shopper account linked to a person Vow does not know',
    async setup(e) {
      const email = `inj.acct.${Math.floor(Math.random() * 1e9)}@example.com`;
      const res = await e.app.inject({
        method: 'POST',
        url: '/v1/registrations',
        payload: { account_id: uid('acct'), name: 'Acct Holder', email, catalog_opt_in: false },
      });
      assert.equal(res.statusCode, 201, res.body);
      const id = uid('inj-account');
      return { id };
    },
    async inject(e, s) {
      await e.store.db
        .insertInto('shopper_accounts')
        .values({
          id: s.id,
          email_index: uid('idx'),
          email_sealed: 'v1.AAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBB.CCCC',
          password_hash: 'x',
          subject_id: uid('nobody'),
          email_verified_at: now(e),
          created_at: now(e),
          updated_at: now(e),
        } as never)
        .execute();
      return { promise: 'P15', table: 'shopper_accounts', rule: 'account.linked_person', row: s.id };
    },
  },
  // P17: cookies hold no identifying data.
  {
    name: 'P17: a measurement keyed by a raw cookie id',
    setup: async () => ({}),
    async inject(e) {
      const id = String(await measurement(e, 'my-raw-cookie', '/rings'));
      return { promise: 'P17', table: 'analytics_events', rule: 'measurement.visitor_hashed', row: id };
    },
  },
  {
    name: 'P17: a measurement whose page address holds an email',
    setup: (e) => visitor(e),
    async inject(e, v) {
      const id = String(await measurement(e, v.index, '/rings?email=ann.buyer@example.com'));
      return { promise: 'P17', table: 'analytics_events', rule: 'measurement.path_scrubbed', row: id };
    },
  },
  {
    name: 'P17: a cookie-consent row keyed by an email address instead of the hashed cookie',
    setup: async () => ({}),
    async inject(e) {
      const ref = `visitor:inj.${Math.floor(Math.random() * 1e9)}@example.com`;
      const id = await ledgerEvent(e, {
        ref,
        channel: 'cookies.analytics',
        event: 'consented',
        causeType: 'cookie_banner',
      });
      return { promise: 'P17', table: 'consent_events', rule: 'cookie_consent.visitor_hashed', row: id };
    },
  },
  {
    name: 'P17: a cookie-consent row whose details hold an email address',
    setup: (e) => visitor(e),
    async inject(e, v) {
      const id = await ledgerEvent(e, {
        ref: v.ref,
        channel: 'cookies.analytics',
        event: 'consented',
        causeType: 'cookie_banner',
        details: { email: 'ann.buyer@example.com' },
      });
      return { promise: 'P17', table: 'consent_events', rule: 'cookie_consent.no_identifier', row: id };
    },
  },
  // P19: Google Analytics gets no contact data and can be opted out of.
  {
    name: 'P19: a forward to Google Analytics carrying an email',
    setup: (e) => visitor(e),
    async inject(e, v) {
      const id = await gaForward(e, v.index, ['page_area', 'user_email', 'ann.buyer@example.com']);
      return { promise: 'P19', table: 'ga_forwards', rule: 'ga.params_allowed', row: id };
    },
  },
  {
    name: 'P19: a forward for a visitor who refused Google Analytics',
    setup: (e) => visitor(e, false),
    async inject(e, v) {
      const id = await gaForward(e, v.index, ['page_area']);
      return { promise: 'P19', table: 'ga_forwards', rule: 'ga.consent_at_time', row: id };
    },
  },
  {
    name: 'P19: a person’s email disclosed to Google Analytics',
    setup: buyer,
    async inject(e, s) {
      const id = await disclosure(e, s.subjectId, 'google_analytics', 'analytics.site_improvement', [
        'contact.email',
      ]);
      return { promise: 'P19', table: 'disclosures', rule: 'disclosure.identifying_data', row: id };
    },
  },
];
