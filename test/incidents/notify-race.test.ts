// Two confirmations of the same Art. 34 message racing each other: one queues the job, the other is
// refused with VOW_INCIDENT_STATE (never a 500), and the people are written to once. On PostgreSQL the
// two run on two connections truly interleaved: the first holds its transaction open after writing the
// message, the second reaches the same row and waits for its lock (seen in pg_stat_activity), then the
// first commits. On SQLite (one connection) both pass the "not yet queued" check before either writes.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql } from 'kysely';
import { TELL_PEOPLE_JOB } from '../../src/modules/incidents/index.js';
import type { AuditEntry } from '../../src/platform/audit/index.js';
import { orderBody, post } from '../collection/fixtures.js';
import { deferred } from '../helpers/deferred.js';
import { describeEachDialect, type TestEnv } from '../helpers/env.js';
import { highRiskThroughService } from '../helpers/incidents.js';
import { captureMail } from '../helpers/mail.js';
import { inBoth } from './notice-fixtures.js';

const DRAFT = {
  subject: 'Jewelry Co: a breach concerns your address',
  whatHappened: 'A courier lost a box of printed packing slips.',
  consequences: 'Someone could send you mail pretending to be us.',
  measures: 'We changed courier.',
  advice: '',
};

async function highRisk(e: TestEnv): Promise<string> {
  for (const n of ['race-1', 'race-2'])
    assert.equal((await post(e, '/v1/orders', orderBody(n))).statusCode, 201);
  return highRiskThroughService(e, DRAFT);
}

/** Waits, one query at a time (no sleep), until a statement of this database waits for a lock. */
async function untilLockWait(e: TestEnv, settled: () => boolean): Promise<void> {
  for (let n = 0; n < 10_000; n++) {
    if (settled()) throw new Error('the second confirmation finished without waiting for the first');
    const r = await sql<{
      n: number | string;
    }>`select count(*) as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(
      e.store.db,
    );
    if (Number(r.rows[0]?.n ?? 0) > 0) return;
  }
  throw new Error('no lock wait seen');
}

async function settle(p: Promise<unknown>): Promise<{ ok: boolean; error?: unknown }> {
  try {
    await p;
    return { ok: true };
  } catch (error) {
    return { ok: false, error };
  }
}

describeEachDialect('incidents: two confirmations of the Art. 34 message race', (env) => {
  it('the second is refused with VOW_INCIDENT_STATE, one job, each person mailed once', async () => {
    const e = env();
    const sent = captureMail(e);
    const id = await highRisk(e);
    const notices = e.services.incidentNotices;
    let results: { ok: boolean; error?: unknown }[];
    if (e.dialect === 'postgres') {
      // The first confirmation stops inside its transaction, its message written, until released.
      const audit = e.ctx.audit;
      const record = audit.record.bind(audit);
      const { promise: reached, resolve: inside } = deferred();
      const { promise: gate, resolve: release } = deferred();
      let held = false;
      audit.record = async (entry: AuditEntry, trx?: Parameters<typeof record>[1]) => {
        if (entry.action === 'incident.notice_queued' && !held) {
          held = true;
          inside();
          await gate;
        }
        return record(entry, trx);
      };
      try {
        const first = settle(notices.queue(id, inBoth(DRAFT), 'officer-1'));
        await reached;
        let secondDone = false;
        const second = settle(notices.queue(id, inBoth(DRAFT), 'officer-2')).finally(() => {
          secondDone = true;
        });
        await untilLockWait(e, () => secondDone);
        release();
        results = await Promise.all([first, second]);
      } finally {
        audit.record = record;
      }
    } else {
      results = await Promise.all([
        settle(notices.queue(id, inBoth(DRAFT), 'officer-1')),
        settle(notices.queue(id, inBoth(DRAFT), 'officer-2')),
      ]);
    }
    assert.equal(results.filter((r) => r.ok).length, 1, 'one confirmation queues');
    const refused = results.find((r) => !r.ok)?.error as { code?: string } | undefined;
    assert.equal(refused?.code, 'VOW_INCIDENT_STATE', String(refused));
    assert.equal((await e.services.jobs.list({ name: TELL_PEOPLE_JOB })).length, 1, 'one job');
    await e.services.jobs.drain();
    await e.services.jobs.drain();
    assert.deepEqual(
      sent
        .filter((m) => m.subject.startsWith(DRAFT.subject))
        .map((m) => m.to)
        .sort(),
      ['ann.buyerrace-1@example.com', 'ann.buyerrace-2@example.com'],
    );
    const queued = await e.ctx.audit.list({ targetType: 'incident', targetId: id, limit: 100 });
    assert.equal(queued.filter((a) => a.action === 'incident.notice_queued').length, 1, 'audited once');
  });
});
