import { sql } from 'kysely';
import { buyer, catalogRequester, contestant, unsubscribe } from '../support.js';
import {
  type AnyCase,
  disclosure,
  ledgerEvent,
  renderEmail,
  renderRecorded,
  stateByHand,
} from './helpers.js';

export const CASES: AnyCase[] = [
  // P8: contest entrants enrolled in email marketing.
  {
    name: 'P8: a contest entrant’s enrolment lost (events and state deleted)',
    setup: contestant,
    async inject(e, s) {
      await sql`delete from consent_events where subject_ref = ${s.subjectId}`.execute(e.store.db);
      await sql`delete from consent_state where subject_ref = ${s.subjectId}`.execute(e.store.db);
      return {
        promise: 'P8',
        table: 'subject_records',
        rule: 'consent.enrolled_by_collection',
        subject: s.subjectId,
      };
    },
  },
  {
    name: 'P8: a contest entrant’s enrolment back-dated before the entry',
    setup: contestant,
    async inject(e, s) {
      await sql`update consent_events set at = '2020-01-01T00:00:00.000Z' where subject_ref = ${s.subjectId}`.execute(
        e.store.db,
      );
      return {
        promise: 'P8',
        table: 'consent_events',
        rule: 'consent.cause_record_precedes',
        subject: s.subjectId,
      };
    },
  },
  {
    name: 'P8: a contest entrant taken off the list by hand (state only)',
    setup: contestant,
    async inject(e, s) {
      await stateByHand(e, s.subjectId, 'email_marketing', 'withdrawn', 'withdrawn');
      return {
        promise: 'P8',
        table: 'consent_state',
        rule: 'consent.state_equals_fold',
        subject: s.subjectId,
      };
    },
  },
  // P9: purchasers enrolled.
  {
    name: 'P9: a buyer’s enrolment lost (events and state deleted)',
    setup: buyer,
    async inject(e, s) {
      await sql`delete from consent_events where subject_ref = ${s.subjectId}`.execute(e.store.db);
      await sql`delete from consent_state where subject_ref = ${s.subjectId}`.execute(e.store.db);
      return {
        promise: 'P9',
        table: 'subject_records',
        rule: 'consent.enrolled_by_collection',
        subject: s.subjectId,
      };
    },
  },
  {
    name: 'P9: a buyer taken off the list by hand (state only)',
    setup: buyer,
    async inject(e, s) {
      await stateByHand(e, s.subjectId, 'email_marketing', 'withdrawn', 'withdrawn');
      return {
        promise: 'P9',
        table: 'consent_state',
        rule: 'consent.state_equals_fold',
        subject: s.subjectId,
      };
    },
  },
  {
    name: 'P9: a buyer’s enrolment rewritten to name another buyer’s order',
    async setup(e) {
      const b = await buyer(e);
      return { ...b, other: (await buyer(e)).orderId };
    },
    async inject(e, s) {
      await sql`update consent_events set details = ${JSON.stringify({ rule: 'enrolled_by', recordId: s.other })}
        where subject_ref = ${s.subjectId} and channel = 'email_marketing'`.execute(e.store.db);
      return {
        promise: 'P9',
        table: 'consent_events',
        rule: 'consent.cause_record_exists',
        subject: s.subjectId,
      };
    },
  },
  // P10: an unsubscribe link in every marketing email.
  {
    name: 'P10: a rendered email’s unsubscribe token deleted',
    async setup(e) {
      const b = await buyer(e);
      await renderEmail(e, b.subjectId);
      return b;
    },
    async inject(e, s) {
      await sql`delete from unsubscribe_tokens where subject_id = ${s.subjectId}`.execute(e.store.db);
      return { promise: 'P10', table: 'audit_log', rule: 'render.unsubscribe_token', subject: s.subjectId };
    },
  },
  {
    name: 'P10: a marketing email recorded for a person who has no unsubscribe token',
    setup: buyer,
    async inject(e, s) {
      await sql`delete from unsubscribe_tokens where subject_id = ${s.subjectId}`.execute(e.store.db);
      await renderRecorded(e, s.subjectId);
      return { promise: 'P10', table: 'audit_log', rule: 'render.unsubscribe_token', subject: s.subjectId };
    },
  },
  {
    name: 'P10: a rendered email’s token moved to another person',
    async setup(e) {
      const b = await buyer(e);
      await renderEmail(e, b.subjectId);
      return { ...b, other: (await buyer(e)).subjectId };
    },
    async inject(e, s) {
      await sql`update unsubscribe_tokens set subject_id = ${s.other} where subject_id = ${s.subjectId}`.execute(
        e.store.db,
      );
      return { promise: 'P10', table: 'audit_log', rule: 'render.unsubscribe_token', subject: s.subjectId };
    },
  },
  // P11: an unsubscribe is permanent.
  {
    name: 'P11: an unsubscribed person put back on the list by hand (state only)',
    async setup(e) {
      const b = await buyer(e);
      await unsubscribe(e, b.subjectId);
      return b;
    },
    async inject(e, s) {
      await stateByHand(e, s.subjectId, 'email_marketing', 'enrolled', 'enrolled');
      return {
        promise: 'P11',
        table: 'consent_state',
        rule: 'consent.state_equals_fold',
        subject: s.subjectId,
      };
    },
  },
  {
    name: 'P11: an unsubscribe lost in a restore (its ledger event deleted)',
    async setup(e) {
      const b = await buyer(e);
      await unsubscribe(e, b.subjectId);
      return b;
    },
    async inject(e, s) {
      await sql`delete from consent_events where subject_ref = ${s.subjectId} and event = 'unsubscribed'`.execute(
        e.store.db,
      );
      return {
        promise: 'P11',
        table: 'audit_log',
        rule: 'consent.audited_opt_out_in_ledger',
        subject: s.subjectId,
      };
    },
  },
  {
    name: 'P11: a re-enrolment caused by a purchase, imported after an unsubscribe',
    async setup(e) {
      const b = await buyer(e);
      await unsubscribe(e, b.subjectId);
      e.clock.advance(60_000);
      return b;
    },
    async inject(e, s) {
      const id = await ledgerEvent(e, {
        ref: s.subjectId,
        channel: 'email_marketing',
        event: 're_enrolled',
        causeType: 'collection_point',
        causeRef: 'checkout',
        details: { rule: 're_enrolled_by', recordId: s.orderId },
      });
      await stateByHand(e, s.subjectId, 'email_marketing', 'enrolled', 're_enrolled');
      return { promise: 'P11', table: 'consent_events', rule: 'consent.re_enrolment_after_opt_out', row: id };
    },
  },
  {
    name: 'P11: an address sent to the email service after the unsubscribe',
    async setup(e) {
      const b = await buyer(e);
      await unsubscribe(e, b.subjectId);
      e.clock.advance(60_000);
      return b;
    },
    async inject(e, s) {
      const id = await disclosure(e, s.subjectId, 'email_service', 'marketing.email', ['contact.email']);
      return { promise: 'P11', table: 'disclosures', rule: 'disclosure.consent_at_time', row: id };
    },
  },
  // P12: catalog requesters get postal mail; customer service removes them.
  {
    name: 'P12: a catalog requester removed by customer service, put back by hand',
    async setup(e) {
      const c = await catalogRequester(e);
      await e.services.consent.suppress(undefined, {
        subjectId: c.subjectId,
        channel: 'postal_marketing',
        reason: 'asked on the phone',
      });
      return c;
    },
    async inject(e, s) {
      await stateByHand(e, s.subjectId, 'postal_marketing', 'enrolled', 'enrolled');
      return {
        promise: 'P12',
        table: 'consent_state',
        rule: 'consent.state_equals_fold',
        subject: s.subjectId,
      };
    },
  },
  {
    name: 'P12: a catalog requester’s removal lost in a restore (its ledger event deleted)',
    async setup(e) {
      const c = await catalogRequester(e);
      await e.services.consent.suppress(undefined, {
        subjectId: c.subjectId,
        channel: 'postal_marketing',
        reason: 'asked on the phone',
      });
      return c;
    },
    async inject(e, s) {
      await sql`delete from consent_events where subject_ref = ${s.subjectId} and event = 'suppressed'`.execute(
        e.store.db,
      );
      return {
        promise: 'P12',
        table: 'audit_log',
        rule: 'consent.audited_opt_out_in_ledger',
        subject: s.subjectId,
      };
    },
  },
  {
    name: 'P12: a catalog requester never put on the postal list (its events and state deleted)',
    setup: catalogRequester,
    async inject(e, s) {
      await sql`delete from consent_events where subject_ref = ${s.subjectId} and channel = 'postal_marketing'`.execute(
        e.store.db,
      );
      await sql`delete from consent_state where subject_ref = ${s.subjectId} and channel = 'postal_marketing'`.execute(
        e.store.db,
      );
      return {
        promise: 'P12',
        table: 'subject_records',
        rule: 'consent.enrolled_by_collection',
        subject: s.subjectId,
      };
    },
  },
];
