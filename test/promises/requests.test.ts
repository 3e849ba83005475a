// Requests, complaints, aggregate reports, retention and records, broken as an auditor would (P1, P3,
// P4, P6, P16, P20-P25): a request closed without a response or fulfilled unverified, one overdue, a
// complaint closed unanswered, a DP release with ε 50 and no threshold, values past their retention,
// a record under a policy version never in force.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql } from 'kysely';
import type { TestEnv } from '../helpers/env.js';
import { describeEachDialect } from '../helpers/env.js';
import { buyer, correspondent, expectBroken, findings, measurement, withGift } from './support.js';

async function request(
  e: TestEnv,
  type: 'access' | 'correction' | 'deletion',
  channel: 'web' | 'email' = 'web',
) {
  const r = await e.services.rights.submit(
    {
      type,
      jurisdiction: 'eea',
      email: `req.${Math.floor(Math.random() * 1e9)}@example.com`,
      ...(type === 'correction' ? { correction: { category: 'identity.name', value: 'Ann B.' } } : {}),
    },
    channel === 'email' ? { channel, receivedOn: '2026-01-14', staffId: 'staff-1' } : { channel },
  );
  return r.requestId;
}

/** Sets one column of a person's rows in a table by hand (SQL on the store, as an auditor would). */
async function setOfSubject(
  e: TestEnv,
  table: 'subject_identifiers' | 'subject_records',
  column: 'collected_at' | 'policy_version',
  value: string,
  subjectId: string,
): Promise<void> {
  await sql`update ${sql.table(table)} set ${sql.ref(column)} = ${value} where subject_id = ${subjectId}`.execute(
    e.store.db,
  );
}

