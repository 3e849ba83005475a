// The violations of test/promises/injected-violations.test.ts: what a case is and the writes an
// adversary makes straight into the store (no service of Vow's in between).
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { TestEnv } from '../../helpers/env.js';
import { buyer } from '../support.js';

/** What a case expects: the promise broken and a finding naming this table, rule and row (or person). */
export interface Want {
  readonly promise: string;
  readonly table: string;
  readonly rule: string;
  readonly row?: string;
  readonly subject?: string;
}

export interface Case<S> {
  readonly name: string;
  /** Made through the API or Vow's services: clean for what the case checks. */
  setup(e: TestEnv): Promise<S>;
  /** The violation, written straight into the store. */
  inject(e: TestEnv, s: S): Promise<Want>;
}

// biome-ignore lint/suspicious/noExplicitAny: a table of cases of different setups
export type AnyCase = Case<any>;

export const now = (e: TestEnv) => e.ctx.clock.now().toISOString();
let seq = 0;
export const uid = (prefix: string) => `${prefix}-${++seq}-${Math.floor(Math.random() * 1e9)}`;

/** A disclosure written straight into the disclosure log (shared with test/promises/disclosures.test.ts). */
export { disclosure } from '../support.js';

/** A consent event written straight into the ledger (no state, no audit entry). */
export async function ledgerEvent(
  e: TestEnv,
  ev: {
    ref: string;
    channel: string;
    event: string;
    causeType: string;
    causeRef?: string | null;
    details?: Record<string, unknown>;
    at?: string;
    policyVersion?: string;
  },
): Promise<string> {
  const id = uid('inj-event');
  await e.store.db
    .insertInto('consent_events')
    .values({
      id,
      subject_ref: ev.ref,
      channel: ev.channel,
      event: ev.event,
      cause_type: ev.causeType,
      cause_ref: ev.causeRef ?? null,
      staff_id: null,
      at: ev.at ?? now(e),
      policy_version: ev.policyVersion ?? e.ctx.policy.version,
      details: JSON.stringify(ev.details ?? {}),
    })
    .execute();
  return id;
}

/** A consent state written (or overwritten) by hand, with no ledger event. */
export async function stateByHand(
  e: TestEnv,
  ref: string,
  channel: string,
  state: string,
  lastEvent: string,
) {
  const done = await sql`update consent_state set state = ${state}, last_event = ${lastEvent}
    where subject_ref = ${ref} and channel = ${channel}`.execute(e.store.db);
  if (Number(done.numAffectedRows ?? 0) === 0)
    await e.store.db
      .insertInto('consent_state')
      .values({ subject_ref: ref, channel, state, last_event: lastEvent, last_seq: 0, updated_at: now(e) })
      .execute();
}

export async function request(e: TestEnv, type: string, channel: 'web' | 'email' | 'postal' = 'web') {
  const r = await e.services.rights.submit(
    {
      type: type as 'access',
      jurisdiction: 'eea',
      email: `inj.req.${Math.floor(Math.random() * 1e9)}@example.com`,
      ...(type === 'correction' ? { correction: { category: 'identity.name', value: 'Ann B.' } } : {}),
    },
    channel === 'web' ? { channel } : { channel, receivedOn: now(e).slice(0, 10), staffId: 'staff-1' },
  );
  return r.requestId;
}

export async function setRequest(e: TestEnv, id: string, set: Record<string, string | number | null>) {
  await e.store.db
    .updateTable('rights_requests')
    .set(set as never)
    .where('id', '=', id)
    .execute();
}

export async function complaint(e: TestEnv): Promise<string> {
  const { complaintId } = await e.services.complaints.submit(
    {
      jurisdiction: 'eea',
      email: `inj.unhappy.${Math.floor(Math.random() * 1e9)}@example.com`,
      message: 'Why?',
    },
    { channel: 'web' },
  );
  return complaintId;
}

export async function deletedPerson(e: TestEnv) {
  const person = await buyer(e);
  const r = await e.services.rights.submit(
    { type: 'deletion', jurisdiction: 'eea', email: person.email },
    { channel: 'account', sessionSubjectId: person.subjectId },
  );
  await e.services.jobs.drain();
  assert.equal((await e.services.rights.get(r.requestId)).status, 'completed');
  return person;
}

export async function child(e: TestEnv) {
  const person = await buyer(e);
  await e.services.subjects.markUnder13(person.subjectId, { type: 'staff', id: 'staff-1' });
  return person;
}

export async function renderEmail(e: TestEnv, subjectId: string): Promise<void> {
  const res = await e.app.inject({
    method: 'POST',
    url: '/v1/emails/render',
    payload: { subjectId, subject: 'New rings', text: 'Have a look.' },
  });
  assert.equal(res.statusCode, 200, res.body);
}

/** A marketing email's render recorded by a bug that skipped the audience check (an audit entry). */
export async function renderRecorded(e: TestEnv, subjectId: string): Promise<void> {
  await e.ctx.audit.record({
    actor: { type: 'system' },
    action: 'email.rendered',
    target: { type: 'subject', id: subjectId },
    details: { channel: 'email_marketing', purpose: 'marketing.email' },
  });
}

export async function gaForward(e: TestEnv, visitorIndex: string, params: string[]): Promise<string> {
  const row = await e.store.db
    .insertInto('ga_forwards')
    .values({
      visitor_id: visitorIndex,
      event_type: 'page_view',
      params: JSON.stringify(params),
      status: 'sent',
      at: now(e),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return String(row.id);
}

export const BOGUS_VERSION = 'never-in-force';
export const PLAIN = '{"name":"Ann Buyer","billing_address":"12 Elm Street, Springfield"}';
