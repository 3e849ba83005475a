// Data security as data (P13), broken as an auditor would: a value stored in clear in a sealed column,
// an audit entry edited, entries truncated after the last anchor with the head fixed, the whole chain
// re-hashed, an anchor forged in the database. The anchors that catch the last three live outside the
// database (the anchor file; in memory for a store in memory).
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql } from 'kysely';
import { type AuditRow, hashEntry } from '../../src/platform/audit/index.js';
import type { TestEnv } from '../helpers/env.js';
import { describeEachDialect } from '../helpers/env.js';
import { buyer, check, expectBroken, unsubscribe } from './support.js';

/** Sets the audit trail's head, as a forger who moves it by hand would. */
async function setHead(e: TestEnv, seq: number, hash: string): Promise<void> {
  await e.store.db.updateTable('audit_head').set({ seq, hash }).where('id', '=', 1).execute();
}

/** The last entry of the audit trail (its number and hash). */
function lastEntry(e: TestEnv) {
  return e.store.db
    .selectFrom('audit_log')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
}

/** Recomputes every hash from `from` on and the head, as a forger who knows the scheme would. */
async function rehashFrom(e: TestEnv, from: number): Promise<void> {
  const rows = (await e.store.db
    .selectFrom('audit_log')
    .selectAll()
    .where('seq', '>=', from - 1)
    .orderBy('seq')
    .execute()) as AuditRow[];
  let prev = from === 1 ? 'genesis' : rows[0]!.hash;
  for (const row of rows) {
    if (Number(row.seq) < from) continue;
    const { prev_hash: _p, hash: _h, ...rest } = row;
    const hash = hashEntry(prev, { ...rest, seq: Number(row.seq) });
    await e.store.db
      .updateTable('audit_log')
      .set({ prev_hash: prev, hash })
      .where('seq', '=', row.seq)
      .execute();
    prev = hash;
  }
  const last = rows.at(-1)!;
  await setHead(e, Number(last.seq), prev);
}

describeEachDialect('promise monitor: data security', (env) => {
  it('P13: a value in clear in a sealed column, annotated or named so, found by its length only', async () => {
    const e = env();
    const { subjectId, orderId } = await buyer(e);
    await sql`update orders set buyer_sealed = ${'{"name":"Ann Buyer","billing_address":"12 Elm Street"}'} where id = ${orderId}`.execute(
      e.store.db,
    );
    const f = await expectBroken(e, {
      promise: 'P13',
      table: 'orders',
      row: orderId,
      rule: 'sealed.value_sealed',
    });
    assert.equal(f.values.column, 'buyer_sealed');
    assert.equal(f.values.subject, subjectId);
    assert.equal(typeof f.values.length, 'number');
    assert.doesNotMatch(JSON.stringify(f), /Ann Buyer|Elm/);
    const request = await e.services.rights.submit(
      { type: 'access', jurisdiction: 'eea', email: 'someone.else@example.com' },
      { channel: 'web' },
    );
    await sql`update rights_requests set sealed = ${'{"email":"someone.else@example.com"}'} where id = ${request.requestId}`.execute(
      e.store.db,
    );
    await expectBroken(e, {
      promise: 'P13',
      table: 'rights_requests',
      row: request.requestId,
      rule: 'sealed.value_sealed',
    });
  });

  it('P13: an audit entry edited in place breaks the chain at that entry', async () => {
    const e = env();
    const { subjectId } = await buyer(e);
    await unsubscribe(e, subjectId);
    const seq = await e.ctx.audit.headSeq();
    await sql`update audit_log set reason = 'nothing happened' where seq = ${seq}`.execute(e.store.db);
    const f = await expectBroken(e, {
      promise: 'P13',
      table: 'audit_log',
      row: String(seq),
      rule: 'audit.chain_intact',
    });
    assert.match(f.reason, /changed after it was written/);
    await rehashFrom(e, seq);
  });

  it('P13: entries removed after the last anchor, the head set back: the ledger outlives them', async () => {
    const e = env();
    const { subjectId } = await buyer(e);
    await check(e);
    const anchored = await e.ctx.audit.anchor('job');
    await unsubscribe(e, subjectId);
    await sql`delete from audit_log where seq > ${anchored.seq}`.execute(e.store.db);
    await setHead(e, anchored.seq, anchored.hash);
    const f = await expectBroken(e, {
      promise: 'P13',
      table: 'consent_events',
      rule: 'audit.covers_ledger',
      subject: subjectId,
    });
    assert.equal(f.values.event, 'unsubscribed');
  });

  it('P13: a chain re-hashed from an edited entry disagrees with the anchors kept outside the database', async () => {
    const e = env();
    const { subjectId } = await buyer(e);
    await unsubscribe(e, subjectId);
    await check(e); // verifies the head and keeps it as an anchor outside the database
    const kept = (await e.ctx.audit.keptAnchors()).anchors.at(-1)!;
    assert.equal(kept.by, 'monitor');
    const target = kept.seq - 1;
    await sql`update audit_log set reason = 'rewritten afterwards' where seq = ${target}`.execute(e.store.db);
    await rehashFrom(e, target);
    assert.equal((await e.ctx.audit.verify()).ok, false, 'vow audit verify sees it too');
    const f = await expectBroken(e, {
      promise: 'P13',
      table: 'audit_log',
      row: String(kept.seq),
      rule: 'audit.anchor_matches',
    });
    assert.match(f.reason, /rewritten/);
  });

  it('P13: a trail shorter than the anchor file says (restored from an older copy), and a forged anchor', async () => {
    const e = env();
    const { subjectId } = await buyer(e);
    await unsubscribe(e, subjectId);
    const head = await e.ctx.audit.anchor('job');
    await sql`delete from audit_log where seq = ${head.seq}`.execute(e.store.db);
    const prev = await lastEntry(e);
    await setHead(e, Number(prev.seq), prev.hash);
    await sql`delete from audit_anchors where seq = ${head.seq}`.execute(e.store.db);
    const f = await expectBroken(e, {
      promise: 'P13',
      table: 'audit_log',
      row: String(head.seq),
      rule: 'audit.anchor_matches',
    });
    assert.equal(f.values.trail_ends_at, Number(prev.seq));
    // An anchor written into the database only (it looks right: the entry's own hash).
    const other = await buyer(e);
    await unsubscribe(e, other.subjectId);
    const fresh = await lastEntry(e);
    await e.store.db
      .insertInto('audit_anchors')
      .values({ seq: Number(fresh.seq), hash: fresh.hash, at: e.ctx.clock.now().toISOString() })
      .execute();
    const forged = await expectBroken(e, {
      promise: 'P13',
      table: 'audit_log',
      row: String(fresh.seq),
      rule: 'audit.anchor_matches',
    });
    assert.match(forged.reason, /forged/);
  });
});
