// The demo generator writes through the collection endpoints' own code: the rows of a generated
// batch are exactly the rows the endpoints write when the same bodies are POSTed one by one at the
// same times, apart from row ids, record and person ids and the random bytes of sealed values.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateDemo } from '../../src/cli/demo/generator.js';
import type { BatchCollected, Submission } from '../../src/modules/collection/index.js';
import {
  catalogRequestSchema,
  contestEntrySchema,
  orderSchema,
  registrationSchema,
  smsSignupSchema,
} from '../../src/modules/collection/index.js';
import { createTestEnv, describeEachDialect, type TestEnv } from '../helpers/env.js';

const URLS: Record<Submission['type'], string> = {
  order: '/v1/orders',
  registration: '/v1/registrations',
  contest_entry: '/v1/contest-entries',
  catalog_request: '/v1/catalog-requests',
  sms_signup: '/v1/sms-signups',
  inbound_message: '/v1/inbound-messages',
};

/** The tables a collection writes, each with the columns sealed under the person of another column. */
const TABLES: Record<string, Record<string, string>> = {
  subjects: {},
  subject_lookup: {},
  subject_identifiers: { sealed_value: 'subject_id' },
  subject_records: {},
  orders: { buyer_sealed: 'buyer_subject_id', gift_sealed: 'gift_subject_id' },
  registrations: { sealed: 'subject_id' },
  contest_entries: { sealed: 'subject_id' },
  catalog_requests: { sealed: 'subject_id' },
  sms_signups: {},
  inbound_messages: { sealed: 'subject_id' },
  consent_events: {},
  consent_state: {},
  // When an entry was written and its chain hashes depend on the clock, not on the collection.
  audit_log: { seq: '', at: '', prev_hash: '', hash: '' },
};

/** Labels for the ids each answer names, so two stores compare: record k, person first seen at k. */
function labels(results: BatchCollected['results']): Map<string, string> {
  const out = new Map<string, string>();
  results.forEach((r, k) => {
    out.set(r.body.id, `record#${k}`);
    for (const s of [r.body.subjectId, r.body.giftRecipientSubjectId])
      if (s && !out.has(s)) out.set(s, `person#${k}${s === r.body.subjectId ? '' : '-gift'}`);
  });
  return out;
}

/**
 * Every row of the collection tables: sealed values opened, ids (people, records, consent events)
 * replaced by labels, row ids left out.
 */
async function snapshot(env: TestEnv, subjects: Map<string, string>): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  // A consent change's audit entry names its ledger event (81183a7): label each event by what it is.
  const names = new Map(subjects);
  const events = await env.store.db
    .selectFrom('consent_events')
    .select(['id', 'subject_ref', 'channel', 'event', 'at'])
    .execute();
  for (const e of events)
    names.set(e.id, `event#${subjects.get(e.subject_ref) ?? e.subject_ref}/${e.channel}/${e.event}/${e.at}`);
  const relabel = (text: string) => {
    let t = text;
    for (const [id, label] of names) t = t.replaceAll(id, label);
    return t;
  };
  for (const [table, special] of Object.entries(TABLES)) {
    const rows = await env.store.db
      // biome-ignore lint/suspicious/noExplicitAny: every table of the list, whatever its type
      .selectFrom(table as any)
      .selectAll()
      .execute();
    const shown: string[] = [];
    for (const row of rows as Record<string, unknown>[]) {
      const copy: Record<string, unknown> = {};
      for (const [column, value] of Object.entries(row)) {
        if (column === 'id' && table !== 'subjects') continue;
        if (Object.hasOwn(special, column)) {
          const owner = special[column]!;
          if (owner === '') continue;
          copy[column] =
            value === null ? null : await env.ctx.vault.decrypt(String(row[owner]), String(value));
        } else copy[column] = typeof value === 'bigint' ? Number(value) : value;
      }
      shown.push(relabel(JSON.stringify(copy)));
    }
    out[table] = shown.sort();
  }
  return out;
}

describeEachDialect('the demo generator writes what the endpoints write', (env) => {
  test('a generated batch equals the same bodies POSTed one by one at the same times', async () => {
    const generated = env();
    const collection = generated.services.collection;
    const real = collection.collectBatch.bind(collection);
    let first: { submissions: readonly Submission[]; result: BatchCollected } | undefined;
    let generatedRows: Record<string, string[]> | undefined;
    let batches = 0;
    const schemas = {
      order: orderSchema,
      registration: registrationSchema(generated.ctx.policy),
      contest_entry: contestEntrySchema,
      catalog_request: catalogRequestSchema(generated.ctx.policy),
      sms_signup: smsSignupSchema,
    } as const;
    // Every body the generator sends passes its endpoint's schema (the batch API takes validated bodies).
    collection.collectBatch = async (submissions) => {
      for (const s of submissions) {
        assert.notEqual(s.type, 'inbound_message');
        if (s.type !== 'inbound_message') schemas[s.type].parse(s.body);
      }
      batches++;
      const result = await real(submissions);
      if (!first) {
        first = { submissions, result };
        // Right after the batch, before the generator's unsubscribes and STOPs.
        generatedRows = await snapshot(generated, labels(result.results));
      }
      return result;
    };
    try {
      await generateDemo(generated.ctx, generated.services, {
        people: 80,
        seed: 21,
        batchSize: 80,
        visitorsPerPerson: 0,
        experimentVisitors: 0,
        openRequests: 0,
      });
      assert.ok(first && generatedRows && batches >= 1);
    } finally {
      collection.collectBatch = real;
    }
    const types = new Set(first.submissions.map((s) => s.type));
    for (const t of ['order', 'registration', 'contest_entry', 'catalog_request', 'sms_signup'] as const)
      assert.ok(types.has(t), `the batch holds a ${t}`);
    assert.ok(
      first.submissions.some((s) => s.type === 'order' && s.body.gift_recipient),
      'the batch holds a gift',
    );

    const posted = await createTestEnv(generated.dialect);
    try {
      const answers: BatchCollected['results'][number][] = [];
      for (const s of first.submissions) {
        posted.clock.set(s.collectedAt!);
        const res = await posted.app.inject({ method: 'POST', url: URLS[s.type], payload: s.body });
        assert.equal(res.statusCode, 201, res.body);
        answers.push({ status: 201, body: res.json() });
      }
      const postedRows = await snapshot(posted, labels(answers));
      for (const table of Object.keys(TABLES))
        assert.deepEqual(generatedRows[table], postedRows[table], table);
      assert.ok(postedRows.orders!.length > 0 && postedRows.consent_events!.length > 0);
    } finally {
      await posted.close();
    }
  });
});
