// The consent checks, broken as an auditor would break them: state-only edits, lost unsubscribes,
// causes that name nothing, enrolments no rule allows, channels never checked before (P5, P7, P8,
// P9, P11, P12; P3 and P4 for people a `never` rule keeps out of a channel).
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql } from 'kysely';
import type { TestEnv } from '../helpers/env.js';
import { describeEachDialect } from '../helpers/env.js';
import {
  buyer,
  catalogRequester,
  check,
  contestant,
  correspondent,
  expectBroken,
  expectClean,
  findings,
  registrant,
  smsSubscriber,
  stateOf,
  unsubscribe,
  withGift,
} from './support.js';

/**
 * An email_marketing event recorded as the collection point `ref` would record it, naming its rule
 * (`<event>_by`) and the record that caused it.
 */
async function byCollectionPoint(
  e: TestEnv,
  subjectRef: string,
  event: 'enrolled' | 're_enrolled',
  ref: string,
  recordId: string,
) {
  await e.services.consent.record(undefined, {
    subjectRef,
    channel: 'email_marketing',
    event,
    cause: { type: 'collection_point', ref },
    details: { rule: `${event}_by`, recordId },
  });
}

/** A consent event recorded with an API call as its cause. */
async function byApi(e: TestEnv, subjectRef: string, channel: string, event: 'consented' | 'enrolled') {
  await e.services.consent.record(undefined, { subjectRef, channel, event, cause: { type: 'api' } });
}

