// The suppression list seen by a batch of collections when another Vow process writes the same
// person at the same moment (two contexts on one PostgreSQL database, as two processes). A batch
// reads the suppression list with the statement that writes its people (consent's
// SuppressionsAhead); that statement waits on the row of a returning person another transaction is
// writing, and its read is of the snapshot taken before the wait. What the other transaction gave
// the person (an address on the suppression list) must still count: the one-by-one rules (P11)
// then block the automatic enrolment, as when the two come one after the other.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { orderSchema } from '../../src/modules/collection/index.js';
import { deferred } from '../helpers/deferred.js';
import { orderBody } from './fixtures.js';
import { describeOnProcesses, type Writer, waitUntilBlockedOnLock } from './processes.js';

describeOnProcesses(
  'the suppression list while another process writes the same person',
  [11, 12],
  (writers) => {
    const [a, b] = writers as [Writer, Writer];

    const registration = (account: string, email: string) => ({
      type: 'registration' as const,
      body: { account_id: account, name: 'Rae Returning', email, catalog_opt_in: false } as never,
    });

    it("blocks an order's automatic enrolment of a person the other process gave a suppressed address meanwhile", async () => {
      // A returning account holder, and an address of theirs-to-be on the suppression list (kept
      // after a deletion, say).
      const first = await a.services.collection.collectBatch([
        registration('acc-race', 'rae.old@example.com'),
      ]);
      const person = first.results[0]!.body.subjectId;
      await a.services.consent.suppressIdentifier(undefined, {
        indexKind: 'email',
        blindIndex: a.ctx.vault.blindIndex('email', 'rae.suppressed@example.com'),
        reason: 'test',
      });
      // Process B: the person registers the suppressed address (found again by the account id); its
      // transaction holds the person's row once its rows are written, until released.
      const { promise: held, resolve: release } = deferred();
      const { promise: rowsWritten, resolve: written } = deferred();
      const prepared = await b.services.collection.prepare([
        registration('acc-race', 'rae.suppressed@example.com'),
      ]);
      const registering = b.services.collection.writePrepared(prepared, undefined, async () => {
        written();
        await held;
      });
      await rowsWritten;
      // Process A: an order of the same person (found by their old address) with others beside it;
      // its people's statement waits for B's row lock.
      const order = orderBody('race-returning', {
        buyer: { ...orderBody('race-returning').buyer, email: 'rae.old@example.com' },
      });
      const writing = a.services.collection.collectBatch([
        { type: 'order', body: orderSchema.parse(order) },
        { type: 'order', body: orderSchema.parse(orderBody('race-new')) },
      ]);
      await waitUntilBlockedOnLock(a);
      release();
      await registering;
      const { results } = await writing;
      assert.equal(results[0]!.body.subjectId, person, 'the same person, found by the old address');
      const events = await a.store.db
        .selectFrom('consent_events')
        .select(['event', 'details'])
        .where('subject_ref', '=', person)
        .where('channel', '=', 'email_marketing')
        .execute();
      assert.deepEqual(
        events.map((e) => [e.event, (JSON.parse(e.details) as { blockedBy?: string }).blockedBy]),
        [['withdrawn', 'suppression_list']],
        'the checkout does not enrol a person holding a suppressed address (P11)',
      );
    });
  },
);
