// A batch of collections learns which of its people hold an identifier on the suppression list:
// the people it creates before they are written (on PostgreSQL with the statement that writes
// them: consent's SuppressionsAhead), from the identifiers the batch brings; the people found
// again after their consent lock, from every identifier they hold. A returning person whose
// suppressed address is not in this collection still goes through the one-by-one rules: ticking
// the catalog box again lifts the suppression for that channel (P11), as a collection sent alone
// does.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { orderSchema } from '../../src/modules/collection/index.js';
import { describeEachDialect } from '../helpers/env.js';
import { orderBody } from './fixtures.js';

describeEachDialect('the suppression list in a batch of collections', (env) => {
  const registration = (email: string, catalog: boolean) => ({
    type: 'registration' as const,
    body: { account_id: 'acc-suppressed', name: 'Ann Account', email, catalog_opt_in: catalog } as never,
  });

  it("lifts a returning person's suppression found by an address they already hold, not by this collection's", async () => {
    const { services, ctx, store } = env();
    const first = await services.collection.collectBatch([registration('old.address@example.com', false)]);
    const person = first.results[0]!.body.subjectId;
    const old = ctx.vault.blindIndex('email', 'old.address@example.com');
    await services.consent.suppressIdentifier(undefined, {
      indexKind: 'email',
      blindIndex: old,
      reason: 'test',
    });
    // Found again by the account id, with another address; an order of someone else beside it.
    const again = await services.collection.collectBatch([
      registration('new.address@example.com', true),
      { type: 'order', body: orderSchema.parse(orderBody('suppressed-batch')) },
    ]);
    assert.equal(again.results[0]!.body.subjectId, person, 'the same person, found by the account id');
    const granted = await store.db
      .selectFrom('consent_events')
      .select(['event', 'details'])
      .where('subject_ref', '=', person)
      .where('channel', '=', 'account_updates')
      .execute();
    assert.deepEqual(
      granted.map((e) => [
        e.event,
        (JSON.parse(e.details) as { liftedSuppression?: boolean }).liftedSuppression,
      ]),
      [['consented', true]],
    );
    const entries = await store.db
      .selectFrom('suppression_list')
      .select('channel')
      .where('blind_index', '=', old)
      .execute();
    const channels = entries.map((e) => e.channel);
    assert.ok(!channels.includes('*') && !channels.includes('account_updates'), channels.join(','));
    assert.ok(channels.includes('email_marketing'), 'the other channels stay suppressed');
  });
});