describeEachDialect('promise monitor: consent', (env) => {
  it('a shop made through the API keeps every consent promise', async () => {
    const e = env();
    const people = [
      (await buyer(e)).subjectId,
      (await contestant(e)).subjectId,
      (await catalogRequester(e)).subjectId,
      (await registrant(e, true)).subjectId,
      (await smsSubscriber(e)).subjectId,
      (await correspondent(e)).subjectId,
      ...Object.values(await withGift(e)).slice(0, 2),
    ];
    await unsubscribe(e, people[0]!);
    await expectClean(e, ...people);
  });

  it('P11: consent_state flipped back to enrolled by hand, with no ledger event, is named with both values', async () => {
    const e = env();
    const { subjectId } = await buyer(e);
    await unsubscribe(e, subjectId);
    await sql`update consent_state set state = 'enrolled', last_event = 'enrolled'
      where subject_ref = ${subjectId} and channel = 'email_marketing'`.execute(e.store.db);
    const f = await expectBroken(e, {
      promise: 'P11',
      table: 'consent_state',
      row: `${subjectId}/email_marketing`,
      rule: 'consent.state_equals_fold',
    });
    assert.equal(f.values.state, 'enrolled');
    assert.equal(f.values.ledger_state, 'withdrawn');
  });

  it('P12: a catalog requester removed by customer service, put back on the postal list by hand', async () => {
    const e = env();
    const { subjectId } = await catalogRequester(e);
    await e.services.consent.suppress(undefined, {
      subjectId,
      channel: 'postal_marketing',
      reason: 'asked on the phone',
    });
    await sql`update consent_state set state = 'enrolled' where subject_ref = ${subjectId} and channel = 'postal_marketing'`.execute(
      e.store.db,
    );
    await expectBroken(e, {
      promise: 'P12',
      table: 'consent_state',
      rule: 'consent.state_equals_fold',
      subject: subjectId,
    });
  });

  it('P11: an unsubscribe lost in a restore (the ledger event gone) is found from the state and the audit trail', async () => {
    const e = env();
    const { subjectId } = await buyer(e);
    await unsubscribe(e, subjectId);
    await sql`delete from consent_events where subject_ref = ${subjectId} and event = 'unsubscribed'`.execute(
      e.store.db,
    );
    await expectBroken(e, {
      promise: 'P11',
      table: 'consent_state',
      rule: 'consent.state_equals_fold',
      subject: subjectId,
    });
    const lost = await findings(e, { rule: 'consent.audited_opt_out_in_ledger', subject: subjectId });
    assert.equal(lost.length, 1);
    assert.equal(lost[0]!.table, 'audit_log');
    assert.equal(lost[0]!.promise, 'P11');
  });

  it('P11: a re-enrolment whose cause names a contest entry that does not exist', async () => {
    const e = env();
    const { subjectId } = await buyer(e);
    await unsubscribe(e, subjectId);
    await byCollectionPoint(e, subjectId, 're_enrolled', 'contest_entry', 'no-such-entry');
    const f = await expectBroken(e, {
      promise: 'P11',
      table: 'consent_events',
      rule: 'consent.cause_record_exists',
      subject: subjectId,
    });
    assert.equal(f.values.record_id, 'no-such-entry');
    assert.equal(f.values.prior_state, 'withdrawn');
  });

  it('P11: a re-enrolment by a purchase after an unsubscribe', async () => {
    const e = env();
    const { subjectId, orderId } = await buyer(e);
    await unsubscribe(e, subjectId);
    await byCollectionPoint(e, subjectId, 're_enrolled', 'checkout', orderId);
    await expectBroken(e, {
      promise: 'P11',
      table: 'consent_events',
      rule: 'consent.re_enrolment_after_opt_out',
      subject: subjectId,
    });
  });

  it('P11: a contest entry deleted after it re-enrolled someone, and a cause dated after its record', async () => {
    const e = env();
    const { subjectId, entryId } = await contestant(e);
    await sql`update consent_events set at = '2020-01-01T00:00:00.000Z' where subject_ref = ${subjectId}`.execute(
      e.store.db,
    );
    await expectBroken(e, {
      promise: 'P8',
      table: 'consent_events',
      rule: 'consent.cause_record_precedes',
      subject: subjectId,
    });
    await sql`delete from contest_entries where id = ${entryId}`.execute(e.store.db);
    const f = await expectBroken(e, {
      promise: 'P8',
      table: 'consent_events',
      rule: 'consent.cause_record_exists',
      subject: subjectId,
    });
    assert.equal(f.values.record_table, 'contest_entries');
  });

  it('P7: sms_marketing granted by an API call instead of the text sign-up, and a state granted by hand', async () => {
    const e = env();
    const { subjectId } = await buyer(e);
    await byApi(e, subjectId, 'sms_marketing', 'consented');
    await expectBroken(e, {
      promise: 'P7',
      table: 'consent_events',
      rule: 'consent.cause_in_policy',
      subject: subjectId,
    });
    const sms = await smsSubscriber(e);
    await sql`update consent_state set state = 'granted', last_event = 'consented' where subject_ref = ${sms.subjectId}`.execute(
      e.store.db,
    );
    await sql`delete from consent_events where subject_ref = ${sms.subjectId}`.execute(e.store.db);
    await expectBroken(e, {
      promise: 'P7',
      table: 'consent_state',
      rule: 'consent.state_equals_fold',
      subject: sms.subjectId,
    });
  });

  it('P5: account_updates granted by a registration whose catalog box was not ticked', async () => {
    const e = env();
    const { subjectId, registrationId } = await registrant(e, true);
    assert.equal(await stateOf(e, subjectId, 'account_updates'), 'granted');
    await sql`update registrations set catalog_opt_in = 0 where id = ${registrationId}`.execute(e.store.db);
    const f = await expectBroken(e, {
      promise: 'P5',
      table: 'consent_events',
      rule: 'consent.explicit_opt_in',
      subject: subjectId,
    });
    assert.equal(f.values.channel, 'account_updates');
  });

  it('P8 and P9: a contest entrant and a buyer the collection did not enroll', async () => {
    const e = env();
    const entrant = await contestant(e);
    const customer = await buyer(e);
    for (const s of [entrant.subjectId, customer.subjectId]) {
      await sql`delete from consent_events where subject_ref = ${s}`.execute(e.store.db);
      await sql`delete from consent_state where subject_ref = ${s}`.execute(e.store.db);
    }
    await expectBroken(e, {
      promise: 'P8',
      table: 'subject_records',
      rule: 'consent.enrolled_by_collection',
      subject: entrant.subjectId,
    });
    await expectBroken(e, {
      promise: 'P9',
      table: 'subject_records',
      rule: 'consent.enrolled_by_collection',
      subject: customer.subjectId,
    });
  });

  it('P3: a gift recipient enrolled in postal marketing (state and ledger), named by the never rule', async () => {
    const e = env();
    const { giftId } = await withGift(e);
    await byApi(e, giftId, 'postal_marketing', 'enrolled');
    const f = await expectBroken(e, {
      promise: 'P3',
      table: 'consent_state',
      rule: 'consent.kind_may_be_enrolled',
      subject: giftId,
    });
    assert.equal(f.values.kinds, 'gift_recipient');
  });

  it('P4: a correspondent enrolled in email marketing by a checkout that was never theirs', async () => {
    const e = env();
    const { subjectId, messageId } = await correspondent(e);
    await byCollectionPoint(e, subjectId, 'enrolled', 'inbound_email', messageId);
    await expectBroken(e, {
      promise: 'P4',
      table: 'consent_state',
      rule: 'consent.kind_may_be_enrolled',
      subject: subjectId,
    });
    const cause = await findings(e, { rule: 'consent.cause_in_policy', subject: subjectId });
    assert.equal(cause.length, 1, 'the inbound email is no enrolling point either');
  });

  it('names every channel it checked, and counts each rule', async () => {
    const run = await check(env());
    const p11 = run.results.find((r) => r.promise === 'P11')!;
    assert.match(p11.evidence.note, /consent\.state_equals_fold ×\d+/);
    for (const p of ['P5', 'P7', 'P8', 'P9'])
      assert.notEqual(run.results.find((r) => r.promise === p)?.status, 'not_checkable', p);
  });
});