describeEachDialect('promise monitor: requests, complaints, reports, retention, records', (env) => {
  it('P20, P24: an access request received by email, closed without a response', async () => {
    const e = env();
    const id = await request(e, 'access', 'email');
    await sql`update rights_requests set status = 'completed', verified_at = received_at, verification_method = 'email_code'
      where id = ${id}`.execute(e.store.db);
    const f = await expectBroken(e, {
      promise: 'P20',
      table: 'rights_requests',
      row: id,
      rule: 'request.answered',
    });
    assert.equal(f.values.status, 'completed');
    assert.equal((await findings(e, { promise: 'P24', row: id, rule: 'request.answered' })).length, 1);
  });

  it('P16, P21: a correction completed without verification or approval; P22: a deletion refused without a basis', async () => {
    const e = env();
    const id = await request(e, 'correction');
    await sql`update rights_requests set status = 'completed', responded_at = ${e.ctx.clock.now().toISOString()},
      response_nature = 'corrected' where id = ${id}`.execute(e.store.db);
    await expectBroken(e, {
      promise: 'P16',
      table: 'rights_requests',
      row: id,
      rule: 'request.verified_first',
    });
    assert.equal(
      (await findings(e, { promise: 'P16', row: id, rule: 'request.correction_approved' })).length,
      1,
    );
    assert.equal((await findings(e, { promise: 'P21', row: id, rule: 'request.verified_first' })).length, 1);
    const del = await request(e, 'deletion');
    await sql`update rights_requests set status = 'denied', responded_at = ${e.ctx.clock.now().toISOString()},
      response_nature = 'denied' where id = ${del}`.execute(e.store.db);
    await expectBroken(e, {
      promise: 'P22',
      table: 'rights_requests',
      row: del,
      rule: 'request.denial_basis',
    });
  });

  it('P22: a deletion request past its deadline, open', async () => {
    const e = env();
    const id = await request(e, 'deletion');
    await sql`update rights_requests set due_on = '2026-01-10' where id = ${id}`.execute(e.store.db);
    const f = await expectBroken(e, {
      promise: 'P22',
      table: 'rights_requests',
      row: id,
      rule: 'request.on_time',
    });
    assert.equal(f.values.due_on, '2026-01-10');
    await sql`update rights_requests set due_on = '2026-03-10' where id = ${id}`.execute(e.store.db);
  });

  it('P25: a complaint closed without a reply, and one marked replied with no reply recorded', async () => {
    const e = env();
    const { complaintId } = await e.services.complaints.submit(
      { jurisdiction: 'eea', email: 'unhappy.one@example.com', message: 'You mailed me.' },
      { channel: 'web' },
    );
    await sql`update complaints set status = 'closed' where id = ${complaintId}`.execute(e.store.db);
    await expectBroken(e, {
      promise: 'P25',
      table: 'complaints',
      row: complaintId,
      rule: 'complaint.answered',
    });
    await sql`update complaints set status = 'answered', first_reply_at = ${e.ctx.clock.now().toISOString()} where id = ${complaintId}`.execute(
      e.store.db,
    );
    await expectBroken(e, {
      promise: 'P25',
      table: 'complaints',
      row: complaintId,
      rule: 'complaint.reply_recorded',
    });
  });

  it('P6: a release with ε 50 and no threshold, cells under it, and a recipient over its budget', async () => {
    const e = env();
    const at = e.ctx.clock.now().toISOString();
    await e.store.db
      .insertInto('report_releases')
      .values({
        id: 'release-eps-50',
        report: 'visitors_by_area',
        period: '2025-W40',
        epsilon_milli: 50_000,
        threshold: 1,
        contribution_cap: 2,
        cells: JSON.stringify([
          { key: 'rings', count: 3 },
          { key: 'earrings', count: 1 },
        ]),
        policy_version: e.ctx.policy.version,
        released_at: at,
      })
      .execute();
    const f = await expectBroken(e, {
      promise: 'P6',
      table: 'report_releases',
      row: 'release-eps-50',
      rule: 'report.epsilon',
    });
    assert.equal(f.values.epsilon, 50);
    assert.equal(f.values.allowed, 1);
    for (const rule of ['report.threshold', 'report.cells_over_threshold'])
      assert.equal((await findings(e, { row: 'release-eps-50', rule })).length, 1, rule);
    await e.store.db
      .insertInto('report_receipts')
      .values({
        release_id: 'release-eps-50',
        recipient: 'advertisers',
        period: '2025-W40',
        epsilon_milli: 50_000,
        staff_id: null,
        at,
      })
      .execute();
    await expectBroken(e, { promise: 'P6', table: 'report_receipts', rule: 'report.budget_week' });
    // Within every week's budget, but 18 weeks of 3 ε each are more than the 52 ε a year allows.
    for (let w = 1; w <= 18; w++)
      await e.store.db
        .insertInto('report_receipts')
        .values({
          release_id: `release-week-${w}`,
          recipient: 'internal',
          period: '2025-W40',
          epsilon_milli: 3_000,
          staff_id: null,
          at: new Date(Date.parse('2025-06-02T10:00:00Z') + w * 7 * 86_400_000).toISOString(),
        })
        .execute();
    const lifetime = await expectBroken(e, {
      promise: 'P6',
      table: 'report_receipts',
      rule: 'report.budget_lifetime',
    });
    assert.equal(lifetime.values.recipient, 'internal');
  });

  it('P3, P4, P22: a gift recipient’s address kept past a year, a correspondent’s email past two, measurements past 14 months', async () => {
    const e = env();
    const { giftId } = await withGift(e);
    await setOfSubject(e, 'subject_identifiers', 'collected_at', '2024-06-01T00:00:00.000Z', giftId);
    const f = await expectBroken(e, {
      promise: 'P3',
      table: 'subject_identifiers',
      rule: 'retention.kept_too_long',
      subject: giftId,
    });
    assert.equal(f.values.keep_for, 'P1Y');
    const mail = await correspondent(e);
    await setOfSubject(e, 'subject_identifiers', 'collected_at', '2023-06-01T00:00:00.000Z', mail.subjectId);
    await setOfSubject(e, 'subject_records', 'collected_at', '2023-06-01T00:00:00.000Z', mail.subjectId);
    await expectBroken(e, {
      promise: 'P4',
      table: 'subject_identifiers',
      rule: 'retention.kept_too_long',
      subject: mail.subjectId,
    });
    await measurement(e, 'A'.repeat(43), '/rings', '2024-01-01T00:00:00.000Z');
    const m = await expectBroken(e, {
      promise: 'P22',
      table: 'analytics_events',
      rule: 'retention.kept_too_long',
    });
    assert.equal(m.values.rows, 1);
    await sql`delete from analytics_events where at < '2025-01-01'`.execute(e.store.db);
  });

  it('P1: a record collected under a policy version that was never in force', async () => {
    const e = env();
    const { subjectId } = await buyer(e);
    await setOfSubject(e, 'subject_records', 'policy_version', 'never-published', subjectId);
    const f = await expectBroken(e, {
      promise: 'P1',
      table: 'subject_records',
      rule: 'record.policy_version_known',
      subject: subjectId,
    });
    assert.equal(f.values.policy_version, 'never-published');
  });
});
