import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Insertable } from 'kysely';
import { appendConsentEvent } from '../../src/consent/ledger.js';
import type { Database } from '../../src/store/schema.js';
import { describeEachDialect } from '../helpers/env.js';

// More people than one page (500): the export walks every page, in order, each person once.
describeEachDialect('a large audience', (env) => {
  it('streams every member across pages, each once, decrypting each address', async () => {
    const { ctx, store } = env();
    const n = 1234;
    const at = ctx.clock.now().toISOString();
    const ids: string[] = [];
    for (let i = 0; i < n; i++) ids.push(ctx.random.uuid());
    const identifiers: Insertable<Database['subject_identifiers']>[] = [];
    for (const [i, id] of ids.entries()) {
      const email = `p${i}@example.com`;
      identifiers.push({
        id: ctx.random.uuid(),
        subject_id: id,
        kind: 'email',
        blind_index: ctx.vault.blindIndex('email', email),
        sealed_value: await ctx.vault.encrypt(id, email),
        field: 'email',
        subject_kind: 'contestant',
        collection_point: 'contest_entry',
        record_type: 'contest_entry',
        record_id: `r-${i}`,
        policy_version: ctx.policy.version,
        collected_at: at,
      });
    }
    await store.db.transaction().execute(async (trx) => {
      for (let i = 0; i < n; i += 200) {
        await trx
          .insertInto('subjects')
          .values(ids.slice(i, i + 200).map((id) => ({ id, created_at: at, updated_at: at, under13: 0 })))
          .execute();
        await trx
          .insertInto('subject_identifiers')
          .values(identifiers.slice(i, i + 200))
          .execute();
      }
      for (const id of ids) {
        await appendConsentEvent(trx, ctx.random, {
          subjectRef: id,
          channel: 'email_marketing',
          event: 'enrolled',
          cause: { type: 'collection_point', ref: 'contest_entry' },
          at: ctx.clock.now(),
          policyVersion: ctx.policy.version,
        });
      }
    });
    const res = await env().app.inject({ method: 'GET', url: '/v1/audiences/email_marketing?format=csv' });
    assert.equal(res.statusCode, 200);
    const rows = res.body.trim().split('\r\n').slice(1);
    assert.equal(rows.length, n);
    const emails = new Set(rows.map((r) => r.split(',')[1]));
    assert.equal(emails.size, n);
    assert.ok(emails.has('p0@example.com') && emails.has(`p${n - 1}@example.com`));
    const subjects = rows.map((r) => r.split(',')[0]!);
    assert.deepEqual(
      subjects,
      [...subjects].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    );
  });
});
