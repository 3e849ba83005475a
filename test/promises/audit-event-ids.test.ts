// A consent change's audit entry names the ledger event it wrote (its id and the time it takes
// effect), so the monitor compares ledger and trail event by event (test/promises/injected/
// ledger-times.ts: events moved or renamed). Entries written before they carried these fields are
// still in every trail: they are checked as before, and raise no alarm.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { AuditEntry } from '../../src/platform/audit/index.js';
import type { TestEnv } from '../helpers/env.js';
import { describeEachDialect } from '../helpers/env.js';
import { buyer, check, findings, unsubscribe } from './support.js';

async function consentEntries(e: TestEnv, subjectId: string) {
  const rows = await e.store.db
    .selectFrom('audit_log')
    .select(['action', 'details'])
    .where('target_id', '=', subjectId)
    .where('action', 'like', 'consent.%')
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({ action: r.action, details: JSON.parse(r.details) as Record<string, unknown> }));
}

/** Runs `fn` with the audit trail writing consent entries as they were before they named their event. */
async function asBefore<T>(e: TestEnv, fn: () => Promise<T>): Promise<T> {
  const audit = e.ctx.audit;
  const strip = (entry: AuditEntry): AuditEntry => {
    if (!entry.action.startsWith('consent.') || !entry.details) return entry;
    const { eventId: _id, eventAt: _at, ...details } = entry.details;
    return { ...entry, details };
  };
  const record = audit.record.bind(audit);
  const recordMany = audit.recordMany.bind(audit);
  Object.assign(audit, {
    record: (entry: AuditEntry, trx?: Parameters<typeof record>[1]) => record(strip(entry), trx),
    recordMany: (
      entries: readonly AuditEntry[],
      trx?: Parameters<typeof recordMany>[1],
      set?: Parameters<typeof recordMany>[2],
    ) => recordMany(entries.map(strip), trx, set),
  });
  try {
    return await fn();
  } finally {
    delete (audit as { record?: unknown }).record;
    delete (audit as { recordMany?: unknown }).recordMany;
  }
}

describeEachDialect('promise monitor: audit entries that name their consent event', (env) => {
  it('an enrolment (a collection’s batch write) and an unsubscribe name their ledger event and its time', async () => {
    const e = env();
    const s = await buyer(e);
    e.clock.advance(60_000);
    await unsubscribe(e, s.subjectId);
    const events = await e.store.db
      .selectFrom('consent_events')
      .select(['id', 'event', 'at'])
      .where('subject_ref', '=', s.subjectId)
      .orderBy('seq')
      .execute();
    const entries = await consentEntries(e, s.subjectId);
    assert.deepEqual(
      entries.map((x) => [x.action, x.details.eventId, x.details.eventAt]),
      events.map((x) => [`consent.${x.event}`, x.id, x.at]),
    );
    assert.ok(events.some((x) => x.event === 'unsubscribed'));
  });

  it('entries written before they named their event raise no alarm, in an incremental run or a full sweep', async () => {
    const e = env();
    const s = await asBefore(e, () => buyer(e));
    await check(e, 'full');
    e.clock.advance(60_000);
    await asBefore(e, () => unsubscribe(e, s.subjectId));
    const entries = await consentEntries(e, s.subjectId);
    assert.ok(entries.length >= 2, JSON.stringify(entries));
    assert.ok(entries.every((x) => x.details.eventId === undefined && x.details.eventAt === undefined));
    for (const mode of ['incremental', 'full'] as const) {
      const run = await check(e, mode);
      assert.equal(run.mode, mode);
      assert.equal(run.results.find((r) => r.promise === 'P13')?.status, 'kept', mode);
      const mine = (await findings(e)).filter(
        (f) => f.values.subject === s.subjectId || f.row.startsWith(s.subjectId),
      );
      assert.deepEqual(mine, [], mode);
    }
  });
});
