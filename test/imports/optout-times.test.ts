// A batch of imported opt-outs (consent's recordImportedWithdrawals) whose rows carry their own times
// (UNSUB_TIME, opted_out_at) and mix an SMS opt-out with email ones of the same person: each event
// has its row's time, in the file's order; consent_state ends on the person's last event of the
// batch with that event's time; a row for a channel an earlier row withdrew records nothing, even
// when its time is later (as one opt-out after the other left it: the first row in the file is
// the event). The same rows one by one write the same.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Insertable } from 'kysely';
import {
  type ImportedWithdrawal,
  recordImportedWithdrawal,
  recordImportedWithdrawals,
} from '../../src/modules/consent/index.js';
import type { Database } from '../../src/platform/store/index.js';
import { contestEmail, writeContestant } from '../helpers/audience.js';
import { describeEachDialect, type TestEnv } from '../helpers/env.js';

/** A contestant holding `emails` and `phone`, on email marketing, account updates and marketing texts. */
async function person(env: TestEnv, emails: readonly string[], phone: string): Promise<string> {
  const { ctx } = env;
  const id = ctx.random.uuid();
  const rows: Insertable<Database['subject_identifiers']>[] = [];
  for (const [n, email] of emails.entries()) rows.push(await contestEmail(env, id, email, `r-${id}-${n}`));
  rows.push({
    ...(await contestEmail(env, id, phone, `r-${id}-phone`)),
    kind: 'phone',
    field: 'phone',
    blind_index: ctx.vault.blindIndex('phone', phone),
  });
  await writeContestant(env, id, rows, {
    email_marketing: 'enrolled',
    account_updates: 'consented',
    sms_marketing: 'consented',
  });
  return id;
}

const T = (day: string) => new Date(`2026-${day}T09:30:00.000Z`);

async function scenario(env: TestEnv, tag: string, phone: string) {
  const email = (n: string) => `${tag}.${n}@example.com`;
  const id = await person(env, [email('home'), email('work')], phone);
  const row = (
    identifier: ImportedWithdrawal['identifier'],
    why: ImportedWithdrawal['why'],
    at: Date,
    n: number,
  ): ImportedWithdrawal => ({ identifier, why, at, evidence: { file: `${tag}.csv`, row: n } });
  const inputs = [
    row({ kind: 'email', value: email('home') }, 'unsubscribed', T('03-02'), 2),
    row({ kind: 'phone', value: phone }, 'unsubscribed', T('01-05'), 3), // earlier, after in the file
    row({ kind: 'email', value: email('work') }, 'bounced', T('04-20'), 4), // email channels off already
    row({ kind: 'email', value: email('home') }, 'bounced', T('05-01'), 5), // listed twice, later: nothing
  ];
  return { id, inputs };
}

/** The person's imported events (channel, event, time, row) in ledger order, and their states. */
async function written(env: TestEnv, id: string) {
  const db = env.store.db;
  const events = await db
    .selectFrom('consent_events')
    .select(['channel', 'event', 'at', 'details'])
    .where('subject_ref', '=', id)
    .where('cause_ref', '=', 'import')
    .orderBy('seq')
    .execute();
  const states = await db
    .selectFrom('consent_state')
    .select(['channel', 'state', 'last_event', 'updated_at'])
    .where('subject_ref', '=', id)
    .orderBy('channel')
    .execute();
  return {
    events: events.map((e) => {
      const row = (JSON.parse(e.details) as { source: { row: number } }).source.row;
      return `${e.channel} ${e.event} ${e.at} row ${row}`;
    }),
    states: states.map((s) => `${s.channel} ${s.state} ${s.last_event} ${s.updated_at}`),
  };
}

describeEachDialect('a batch of imported opt-outs with their own times', (env) => {
  it('records each row’s time, in the file’s order, and ends on the last event', async () => {
    const { ctx, services, store } = env();
    const batch = await scenario(env(), 'times-batch', '+16085550141');
    const rows = await scenario(env(), 'times-rows', '+16085550142');
    const together = await store.db
      .transaction()
      .execute((trx) => recordImportedWithdrawals(ctx, services.consent, trx, batch.inputs));
    await store.db.transaction().execute(async (trx) => {
      for (const input of rows.inputs) await recordImportedWithdrawal(ctx, services.consent, trx, input);
    });
    assert.deepEqual(
      together.map((o) => o.events),
      [2, 1, 0, 0],
    );
    const a = await written(env(), batch.id);
    assert.deepEqual(a.events, [
      `email_marketing unsubscribed ${T('03-02').toISOString()} row 2`,
      `account_updates unsubscribed ${T('03-02').toISOString()} row 2`,
      `sms_marketing unsubscribed ${T('01-05').toISOString()} row 3`,
    ]);
    assert.deepEqual(a.states, [
      `account_updates withdrawn unsubscribed ${T('03-02').toISOString()}`,
      `email_marketing withdrawn unsubscribed ${T('03-02').toISOString()}`,
      `sms_marketing withdrawn unsubscribed ${T('01-05').toISOString()}`,
    ]);
    assert.deepEqual(await written(env(), rows.id), a, 'one by one wrote the same');
    assert.deepEqual((await ctx.audit.verify()).ok, true, 'the audit chain holds');
  });
});
