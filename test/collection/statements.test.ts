// How many statements a batch of orders costs on PostgreSQL, where each is a round trip: the people's
// keys, people, look-ups, identifiers, links and orders go in ONE statement (InsertSet) with the
// reads of the under-13 markers and of the suppression list and the identifiers' shared locks; the
// consent events with the audit head's lock and the suppression list read again; the consent states, the
// audit entries and the audit head's move with the webhook endpoints' read; its reads take their
// lists of values as arrays; people the batch creates are neither locked nor read for consent
// states; the orders already stored are read only when the insert meets one. A change that adds a
// round trip to every collection shows here first.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { orderSchema } from '../../src/modules/collection/index.js';
import { describeOnPostgres } from '../helpers/env.js';
import { pgStatements } from '../helpers/pg-statements.js';
import { orderBody } from './fixtures.js';

describeOnPostgres('the statements of a batch of orders', (env) => {
  const batch = (tag: string, email = tag) =>
    Array.from({ length: 10 }, (_, n) => ({
      type: 'order' as const,
      body: orderSchema.parse(
        orderBody(`${tag}-${n}`, { buyer: { ...orderBody(0).buyer, email: `b.${email}.${n}@example.com` } }),
      ),
    }));

  /** The statements one collectBatch sends, by text. */
  async function statementsOf(submissions: ReturnType<typeof batch>) {
    const { result, sent } = await pgStatements(() => env().services.collection.collectBatch(submissions));
    return { texts: sent.map((s) => s.text), results: result.results };
  }

  it('writes ten orders of new people in six statements, three of them all the writes and the reads inside', async () => {
    // The first batch reads each table's column types, once a process.
    await env().services.collection.collectBatch(batch('warm'));
    const { texts, results } = await statementsOf(batch('counted'));
    assert.deepEqual(
      results.map((r) => r.status),
      Array(10).fill(201),
    );
    const all = texts.join('\n');
    // The look-ups, then the transaction: BEGIN, the people-to-orders insert (with the reads of the
    // under-13 markers and of the suppression list, and the shared locks of the identifiers), the
    // consent events (with the audit head's lock and the suppression list read again, now that the
    // locks are held: consent/identifier-locks.ts), the states and audit entries (with the webhook
    // endpoints' read), COMMIT. No read of the orders already stored: a new order's insert finds
    // them (shop_order_id is unique).
    assert.equal(texts.length, 6, all);
    assert.match(texts[0]!, /^select .* from "subject_lookup"/, all);
    assert.equal(texts[1], 'begin', all);
    assert.match(
      texts[2]!,
      /^with "q0" as \(select .* from "under13_markers" .*\), "q1" as \(select count\(pg_advisory_xact_lock_shared\(c, o\)\).*\), "q2" as \(select distinct "index_kind", "blind_index" from "suppression_list" .*\), "p0" as \(insert into "data_keys".*"subjects".*"subject_lookup".*"subject_identifiers".*"subject_records".*"orders"/s,
      all,
    );
    assert.match(
      texts[3]!,
      /^with "q0" as \(select "seq", "hash" from "audit_head" where "id" = \$1 for update\), "q1" as \(select distinct "index_kind", "blind_index" from "suppression_list" .*\), "p0" as \(insert into "consent_events"/,
      all,
    );
    assert.match(
      texts[4]!,
      /^with "q0" as \(select .* from "webhook_endpoints" .*\), "p0" as \(insert into "consent_state".*"audit_log".*"audit_head"/s,
      all,
    );
    assert.equal(texts[5], 'commit', all);
    assert.ok(!texts.some((t) => /from "orders"/.test(t)), all);
    // People this transaction created are neither locked nor read for their consent states (their
    // identifiers' shared locks are taken with their rows, above).
    assert.ok(!texts.some((t) => /pg_advisory_xact_lock\(|from "consent_state"/.test(t)), all);
    // The reads by the batch's values (markers, look-ups, suppressions) take each list as one
    // array: the same text for 10 orders or 1,000 (src/platform/store/value-lists.ts).
    const lists = texts.filter((t) => /\bin \(\$/.test(t));
    assert.deepEqual(lists, [], lists.join('\n'));
    assert.ok(texts.filter((t) => t.includes('= any($')).length >= 2, all);
  });

  it('answers a batch holding stored orders as replays, reading them only after the insert met them', async () => {
    const stored = batch('stored');
    const kept = (await env().services.collection.collectBatch(stored)).results;
    const { texts, results } = await statementsOf([...stored.slice(0, 3), ...batch('fresh').slice(0, 2)]);
    assert.deepEqual(
      results.map((r) => r.status),
      [200, 200, 200, 201, 201],
    );
    assert.deepEqual(
      results.slice(0, 3).map((r) => r.body),
      kept.slice(0, 3).map((r) => r.body),
    );
    // The first attempt rolled back on the unique shop_order_id, then the stored orders were read.
    assert.equal(texts.filter((t) => t === 'rollback').length, 1, texts.join('\n'));
    assert.ok(
      texts.some((t) => /from "orders" where "shop_order_id" = any/.test(t)),
      texts.join('\n'),
    );
    assert.equal(texts.filter((t) => t === 'commit').length, 1, texts.join('\n'));
  });

  it('still locks and reads the consent states of returning buyers', async () => {
    const { texts, results } = await statementsOf(batch('again', 'warm'));
    assert.deepEqual(
      results.map((r) => r.status),
      Array(10).fill(201),
    );
    assert.equal(texts.filter((t) => t.includes('pg_advisory_xact_lock(')).length, 1, texts.join('\n'));
    assert.equal(texts.filter((t) => /from "consent_state"/.test(t)).length, 1, texts.join('\n'));
    // Their suppressions are read after their lock, in a statement of its own: the batch's rows'
    // statement may have waited on one of them, on a snapshot taken before the wait
    // (test/collection/suppression-races.test.ts).
    assert.equal(
      texts.filter((t) =>
        /^select .*from "suppression_list" as "sl" inner join "subject_identifiers"/s.test(t),
      ).length,
      1,
      texts.join('\n'),
    );
  });
});
