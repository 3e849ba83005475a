// What must be gone, broken as an auditor would: rows of a deleted person written back (in tables the
// annotations do not describe too), a partial deletion undone, every deletion however old; and
// anything of a child marked under 13, including the mark itself (P14, P22).
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql } from 'kysely';
import type { TestEnv } from '../helpers/env.js';
import { describeEachDialect } from '../helpers/env.js';
import { buyer, expectBroken, expectClean, findings, registrant, restriction } from './support.js';

async function deleted(e: TestEnv, categories?: string[]) {
  const person = await buyer(e);
  const request = await e.services.rights.submit(
    { type: 'deletion', jurisdiction: 'eea', email: person.email, ...(categories ? { categories } : {}) },
    { channel: 'account', sessionSubjectId: person.subjectId },
  );
  await e.services.jobs.drain();
  assert.equal((await e.services.rights.get(request.requestId)).status, 'completed');
  return { ...person, requestId: request.requestId };
}

async function child(e: TestEnv) {
  const person = await buyer(e);
  await e.services.subjects.markUnder13(person.subjectId, { type: 'staff', id: 'staff-1' });
  return person;
}

/** The keyed hash of one of the marked children's identifiers of this kind. */
function markerOf(e: TestEnv, kind: string) {
  return e.store.db
    .selectFrom('under13_markers')
    .selectAll()
    .where('kind', '=', kind)
    .limit(1)
    .executeTakeFirstOrThrow();
}

/** An identifier with this keyed hash, held by `holder` from their order, as if collected again. */
async function holdAgain(
  e: TestEnv,
  holder: { subjectId: string; orderId: string },
  row: { id: string; kind: string; blindIndex: string; field: string },
) {
  await e.store.db
    .insertInto('subject_identifiers')
    .values({
      id: row.id,
      subject_id: holder.subjectId,
      kind: row.kind,
      blind_index: row.blindIndex,
      sealed_value: 'v1.AAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBB.CCCC',
      field: row.field,
      subject_kind: 'customer',
      collection_point: 'checkout',
      record_type: 'order',
      record_id: holder.orderId,
      policy_version: e.ctx.policy.version,
      collected_at: e.ctx.clock.now().toISOString(),
    })
    .execute();
}

