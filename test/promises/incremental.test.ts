// Incremental runs: the change journal (triggers) and the watermarks make a run read what changed
// since the last one, whoever changed it (a hand edit included); a violation fixed disappears when
// its person is read again; a missing trigger, or a day since the last full sweep, makes a full one.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql } from 'kysely';
import { describeEachDialect } from '../helpers/env.js';
import { buyer, check, findings, measurement, unsubscribe, visitor } from './support.js';

describeEachDialect('promise monitor: incremental runs', (env) => {
  it('after a full sweep, a run with nothing changed reads nobody and answers the same', async () => {
    const e = env();
    await buyer(e);
    const full = await check(e, 'full');
    const again = await check(e, 'incremental');
    assert.equal(again.mode, 'incremental');
    assert.equal(again.scopes, 0);
    assert.deepEqual(
      again.results.map((r) => [r.promise, r.status]),
      full.results.map((r) => [r.promise, r.status]),
    );
  });

  it('a hand edit of an old row is read by the next incremental run, and only that person', async () => {
    const e = env();
    const people = [await buyer(e), await buyer(e), await buyer(e)];
    const target = people[1]!.subjectId;
    await unsubscribe(e, target);
    await check(e, 'full');
    await sql`update consent_state set state = 'enrolled' where subject_ref = ${target} and channel = 'email_marketing'`.execute(
      e.store.db,
    );
    const run = await check(e, 'incremental');
    assert.equal(run.mode, 'incremental');
    assert.equal(run.scopes, 1, 'one person was written since the last run');
    assert.equal(run.results.find((r) => r.promise === 'P11')?.status, 'broken');
    assert.deepEqual(run.newlyBroken.includes('P11'), true);
    // Fixed by hand too: the next incremental run reads the person again and the finding goes.
    await sql`update consent_state set state = 'withdrawn' where subject_ref = ${target} and channel = 'email_marketing'`.execute(
      e.store.db,
    );
    const fixed = await check(e, 'incremental');
    assert.deepEqual(await findings(e, { subject: target, rule: 'consent.state_equals_fold' }), []);
    assert.ok(fixed.recovered.includes('P11'));
  });

  it('an audit entry edited by hand is found without re-reading the chain', async () => {
    const e = env();
    await buyer(e);
    await check(e, 'full');
    const seq = 1;
    await sql`update audit_log set reason = 'edited' where seq = ${seq}`.execute(e.store.db);
    const run = await check(e, 'incremental');
    assert.equal(run.mode, 'incremental');
    const f = await findings(e, { table: 'audit_log', row: String(seq), rule: 'audit.chain_intact' });
    assert.ok(f.length >= 1, 'the edited entry is named');
    await sql`update audit_log set reason = null where seq = ${seq}`.execute(e.store.db);
  });

  it('measurements stored since the last run are read by watermark (they have no trigger)', async () => {
    const e = env();
    const v = await visitor(e);
    await check(e, 'full');
    const id = await measurement(e, v.index, '/rings?email=someone@example.com');
    const run = await check(e, 'incremental');
    assert.equal(run.mode, 'incremental');
    assert.equal(
      (await findings(e, { table: 'analytics_events', row: String(id), rule: 'measurement.path_scrubbed' }))
        .length,
      1,
    );
    await sql`delete from analytics_events where id = ${id}`.execute(e.store.db);
  });

  it('a journal trigger dropped makes the next run a full sweep; a day after the last one, `auto` sweeps', async () => {
    const e = env();
    await check(e, 'full');
    const triggers =
      e.dialect === 'postgres'
        ? await sql<{
            name: string;
            tbl: string;
          }>`select t.tgname as name, c.relname as tbl from pg_trigger t join pg_class c on c.oid = t.tgrelid where t.tgname like 'vow_pj_consent_state%'`.execute(
            e.store.db,
          )
        : await sql<{
            name: string;
            tbl: string;
          }>`select name, tbl_name as tbl from sqlite_master where type = 'trigger' and name like 'vow_pj_consent_state%'`.execute(
            e.store.db,
          );
    assert.ok(triggers.rows.length > 0, 'the monitor installed its triggers');
    const t = triggers.rows[0]!;
    await sql
      .raw(e.dialect === 'postgres' ? `drop trigger "${t.name}" on "${t.tbl}"` : `drop trigger "${t.name}"`)
      .execute(e.store.db);
    assert.equal((await check(e, 'incremental')).mode, 'full', 'a change may have gone unrecorded');
    assert.equal((await check(e, 'auto')).mode, 'incremental');
    e.clock.advance(25 * 60 * 60 * 1000);
    assert.equal((await check(e, 'auto')).mode, 'full');
  });

  it('retention keeps its own daily schedule: an incremental run within the day keeps its findings', async () => {
    const e = env();
    await sql`insert into analytics_events (visitor_id, type, area, path, browser_family, at)
      values (${'B'.repeat(43)}, 'page_view', 'rings', '/rings', 'firefox', '2024-01-01T00:00:00.000Z')`.execute(
      e.store.db,
    );
    await check(e, 'full');
    assert.equal(
      (await findings(e, { rule: 'retention.kept_too_long', table: 'analytics_events' })).length,
      1,
    );
    await sql`delete from analytics_events where at < '2025-01-01'`.execute(e.store.db);
    await check(e, 'incremental');
    assert.equal(
      (await findings(e, { rule: 'retention.kept_too_long', table: 'analytics_events' })).length,
      1,
    );
    e.clock.advance(25 * 60 * 60 * 1000);
    await check(e, 'incremental');
    assert.deepEqual(await findings(e, { rule: 'retention.kept_too_long', table: 'analytics_events' }), []);
  });
});
