import { sql } from 'kysely';
import { buyer, contestant, correspondent, registrant, withGift } from '../support.js';
import { type AnyCase, BOGUS_VERSION, disclosure, ledgerEvent, now, stateByHand, uid } from './helpers.js';

export const CASES: AnyCase[] = [
  // P1: every record names the notice it was collected under.
  {
    name: 'P1: a collection record imported with a policy version never in force',
    setup: buyer,
    async inject(e, s) {
      await sql`update subject_records set policy_version = ${BOGUS_VERSION} where subject_id = ${s.subjectId}`.execute(
        e.store.db,
      );
      return {
        promise: 'P1',
        table: 'subject_records',
        rule: 'record.policy_version_known',
        subject: s.subjectId,
      };
    },
  },
  {
    name: 'P1: an order edited to a policy version never in force',
    setup: buyer,
    async inject(e, s) {
      await sql`update orders set policy_version = ${BOGUS_VERSION} where id = ${s.orderId}`.execute(
        e.store.db,
      );
      return { promise: 'P1', table: 'orders', rule: 'record.policy_version_known', row: s.orderId };
    },
  },
  {
    name: 'P1: a contest entry imported under a policy version never in force',
    setup: contestant,
    async inject(e, s) {
      await sql`update contest_entries set policy_version = ${BOGUS_VERSION} where id = ${s.entryId}`.execute(
        e.store.db,
      );
      return { promise: 'P1', table: 'contest_entries', rule: 'record.policy_version_known', row: s.entryId };
    },
  },
  {
    name: 'P1: a disclosure logged under a policy version never in force',
    setup: buyer,
    async inject(e, s) {
      const id = await disclosure(e, s.subjectId, 'carrier', 'order.fulfilment', ['contact.postal_address']);
      await sql`update disclosures set policy_version = ${BOGUS_VERSION} where id = ${id}`.execute(
        e.store.db,
      );
      return { promise: 'P1', table: 'disclosures', rule: 'record.policy_version_known', row: id };
    },
  },
  // P2: a buyer's order data shared only as the order needs.
  {
    name: 'P2: the carrier sent the buyer’s email',
    setup: buyer,
    async inject(e, s) {
      const id = await disclosure(e, s.subjectId, 'carrier', 'order.fulfilment', [
        'contact.postal_address',
        'contact.email',
      ]);
      return { promise: 'P2', table: 'disclosures', rule: 'disclosure.recipient_category', row: id };
    },
  },
  {
    name: 'P2: an order’s data sent to a recipient the policy does not list',
    setup: buyer,
    async inject(e, s) {
      const id = await disclosure(e, s.subjectId, 'data_broker', 'order.fulfilment', [
        'contact.postal_address',
      ]);
      return { promise: 'P2', table: 'disclosures', rule: 'disclosure.recipient_known', row: id };
    },
  },
  {
    name: 'P2: the carrier sent the buyer’s address for a purpose it is not used for',
    setup: buyer,
    async inject(e, s) {
      const id = await disclosure(e, s.subjectId, 'carrier', 'marketing.postal', ['contact.postal_address']);
      return { promise: 'P2', table: 'disclosures', rule: 'disclosure.recipient_purpose', row: id };
    },
  },
  // P3: a gift recipient's data only to ship and confirm delivery.
  {
    name: 'P3: a gift recipient’s address sent to the mail house',
    setup: withGift,
    async inject(e, s) {
      const id = await disclosure(e, s.giftId, 'mail_house', 'marketing.postal', ['contact.postal_address']);
      return { promise: 'P3', table: 'disclosures', rule: 'disclosure.kind_allowed', row: id };
    },
  },
  {
    name: 'P3: a gift recipient put on the email list by hand (state only)',
    setup: withGift,
    async inject(e, s) {
      await stateByHand(e, s.giftId, 'email_marketing', 'enrolled', 'enrolled');
      return {
        promise: 'P3',
        table: 'consent_state',
        rule: 'consent.kind_may_be_enrolled',
        subject: s.giftId,
      };
    },
  },
  {
    name: 'P3: a gift recipient enrolled in postal marketing by an imported ledger event',
    setup: withGift,
    async inject(e, s) {
      const id = await ledgerEvent(e, {
        ref: s.giftId,
        channel: 'postal_marketing',
        event: 'enrolled',
        causeType: 'collection_point',
        causeRef: 'checkout',
        details: { rule: 'enrolled_by', recordId: s.orderId },
      });
      return { promise: 'P3', table: 'consent_events', rule: 'consent.kind_may_be_enrolled', row: id };
    },
  },
  {
    name: 'P3: a gift recipient’s data kept past its year',
    setup: withGift,
    async inject(e, s) {
      await sql`update subject_identifiers set collected_at = '2024-06-01T00:00:00.000Z' where subject_id = ${s.giftId}`.execute(
        e.store.db,
      );
      return {
        promise: 'P3',
        table: 'subject_identifiers',
        rule: 'retention.kept_too_long',
        subject: s.giftId,
      };
    },
  },
  // P4: a return address only to answer that email.
  {
    name: 'P4: a correspondent’s address sent for email marketing',
    setup: correspondent,
    async inject(e, s) {
      const id = await disclosure(e, s.subjectId, 'email_service', 'marketing.email', ['contact.email']);
      return { promise: 'P4', table: 'disclosures', rule: 'disclosure.kind_allowed', row: id };
    },
  },
  {
    name: 'P4: a correspondent put on the email list by hand (state only)',
    setup: correspondent,
    async inject(e, s) {
      await stateByHand(e, s.subjectId, 'email_marketing', 'enrolled', 'enrolled');
      return {
        promise: 'P4',
        table: 'consent_state',
        rule: 'consent.kind_may_be_enrolled',
        subject: s.subjectId,
      };
    },
  },
  {
    name: 'P4: a correspondent’s email kept past two years',
    setup: correspondent,
    async inject(e, s) {
      for (const t of ['subject_identifiers', 'subject_records'])
        await sql`update ${sql.table(t)} set collected_at = '2023-06-01T00:00:00.000Z' where subject_id = ${s.subjectId}`.execute(
          e.store.db,
        );
      return {
        promise: 'P4',
        table: 'subject_identifiers',
        rule: 'retention.kept_too_long',
        subject: s.subjectId,
      };
    },
  },
  // P5: catalog and updates only for those who register or ask.
  {
    name: 'P5: a registration’s catalog box unticked after it granted updates',
    setup: (e) => registrant(e, true),
    async inject(e, s) {
      await sql`update registrations set catalog_opt_in = 0 where id = ${s.registrationId}`.execute(
        e.store.db,
      );
      return {
        promise: 'P5',
        table: 'consent_events',
        rule: 'consent.explicit_opt_in',
        subject: s.subjectId,
      };
    },
  },
  {
    name: 'P5: a buyer who never registered granted account updates by hand (state only)',
    setup: buyer,
    async inject(e, s) {
      await stateByHand(e, s.subjectId, 'account_updates', 'granted', 'consented');
      return {
        promise: 'P5',
        table: 'consent_state',
        rule: 'consent.state_equals_fold',
        subject: s.subjectId,
      };
    },
  },
  {
    name: 'P5: a buyer granted the catalog and updates by an imported event naming their checkout',
    setup: buyer,
    async inject(e, s) {
      const id = await ledgerEvent(e, {
        ref: s.subjectId,
        channel: 'account_updates',
        event: 'consented',
        causeType: 'collection_point',
        causeRef: 'checkout',
        details: { rule: 'granted_by', recordId: s.orderId },
      });
      return { promise: 'P5', table: 'consent_events', rule: 'consent.cause_in_policy', row: id };
    },
  },
  {
    name: 'P12: a buyer put on the postal list by an imported event naming their checkout',
    setup: buyer,
    async inject(e, s) {
      const id = await ledgerEvent(e, {
        ref: s.subjectId,
        channel: 'postal_marketing',
        event: 'enrolled',
        causeType: 'collection_point',
        causeRef: 'checkout',
        details: { rule: 'enrolled_by', recordId: s.orderId },
      });
      return { promise: 'P12', table: 'consent_events', rule: 'consent.cause_in_policy', row: id };
    },
  },
  // P6: only non-identifying aggregates to advertisers.
  {
    name: 'P6: advertisers sent a personal category',
    setup: buyer,
    async inject(e, s) {
      const id = await disclosure(e, s.subjectId, 'advertisers', 'advertising.aggregate_reporting', [
        'demographic.gender',
      ]);
      return { promise: 'P6', table: 'disclosures', rule: 'disclosure.personal_data', row: id };
    },
  },
  {
    name: 'P6: a report released with ε 50 and threshold 1',
    setup: async () => ({}),
    async inject(e) {
      const id = uid('inj-release');
      await e.store.db
        .insertInto('report_releases')
        .values({
          id,
          report: 'visitors_by_area',
          period: '2025-W41',
          epsilon_milli: 50_000,
          threshold: 1,
          contribution_cap: 2,
          cells: JSON.stringify([{ key: 'rings', count: 3 }]),
          policy_version: e.ctx.policy.version,
          released_at: now(e),
        })
        .execute();
      return { promise: 'P6', table: 'report_releases', rule: 'report.epsilon', row: id };
    },
  },
  {
    name: 'P6: a receipt for a release that does not exist',
    setup: async () => ({}),
    async inject(e) {
      await e.store.db
        .insertInto('report_receipts')
        .values({
          release_id: uid('no-such-release'),
          recipient: 'advertisers',
          period: '2025-W41',
          epsilon_milli: 1_000,
          staff_id: null,
          at: now(e),
        })
        .execute();
      return { promise: 'P6', table: 'report_receipts', rule: 'report.release_exists' };
    },
  },
  // P7: no unrelated use without an opt-out.
  {
    name: 'P7: a buyer given text marketing by hand (state only)',
    setup: buyer,
    async inject(e, s) {
      await stateByHand(e, s.subjectId, 'sms_marketing', 'granted', 'consented');
      return {
        promise: 'P7',
        table: 'consent_state',
        rule: 'consent.state_equals_fold',
        subject: s.subjectId,
      };
    },
  },
  {
    name: 'P7: a phone sent for text marketing no rule allows',
    setup: buyer,
    async inject(e, s) {
      const id = await disclosure(e, s.subjectId, 'sms_gateway', 'marketing.sms', ['contact.phone']);
      return { promise: 'P7', table: 'disclosures', rule: 'disclosure.kind_allowed', row: id };
    },
  },
  {
    name: 'P7: text marketing granted by an imported event caused by an API call',
    setup: buyer,
    async inject(e, s) {
      const id = await ledgerEvent(e, {
        ref: s.subjectId,
        channel: 'sms_marketing',
        event: 'consented',
        causeType: 'api',
      });
      return { promise: 'P7', table: 'consent_events', rule: 'consent.cause_in_policy', row: id };
    },
  },
];
