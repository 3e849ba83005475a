// How many statements a batch of orders costs on PostgreSQL, where each is a round trip: the people's
// keys, people, look-ups, identifiers, links and orders go in ONE statement (InsertSet), and so do
// the consent states, the audit entries and the audit head's move; its reads take their lists of
// values as arrays; people the batch creates are neither locked nor read for consent states. A
// change that adds a round trip to every collection shows here first.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { orderSchema } from '../../src/modules/collection/index.js';
import { pgDriver } from '../../src/platform/store/index.js';
import { createTestEnv, type TestEnv, testDialects } from '../helpers/env.js';
import { orderBody } from './fixtures.js';

const postgres = testDialects().includes('postgres');

describe('the statements of a batch of orders [postgres]', {
  skip: !postgres && 'PostgreSQL not tested',
}, () => {
  let env: TestEnv & { close: () => Promise<void> };
  before(async () => {
    env = await createTestEnv('postgres');
  });
  after(async () => {
    await env?.close();
  });

  const batch = (tag: string, email = tag) =>
    Array.from({ length: 10 }, (_, n) => ({
      type: 'order' as const,
      body: orderSchema.parse(
        orderBody(`${tag}-${n}`, { buyer: { ...orderBody(0).buyer, email: `b.${email}.${n}@example.com` } }),
      ),
    }));

  /** The statements one collectBatch sends, by text. */
  async function statementsOf(submissions: ReturnType<typeof batch>) {
    const texts: string[] = [];
    const Client = pgDriver().Client.prototype as unknown as { query: (...a: unknown[]) => unknown };
    const query = Client.query;
    Client.query = function (this: unknown, ...args: unknown[]) {
      const first = args[0];
      texts.push(typeof first === 'string' ? first : String((first as { text?: string }).text));
      return query.apply(this, args);
    };
    let results: Awaited<ReturnType<typeof env.services.collection.collectBatch>>['results'];
    try {
      ({ results } = await env.services.collection.collectBatch(submissions));
    } finally {
      Client.query = query;
    }
    return { texts, results };
  }

  it('writes ten orders of new people in eleven statements, two of them all the inserts', async () => {
    // The first batch reads each table's column types, once a process.
    await env.services.collection.collectBatch(batch('warm'));
    const { texts, results } = await statementsOf(batch('counted'));
    assert.deepEqual(
      results.map((r) => r.status),
      Array(10).fill(201),
    );
    const inserts = texts.filter((t) => /^(with "p0" as \()?insert/i.test(t));
    const together = texts.filter((t) => t.startsWith('with "p0" as ('));
    assert.equal(together.length, 2, texts.join('\n'));
    assert.match(
      together[0]!,
      /"data_keys".*"subjects".*"subject_lookup".*"subject_identifiers".*"subject_records".*"orders"/s,
    );
    assert.match(together[1]!, /"consent_state".*"audit_log".*"audit_head"/s);
    // The other insert is the consent events', whose sequence numbers the states are written from.
    assert.equal(inserts.length, 3, inserts.join('\n'));
    // People this transaction created are neither locked nor read for their consent states.
    assert.ok(!texts.some((t) => /pg_advisory_xact_lock|from "consent_state"/.test(t)), texts.join('\n'));
    assert.equal(texts.length, 11, texts.join('\n'));
    // The reads by the batch's values (orders, markers, look-ups, suppressions) take each list
    // as one array: the same text for 10 orders or 1,000 (src/platform/store/value-lists.ts).
    const lists = texts.filter((t) => /\bin \(\$/.test(t));
    assert.deepEqual(lists, [], lists.join('\n'));
    assert.ok(texts.filter((t) => t.includes('= any($')).length >= 4, texts.join('\n'));
  });

  it('still locks and reads the consent states of returning buyers', async () => {
    const { texts, results } = await statementsOf(batch('again', 'warm'));
    assert.deepEqual(
      results.map((r) => r.status),
      Array(10).fill(201),
    );
    assert.equal(texts.filter((t) => t.includes('pg_advisory_xact_lock')).length, 1, texts.join('\n'));
    assert.equal(texts.filter((t) => /from "consent_state"/.test(t)).length, 1, texts.join('\n'));
  });
});