describeEachDialect('promise monitor: deleted people and children', (env) => {
  it('a deletion of everything and the under-13 purge, done by Vow, leave nothing to report', async () => {
    const e = env();
    const gone = await deleted(e);
    const kid = await child(e);
    const partial = await deleted(e, ['contact.phone']);
    await expectClean(e, gone.subjectId, kid.subjectId, partial.subjectId);
  });

  it('P22: a deleted person’s look-up, unsubscribe token, queued mail and request contact written back', async () => {
    const e = env();
    const { subjectId, requestId } = await deleted(e);
    const now = e.ctx.clock.now().toISOString();
    await e.store.db
      .insertInto('subject_lookup')
      .values({ kind: 'email', blind_index: `restored-${subjectId}`, subject_id: subjectId, created_at: now })
      .execute();
    await e.store.db
      .insertInto('unsubscribe_tokens')
      .values({
        token_index: `tok-${subjectId}`,
        subject_id: subjectId,
        channel: 'email_marketing',
        created_at: now,
        used_at: null,
      })
      .execute();
    await e.store.db
      .insertInto('mail_outbox')
      .values({
        id: `mail-${subjectId}`,
        kind: 'consent.confirmation',
        subject_id: subjectId,
        audience: 'person',
        sealed: 'm1.AAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBB.CCCC',
        status: 'queued',
        message_id: null,
        last_error: null,
        created_at: now,
        sent_at: null,
      })
      .execute();
    await sql`update rights_requests set email_index = 'restored' where id = ${requestId}`.execute(
      e.store.db,
    );
    await expectBroken(e, {
      promise: 'P22',
      table: 'subject_lookup',
      rule: 'deletion.erased_everywhere',
      subject: subjectId,
    });
    for (const table of ['unsubscribe_tokens', 'mail_outbox'])
      assert.equal(
        (await findings(e, { table, rule: 'deletion.erased_everywhere', subject: subjectId })).length,
        1,
        table,
      );
    const contact = await findings(e, { rule: 'deletion.request_contact_forgotten', row: requestId });
    assert.equal(contact.length, 1);
    assert.equal(contact[0]!.values.request, requestId);
  });

  it('P22: an annotated column of a kept row, and the data key, written back after the deletion', async () => {
    const e = env();
    const person = await registrant(e, false);
    const request = await e.services.rights.submit(
      { type: 'deletion', jurisdiction: 'eea' },
      { channel: 'account', sessionSubjectId: person.subjectId },
    );
    await e.services.jobs.drain();
    assert.equal((await e.services.rights.get(request.requestId)).status, 'completed');
    await sql`update registrations set gender = 'female' where id = ${person.registrationId}`.execute(
      e.store.db,
    );
    const f = await expectBroken(e, {
      promise: 'P22',
      table: 'registrations',
      row: person.registrationId,
      rule: 'deletion.column_erased',
    });
    assert.equal(f.values.column, 'gender');
    assert.equal(f.values.expected, 'null');
    await sql`update data_keys set wrapped_key = 'restored-from-a-backup' where subject_id = ${person.subjectId}`.execute(
      e.store.db,
    );
    await expectBroken(e, {
      promise: 'P22',
      table: 'data_keys',
      row: person.subjectId,
      rule: 'deletion.key_destroyed',
    });
  });

  it('P22: a partial deletion undone (the phone and its look-up back), with its own rule and reason', async () => {
    const e = env();
    const person = await deleted(e, ['contact.phone']);
    const before = '2026-01-01T00:00:00.000Z';
    await e.store.db
      .insertInto('subject_identifiers')
      .values({
        id: `phone-${person.subjectId}`,
        subject_id: person.subjectId,
        kind: 'phone',
        blind_index: `bi-phone-${person.subjectId}`,
        sealed_value: 'v1.AAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBB.CCCC',
        field: 'buyer.phone',
        subject_kind: 'customer',
        collection_point: 'checkout',
        record_type: 'order',
        record_id: person.orderId,
        policy_version: e.ctx.policy.version,
        collected_at: before,
      })
      .execute();
    await e.store.db
      .insertInto('subject_lookup')
      .values({
        kind: 'phone',
        blind_index: `bi-stale-${person.subjectId}`,
        subject_id: person.subjectId,
        created_at: before,
      })
      .execute();
    const f = await expectBroken(e, {
      promise: 'P22',
      table: 'subject_identifiers',
      row: `phone-${person.subjectId}`,
      rule: 'deletion.category_erased',
    });
    assert.equal(f.values.category, 'contact.phone');
    const stale = await findings(e, { rule: 'deletion.lookup_backed', subject: person.subjectId });
    assert.equal(stale.length, 1);
    assert.notEqual(stale[0]!.reason, f.reason, 'each sub-check says its own reason');
  });

  it('P22: every completed deletion is checked, the oldest of more than 200 too', async () => {
    const e = env();
    const oldest = await deleted(e);
    await sql`update rights_requests set responded_at = '2025-03-01T00:00:00.000Z' where id = ${oldest.requestId}`.execute(
      e.store.db,
    );
    const rows = Array.from({ length: 210 }, (_, i) => ({
      id: `later-deletion-${i}-${oldest.subjectId}`,
      type: 'deletion' as const,
      scope: '{}',
      jurisdiction: 'eea' as const,
      channel: 'web' as const,
      status: 'completed' as const,
      subject_id: `nobody-${i}-${oldest.subjectId}`,
      email_index: null,
      sealed: '',
      received_at: '2026-01-01T00:00:00.000Z',
      due_on: '2026-02-01',
      ack_due_on: null,
      extended_due_on: null,
      extended_at: null,
      acknowledged_at: null,
      verified_at: '2026-01-01T00:00:00.000Z',
      verification_method: 'email_code' as const,
      is_agent: 0,
      agent_confirmed_at: null,
      agent_confirmed_by: null,
      approved_by: null,
      responded_at: '2026-01-10T00:00:00.000Z',
      response_nature: 'deleted',
      denial_basis: null,
      result: null,
      status_token_index: `later-${i}-${oldest.subjectId}`,
      created_by: null,
      created_at: '2026-01-01T00:00:00.000Z',
      updated_at: '2026-01-10T00:00:00.000Z',
      locale: 'en-US',
    }));
    for (let i = 0; i < rows.length; i += 50)
      await e.store.db
        .insertInto('rights_requests')
        .values(rows.slice(i, i + 50))
        .execute();
    await sql`update data_keys set wrapped_key = 'restored' where subject_id = ${oldest.subjectId}`.execute(
      e.store.db,
    );
    await expectBroken(e, {
      promise: 'P22',
      table: 'data_keys',
      row: oldest.subjectId,
      rule: 'deletion.key_destroyed',
    });
    await sql`delete from rights_requests where id like 'later-deletion-%'`.execute(e.store.db);
  });

  it('P14: a child’s consent event, collection row, disclosure, data key, look-up, token and restriction written back', async () => {
    const e = env();
    const { subjectId } = await child(e);
    const now = e.ctx.clock.now().toISOString();
    const db = e.store.db;
    await db
      .insertInto('consent_events')
      .values({
        id: `ev-${subjectId}`,
        subject_ref: subjectId,
        channel: 'email_marketing',
        event: 'enrolled',
        cause_type: 'api',
        cause_ref: null,
        staff_id: null,
        at: now,
        policy_version: e.ctx.policy.version,
      })
      .execute();
    await db
      .insertInto('contest_entries')
      .values({
        id: `entry-${subjectId}`,
        subject_id: subjectId,
        contest_id: null,
        sealed: null,
        policy_version: e.ctx.policy.version,
        collected_at: now,
      })
      .execute();
    await db
      .insertInto('disclosures')
      .values({
        id: `dis-${subjectId}`,
        disclosure_id: `dis-${subjectId}`,
        subject_id: subjectId,
        recipient: 'carrier',
        purpose: 'order.fulfilment',
        record_id: null,
        categories: '["contact.postal_address"]',
        fields: '[]',
        rules: '[]',
        policy_version: e.ctx.policy.version,
        disclosed_at: now,
      })
      .execute();
    await sql`update data_keys set wrapped_key = 'restored' where subject_id = ${subjectId}`.execute(db);
    await db
      .insertInto('subject_lookup')
      .values({ kind: 'email', blind_index: `kid-${subjectId}`, subject_id: subjectId, created_at: now })
      .execute();
    await db
      .insertInto('unsubscribe_tokens')
      .values({
        token_index: `kid-tok-${subjectId}`,
        subject_id: subjectId,
        channel: 'email_marketing',
        created_at: now,
        used_at: null,
      })
      .execute();
    await restriction(e, { id: `kid-r-${subjectId}`, subjectId, scope: 'all', purposes: [], startedAt: now });
    await expectBroken(e, {
      promise: 'P14',
      table: 'consent_events',
      row: `ev-${subjectId}`,
      rule: 'under13.nothing_kept',
    });
    for (const table of [
      'contest_entries',
      'disclosures',
      'subject_lookup',
      'unsubscribe_tokens',
      'restrictions',
    ])
      assert.equal(
        (await findings(e, { table, rule: 'under13.nothing_kept', subject: subjectId })).length,
        1,
        table,
      );
    assert.equal((await findings(e, { rule: 'under13.key_destroyed', subject: subjectId })).length, 1);
  });

  it('P14: the mark itself removed, and a child’s identifier held again', async () => {
    const e = env();
    const { subjectId } = await child(e);
    const marker = await markerOf(e, 'email');
    await sql`update subjects set under13 = 0 where id = ${subjectId}`.execute(e.store.db);
    await expectBroken(e, { promise: 'P14', table: 'subjects', row: subjectId, rule: 'under13.mark_kept' });
    const other = await buyer(e);
    await holdAgain(e, other, {
      id: `kid-again-${subjectId}`,
      kind: marker.kind,
      blindIndex: marker.blind_index,
      field: 'buyer.email',
    });
    await expectBroken(e, {
      promise: 'P14',
      table: 'subject_identifiers',
      row: `kid-again-${subjectId}`,
      rule: 'under13.identifier_returned',
    });
    await sql`delete from subject_identifiers where id = ${`kid-again-${subjectId}`}`.execute(e.store.db);
    await sql`update subjects set under13 = 1 where id = ${subjectId}`.execute(e.store.db);
  });

  it('P14: a child’s household address collected again breaks nothing (the gate lets it in)', async () => {
    const e = env();
    const kid = await buyer(e);
    const address = await e.store.db
      .selectFrom('subject_identifiers')
      .select('blind_index')
      .where('subject_id', '=', kid.subjectId)
      .where('kind', '=', 'address')
      .limit(1)
      .executeTakeFirstOrThrow();
    await e.services.subjects.markUnder13(kid.subjectId, { type: 'staff', id: 'staff-1' });
    // A marker of the address, as versions before migration 0711 kept: not a refused kind either.
    await e.store.db
      .insertInto('under13_markers')
      .values({
        kind: 'address',
        blind_index: address.blind_index,
        marked_at: e.ctx.clock.now().toISOString(),
      })
      .execute();
    const parent = await buyer(e);
    await holdAgain(e, parent, {
      id: `household-${parent.subjectId}`,
      kind: 'address',
      blindIndex: address.blind_index,
      field: 'shipping_address',
    });
    await expectClean(e, parent.subjectId);
    assert.deepEqual(await findings(e, { rule: 'under13.identifier_returned' }), []);
  });

  it('P22: rows naming a person Vow does not know; P15: an account linked to nobody', async () => {
    const e = env();
    const now = e.ctx.clock.now().toISOString();
    await e.store.db
      .insertInto('consent_state')
      .values({
        subject_ref: 'ghost-person',
        channel: 'email_marketing',
        state: 'enrolled',
        last_event: 'enrolled',
        last_seq: 1,
        updated_at: now,
      })
      .execute();
    await expectBroken(e, {
      promise: 'P22',
      table: 'consent_state',
      rule: 'person.known',
      subject: 'ghost-person',
    });
    await e.store.db
      .insertInto('shopper_accounts')
      .values({
        id: 'acct-ghost',
        email_index: 'ghost-index',
        email_sealed: 'v1.AAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBB.CCCC',
        password_hash: '!',
        subject_id: 'ghost-holder',
        email_verified_at: now,
        created_at: now,
        updated_at: now,
        deleted_at: null,
      })
      .execute();
    await expectBroken(e, {
      promise: 'P15',
      table: 'shopper_accounts',
      row: 'acct-ghost',
      rule: 'account.linked_person',
    });
    await sql`delete from consent_state where subject_ref = 'ghost-person'`.execute(e.store.db);
    await sql`delete from shopper_accounts where id = 'acct-ghost'`.execute(e.store.db);
  });
});
