// Injected violations, P13: a consent event changed in the ledger after it was written (a hand edit
// or a bad restore), its audit entry left as it was: moved to an earlier or a later time, its id
// swapped with another event's or replaced. The audit entry names the event it recorded (its id and
// the time it takes effect), which is what the monitor compares.
import { sql } from 'kysely';
import type { TestEnv } from '../../helpers/env.js';
import { buyer, unsubscribe } from '../support.js';
import { type AnyCase, uid, type Want } from './helpers.js';

const DAY = 24 * 60 * 60 * 1000;

/** A buyer (enrolled by the checkout) who then unsubscribed: two events on one channel. */
async function unsubscribedBuyer(e: TestEnv) {
  const person = await buyer(e);
  e.clock.advance(60_000);
  await unsubscribe(e, person.subjectId);
  return person;
}

async function eventOf(e: TestEnv, subjectId: string, event: string) {
  return e.store.db
    .selectFrom('consent_events')
    .select(['id', 'at'])
    .where('subject_ref', '=', subjectId)
    .where('channel', '=', 'email_marketing')
    .where('event', '=', event)
    .executeTakeFirstOrThrow();
}

async function moveBy(e: TestEnv, subjectId: string, event: string, ms: number): Promise<Want> {
  const row = await eventOf(e, subjectId, event);
  const at = new Date(new Date(row.at).getTime() + ms).toISOString();
  await sql`update consent_events set at = ${at} where id = ${row.id}`.execute(e.store.db);
  return { promise: 'P13', table: 'audit_log', rule: 'audit.ledger_matches', subject: subjectId };
}

export const CASES: AnyCase[] = [
  {
    name: 'P13: an unsubscribe back-dated in the ledger, a day before the time its audit entry recorded',
    setup: unsubscribedBuyer,
    inject: (e, s) => moveBy(e, s.subjectId, 'unsubscribed', -DAY),
  },
  {
    name: 'P13: an unsubscribe forward-dated in the ledger by an hour',
    setup: unsubscribedBuyer,
    inject: (e, s) => moveBy(e, s.subjectId, 'unsubscribed', 60 * 60 * 1000),
  },
  {
    name: 'P13: a buyer’s enrolment forward-dated in the ledger by a day',
    setup: buyer,
    inject: (e, s) => moveBy(e, s.subjectId, 'enrolled', DAY),
  },
  {
    name: 'P13: the ids of a buyer’s enrolment and unsubscribe swapped in the ledger',
    setup: unsubscribedBuyer,
    async inject(e, s) {
      const a = await eventOf(e, s.subjectId, 'enrolled');
      const b = await eventOf(e, s.subjectId, 'unsubscribed');
      const db = e.store.db;
      await sql`update consent_events set id = ${'swap'} where id = ${a.id}`.execute(db);
      await sql`update consent_events set id = ${a.id} where id = ${b.id}`.execute(db);
      await sql`update consent_events set id = ${b.id} where id = ${'swap'}`.execute(db);
      return { promise: 'P13', table: 'audit_log', rule: 'audit.ledger_matches', subject: s.subjectId };
    },
  },
  {
    name: 'P13: an unsubscribe given a new id in the ledger (the audited one is gone, the event is there)',
    setup: unsubscribedBuyer,
    async inject(e, s) {
      const b = await eventOf(e, s.subjectId, 'unsubscribed');
      await sql`update consent_events set id = ${uid('inj-renamed')} where id = ${b.id}`.execute(e.store.db);
      return { promise: 'P13', table: 'audit_log', rule: 'audit.ledger_matches', subject: s.subjectId };
    },
  },
];
