// An address put on the suppression list by one Vow process (an imported unsubscribe: the entry,
// then the people holding it taken off its channels) while another writes a batch that gives a
// person that address (PostgreSQL, two processes on one database). Each reads what the other has
// not committed: without an order between them, the batch reads the list on a snapshot without the
// entry and the withdrawal finds nobody holding the address, and the person is `enrolled` on a
// channel their address was withdrawn from (P11). The identifier's lock (consent/identifier-locks.ts)
// orders them: whichever comes second sees what the first committed.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { orderSchema } from '../../src/modules/collection/index.js';
import { recordImportedWithdrawal } from '../../src/modules/consent/index.js';
import { deferred } from '../helpers/deferred.js';
import { orderBody } from './fixtures.js';
import { describeOnProcesses, type Writer, waitUntilBlockedOnLock } from './processes.js';

describeOnProcesses(
  'an imported withdrawal while another process writes the address',
  [21, 22, 23],
  (writers) => {
    const [a, b, c] = writers as [Writer, Writer, Writer];

    const order = (tag: string, buyer: Record<string, unknown>) => ({
      type: 'order' as const,
      body: orderSchema.parse(orderBody(tag, { buyer: { ...orderBody(tag).buyer, ...buyer } })),
    });

    /**
     * Process `w` records an imported unsubscribe of `email` in a transaction of its own; with
     * `hold`, the transaction waits for it before committing (after `recorded`).
     */
    const withdraw = (w: Writer, email: string, recorded?: () => void, hold?: Promise<void>) =>
      w.store.db.transaction().execute(async (trx) => {
        const out = await recordImportedWithdrawal(w.ctx, w.services.consent, trx, {
          identifier: { kind: 'email', value: email },
          why: 'unsubscribed',
          evidence: { file: 'unsubscribes.csv', line: 2 },
        });
        recorded?.();
        await hold;
        return out;
      });

    /** The person's events on email_marketing, oldest first: [event, cause type, blockedBy]. */
    const emailEvents = async (subjectId: string) =>
      (
        await a.store.db
          .selectFrom('consent_events')
          .select(['event', 'cause_type', 'details'])
          .where('subject_ref', '=', subjectId)
          .where('channel', '=', 'email_marketing')
          .orderBy('seq')
          .execute()
      ).map((e) => [
        e.event,
        e.cause_type,
        (JSON.parse(e.details ?? '{}') as { blockedBy?: string }).blockedBy,
      ]);

    it('the withdrawal committed while the batch waited in its first statement: the batch reads the list again and does not enrol', async () => {
      // Process B withdraws the address and holds its transaction open: it has looked for the people
      // holding the address (none yet).
      const recorded = deferred();
      const held = deferred();
      const withdrawing = withdraw(b, 'wren.race@example.com', recorded.resolve, held.promise);
      await recorded.promise;
      // Process A: a checkout creating a person with that address. Its first statement's snapshot
      // is taken now, before B commits (today's code does not wait at all).
      const writing = a.services.collection.collectBatch([
        order('wd-new', { email: 'wren.race@example.com' }),
        order('wd-other', { email: 'other.buyer@example.com' }),
      ]);
      await waitUntilBlockedOnLock(a, 1, writing);
      held.resolve();
      assert.equal((await withdrawing).events, 0, 'nobody held the address when B looked');
      const { results } = await writing;
      assert.deepEqual(
        results.map((r) => r.status),
        [201, 201],
      );
      assert.deepEqual(
        await emailEvents(results[0]!.body.subjectId),
        [['withdrawn', 'request', 'suppression_list']],
        'the checkout does not enrol an address on the suppression list (P11)',
      );
      assert.deepEqual(await emailEvents(results[1]!.body.subjectId), [
        ['enrolled', 'collection_point', undefined],
      ]);
    });

    it("the withdrawal ran whole while the batch's first statement waited on another row: the person ends withdrawn", async () => {
      // Process C holds the row of a returning buyer (an upsert of the same person), so that A's
      // first statement, which writes that person too, waits on it after its snapshot is taken.
      const first = await a.services.collection.collectBatch([
        order('wd-returning-0', { email: 'rex.back@example.com' }),
      ]);
      const returning = first.results[0]!.body.subjectId;
      const rowsWritten = deferred();
      const released = deferred();
      const prepared = await c.services.collection.prepare([
        order('wd-returning-1', { email: 'rex.back@example.com' }),
      ]);
      const holding = c.services.collection.writePrepared(prepared, undefined, async () => {
        rowsWritten.resolve();
        await released.promise;
      });
      await rowsWritten.promise;
      const writing = a.services.collection.collectBatch([
        order('wd-returning-2', { email: 'rex.back@example.com' }),
        order('wd-new-2', { email: 'wynn.race@example.com' }),
      ]);
      await waitUntilBlockedOnLock(a);
      // B withdraws the address now: whole (today's code), or until A commits (it waits for the
      // address's lock, which A's first statement took before waiting on C).
      const withdrawing = withdraw(b, 'wynn.race@example.com');
      await waitUntilBlockedOnLock(a, 2, withdrawing);
      released.resolve();
      await holding;
      const { results } = await writing;
      await withdrawing;
      assert.equal(results[0]!.body.subjectId, returning);
      const person = results[1]!.body.subjectId;
      assert.equal(
        (await a.services.consent.states(person)).email_marketing,
        'withdrawn',
        'an address on the suppression list is not left enrolled (P11)',
      );
      const events = await emailEvents(person);
      assert.ok(
        !events.some((e) => e[0] === 'enrolled') || events.at(-1)![0] === 'unsubscribed',
        JSON.stringify(events),
      );
    });

    it('the batch gives a person found again a new address the other process withdraws meanwhile: not enrolled', async () => {
      // A person known by their phone only (an SMS signup): not on email_marketing.
      const phone = '(608) 555-0142';
      const signup = await a.services.collection.collectBatch([
        { type: 'sms_signup', body: { phone, consent_text: 'Texts from us' } as never },
      ]);
      const person = signup.results[0]!.body.subjectId;
      const recorded = deferred();
      const held = deferred();
      const withdrawing = withdraw(b, 'pia.new@example.com', recorded.resolve, held.promise);
      await recorded.promise;
      // Their checkout, found again by the phone, brings the withdrawn address.
      const writing = a.services.collection.collectBatch([
        order('wd-found', { email: 'pia.new@example.com', phone }),
      ]);
      await waitUntilBlockedOnLock(a, 1, writing);
      held.resolve();
      await withdrawing;
      const { results } = await writing;
      assert.equal(results[0]!.body.subjectId, person, 'found again by the phone');
      assert.deepEqual(
        await emailEvents(person),
        [['withdrawn', 'request', 'suppression_list']],
        'a person found again is not enrolled with an address on the suppression list (P11)',
      );
    });

    it('the batch committed first: the withdrawal finds the new person and takes them off the channel', async () => {
      const { results } = await a.services.collection.collectBatch([
        order('wd-before', { email: 'ned.first@example.com' }),
      ]);
      const person = results[0]!.body.subjectId;
      const out = await withdraw(b, 'ned.first@example.com');
      assert.ok(out.events >= 1);
      assert.deepEqual(await emailEvents(person), [
        ['enrolled', 'collection_point', undefined],
        ['unsubscribed', 'request', undefined],
      ]);
      assert.equal((await a.services.consent.states(person)).email_marketing, 'withdrawn');
    });
  },
);
