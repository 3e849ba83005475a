// A full sweep reads the audit trail's consent changes (most of the trail) batch by batch, with the
// ledger the batch holds, and the rest of the trail in one pass (src/modules/promises/checks/
// audit-stream.ts). The batches hold the people the ledger, the records and the disclosure log name:
// an audited enrolment of a person who has lost all of those (the person row and the trail kept) is
// in no batch, and must still be named, by a full sweep and by the next incremental run.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql } from 'kysely';
import { describeEachDialect } from '../helpers/env.js';
import { check, contestant, findings } from './support.js';

describeEachDialect('promise monitor: audited consent changes in a full sweep', (env) => {
  it('names an audited enrolment of a person whose ledger, records and identifiers were all lost', async () => {
    const e = env();
    const s = await contestant(e);
    const kept = await contestant(e);
    const clean = await check(e, 'full');
    assert.equal(clean.results.find((r) => r.promise === 'P13')?.status, 'kept');
    for (const table of ['consent_events', 'consent_state'])
      await sql`delete from ${sql.table(table)} where subject_ref = ${s.subjectId}`.execute(e.store.db);
    for (const table of ['subject_records', 'subject_identifiers', 'contest_entries'])
      await sql`delete from ${sql.table(table)} where subject_id = ${s.subjectId}`.execute(e.store.db);
    for (const mode of ['incremental', 'full'] as const) {
      const run = await check(e, mode);
      assert.equal(run.mode, mode);
      assert.equal(run.results.find((r) => r.promise === 'P13')?.status, 'broken', mode);
      const found = await findings(e, { promise: 'P13', rule: 'audit.ledger_kept' });
      assert.deepEqual(
        [...new Set(found.map((f) => f.values.subject))],
        [s.subjectId],
        `${mode}: only the person who lost their ledger (not ${kept.subjectId})`,
      );
      assert.equal(found[0]?.table, 'audit_log');
    }
  });
});
