// Injected violations, P13: a visitor's cookie choice changed in the ledger after it was made (a hand
// edit, a bad restore), its audit entry left as it was: the kind flipped, moved to another time, or
// given another id; the same for a choice whose entry was written before entries named their events
// (channels only), matched by channel and time; and an event given another id while a later event of
// its channel is there (a person's and a visitor's), which only a full sweep named before.
import { sql } from 'kysely';
import type { AuditEntry } from '../../../src/platform/audit/index.js';
import type { TestEnv } from '../../helpers/env.js';
import { buyer, unsubscribe, visitor } from '../support.js';
import { type AnyCase, uid, type Want } from './helpers.js';

const DAY = 24 * 60 * 60 * 1000;

/** Runs `fn` with cookie choices' entries written as before they named their events. */
async function asBefore<T>(e: TestEnv, fn: () => Promise<T>): Promise<T> {
  const audit = e.ctx.audit;
  const record = audit.record.bind(audit);
  Object.assign(audit, {
    record: (entry: AuditEntry, trx?: Parameters<typeof record>[1]) => {
      if (entry.action !== 'consent.cookie_choice' || !entry.details) return record(entry, trx);
      const { events: _events, eventAt: _at, ...details } = entry.details;
      return record({ ...entry, details }, trx);
    },
  });
  try {
    return await fn();
  } finally {
    delete (audit as { record?: unknown }).record;
  }
}

/** A visitor's event of a channel the banner writes (cookies.analytics). */
async function choiceEvent(e: TestEnv, ref: string, first = true) {
  return e.store.db
    .selectFrom('consent_events')
    .select(['id', 'at', 'event'])
    .where('subject_ref', '=', ref)
    .where('channel', '=', 'cookies.analytics')
    .orderBy('seq', first ? 'asc' : 'desc')
    .executeTakeFirstOrThrow();
}

const matches = (ref: string): Want => ({
  promise: 'P13',
  table: 'audit_log',
  rule: 'audit.ledger_matches',
  subject: ref,
});
const uncovered = (ref: string): Want => ({
  promise: 'P13',
  table: 'consent_events',
  rule: 'audit.covers_ledger',
  subject: ref,
});

async function moveBy(e: TestEnv, ref: string, ms: number) {
  const row = await choiceEvent(e, ref);
  const at = new Date(new Date(row.at).getTime() + ms).toISOString();
  await sql`update consent_events set at = ${at} where id = ${row.id}`.execute(e.store.db);
}

/** A visitor who accepted, then refused: two choices, two events on each channel. */
async function changedMind(e: TestEnv) {
  const v = await visitor(e, true);
  e.clock.advance(60_000);
  const { post } = await import('../../collection/fixtures.js');
  await post(e, '/v1/consent/choices', {
    visitor: v.cookie,
    categories: { analytics: false, layout_experiments: false, advertising: false },
    googleAnalytics: false,
    source: 'choose',
    consentVersion: e.ctx.policy.consentVersion,
  });
  return v;
}

export const CASES: AnyCase[] = [
  {
    name: 'P13: a visitor’s cookie choice changed in the ledger (accepted analytics made a refusal)',
    setup: (e) => visitor(e, true),
    async inject(e, v) {
      const row = await choiceEvent(e, v.ref);
      await sql`update consent_events set event = ${'withdrawn'} where id = ${row.id}`.execute(e.store.db);
      return matches(v.ref);
    },
  },
  {
    name: 'P13: a visitor’s cookie choice back-dated in the ledger by a day',
    setup: (e) => visitor(e, true),
    async inject(e, v) {
      await moveBy(e, v.ref, -DAY);
      return matches(v.ref);
    },
  },
  {
    name: 'P13: a visitor’s cookie choice given another id in the ledger',
    setup: (e) => visitor(e, true),
    async inject(e, v) {
      const row = await choiceEvent(e, v.ref);
      await sql`update consent_events set id = ${uid('inj-choice')} where id = ${row.id}`.execute(e.store.db);
      return matches(v.ref);
    },
  },
  {
    name: 'P13: a visitor’s earlier cookie choice given another id while a later choice is there',
    setup: changedMind,
    async inject(e, v) {
      const row = await choiceEvent(e, v.ref, true);
      await sql`update consent_events set id = ${uid('inj-choice')} where id = ${row.id}`.execute(e.store.db);
      return uncovered(v.ref);
    },
  },
  {
    name: 'P13: a cookie choice audited before entries named their events, back-dated by a day',
    setup: (e) => asBefore(e, () => visitor(e, true)),
    async inject(e, v) {
      await moveBy(e, v.ref, -DAY);
      return matches(v.ref);
    },
  },
  {
    name: 'P13: a cookie choice audited before entries named their events, forward-dated by a day',
    setup: (e) => asBefore(e, () => visitor(e, true)),
    async inject(e, v) {
      await moveBy(e, v.ref, DAY);
      return uncovered(v.ref);
    },
  },
  {
    name: 'P13: a buyer’s enrolment given another id while their later unsubscribe is there',
    async setup(e) {
      const person = await buyer(e);
      e.clock.advance(60_000);
      await unsubscribe(e, person.subjectId);
      return person;
    },
    async inject(e, s) {
      const row = await e.store.db
        .selectFrom('consent_events')
        .select('id')
        .where('subject_ref', '=', s.subjectId)
        .where('event', '=', 'enrolled')
        .executeTakeFirstOrThrow();
      await sql`update consent_events set id = ${uid('inj-renamed')} where id = ${row.id}`.execute(
        e.store.db,
      );
      return { promise: 'P13', table: 'consent_events', rule: 'audit.covers_ledger', subject: s.subjectId };
    },
  },
];
