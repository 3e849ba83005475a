// The policy's retention enforced (P3, P4, P22): time passes on the injected clock, the promise
// monitor sees what has outlived its period, the daily enforcement erases it (every copy the walker
// and the erasure registry reach), and the monitor then finds nothing; data still within its period,
// and people still active, stay.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql } from 'kysely';
import { catalogBody, orderBody, post } from '../collection/fixtures.js';
import type { TestEnv } from '../helpers/env.js';
import { describeEachDialect } from '../helpers/env.js';
import { check, contestant, correspondent, findings, tag, withGift } from '../promises/support.js';

const DAY = 86_400_000;

async function identifiersOf(e: TestEnv, subjectId: string): Promise<string[]> {
  const rows = await e.store.db
    .selectFrom('subject_identifiers')
    .select('kind')
    .where('subject_id', '=', subjectId)
    .execute();
  return rows.map((r) => r.kind).sort();
}

async function retentionFindings(e: TestEnv, subject?: string) {
  await check(e);
  const all = await findings(e, { rule: 'retention.kept_too_long' });
  return subject ? all.filter((f) => f.values.subject === subject) : all;
}

describeEachDialect('retention enforced', (env) => {
  it('P3: a gift recipient’s contact is erased a year after the order; the buyer’s stays', async () => {
    const e = env();
    const { buyerId, giftId } = await withGift(e);
    const buyerBefore = await identifiersOf(e, buyerId);
    assert.ok((await identifiersOf(e, giftId)).length > 0);

    e.clock.advance(364 * DAY);
    assert.equal((await e.services.retention.enforcer.enforce()).people, 0, 'nothing is due within the year');
    assert.ok((await identifiersOf(e, giftId)).length > 0);

    e.clock.advance(2 * DAY);
    const due = await retentionFindings(e, giftId);
    assert.ok(due.length > 0 && due.every((f) => f.promise === 'P3'), 'the monitor sees P3 broken');
    const dry = await e.services.retention.enforcer.enforce({ dryRun: true });
    assert.equal(dry.people, 1);
    assert.ok(dry.personChanges > 0);
    assert.ok((await identifiersOf(e, giftId)).length > 0, 'a dry run changes nothing');

    const done = await e.services.retention.enforcer.enforce();
    assert.equal(done.people, 1);
    assert.deepEqual(await identifiersOf(e, giftId), []);
    const exported = await e.services.datasets.export({ subjectIds: [giftId] });
    assert.deepEqual(
      exported.values.filter((v) => v.category.startsWith('contact')).map((v) => `${v.table}.${v.column}`),
      [],
      'no copy of the recipient’s contact is left',
    );
    assert.deepEqual(await identifiersOf(e, buyerId), buyerBefore, 'the buyer keeps theirs');
    assert.deepEqual(await retentionFindings(e, giftId), [], 'the monitor finds nothing left');
    assert.equal((await e.services.retention.enforcer.enforce()).people, 0, 'a second run finds nothing');
    const audit = await e.store.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'retention.enforced')
      .execute();
    assert.equal(audit.length, 1, 'one audit entry, counts only');
  });

  it('P4 and P22: a correspondent after two years, a marketing contact inactive three years, a catalog request’s interests after three', async () => {
    const e = env();
    // The suite shares one store and clock: times are counted from now, people checked one by one.
    const t0 = e.clock.now().getTime();
    const mail = await correspondent(e);
    const quiet = await contestant(e);
    const t = tag('cat');
    const cat = await post(e, '/v1/catalog-requests', catalogBody(t));
    assert.equal(cat.statusCode, 201, cat.body);
    const catalog = JSON.parse(cat.body) as { subjectId: string; id: string };

    // Two years and a day on: the correspondent's return address goes, nothing else yet.
    e.clock.advance(2 * 366 * DAY);
    // The catalog requester is active: an order with the same email (a new record, a new activity).
    const order = await post(
      e,
      '/v1/orders',
      orderBody(t, { buyer: { ...(orderBody(t).buyer as object), email: `cara.catalog${t}@example.com` } }),
    );
    assert.equal(order.statusCode, 201, order.body);
    await e.services.retention.enforcer.enforce();
    assert.deepEqual(await identifiersOf(e, mail.subjectId), [], 'the correspondent’s address is gone');
    assert.ok((await identifiersOf(e, catalog.subjectId)).length > 0);
    assert.ok((await identifiersOf(e, quiet.subjectId)).length > 0);

    // Three years and a day after collection: the contestant, inactive since, is erased whole; the
    // catalog request's interests and demographics go; the active requester keeps their contact.
    e.clock.set(new Date(t0 + (3 * 365 + 2) * DAY));
    const r = await e.services.retention.enforcer.enforce();
    assert.ok(r.people >= 1 && r.valuesCleared + r.rowsDeleted > 0);
    assert.deepEqual(await identifiersOf(e, quiet.subjectId), []);
    assert.equal(
      await e.services.subjects.findByEmail(quiet.email),
      undefined,
      'the inactive contact can no longer be found by email',
    );
    assert.ok(
      (await identifiersOf(e, catalog.subjectId)).length > 0,
      'the active person keeps their contact',
    );
    const row = await sql<
      Record<string, unknown>
    >`select * from catalog_requests where id = ${catalog.id}`.execute(e.store.db);
    assert.equal(row.rows.length, 1, 'the request stays: it still holds the active person’s contact');
    for (const column of [
      'relationship_status',
      'jewelry_types',
      'budget',
      'age_range',
      'residence_type',
      'gender',
    ])
      assert.ok(
        [null, '[deleted]', '[]'].includes(row.rows[0]?.[column] as string | null),
        `catalog_requests.${column} is masked or nulled (${String(row.rows[0]?.[column])})`,
      );
    assert.deepEqual(await retentionFindings(e), [], 'the monitor finds nothing left');
  });
});
