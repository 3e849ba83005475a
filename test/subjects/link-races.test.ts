// linkMany, phase two of resolution for a batch: what changed between the look-up (prepareAll,
// outside the transaction) and the writes is found, and the batch is resolved again (ResolutionRace)
// instead of linking records to the wrong person or claiming someone else's identifier.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ResolutionRace } from '../../src/modules/subjects/index.js';
import { describeEachDialect, type TestEnv } from '../helpers/env.js';

const link = (recordId: string) => ({
  subjectKind: 'contest_entrant',
  collectionPoint: 'contest_entry',
  recordType: 'contest_entry',
  recordId,
  fields: { email: { category: 'contact.email', purposes: ['marketing.email'] } },
  at: new Date('2026-06-01T00:00:00.000Z'),
});

function emailRequest(env: TestEnv, email: string) {
  return { identifiers: env.services.subjects.index([{ kind: 'email', field: 'email', value: email }]) };
}

describeEachDialect('linking a batch when the store changed meanwhile', (env) => {
  it('resolves again when the look-up that found a person now finds someone else', async () => {
    const { services, store } = env();
    const first = await services.collection.contestEntry({ email: 'moved.lookup@example.com' });
    const [prepared] = await services.subjects.prepareAll([emailRequest(env(), 'moved.lookup@example.com')]);
    assert.equal(prepared!.subjectId, first.body.subjectId, 'found again');
    // Another request moves the look-up (a correction gave the address to someone else).
    await store.db
      .updateTable('subject_lookup')
      .set({ subject_id: 'someone-else' })
      .where('subject_id', '=', first.body.subjectId)
      .execute();
    await assert.rejects(
      store.db
        .transaction()
        .execute((trx) => services.subjects.linkMany(trx, [{ prepared: prepared!, link: link('r1') }])),
      (err) => err instanceof ResolutionRace,
    );
  });

  it("resolves again when another request claimed a new person's identifier first", async () => {
    const { services, store } = env();
    const [prepared] = await services.subjects.prepareAll([emailRequest(env(), 'claimed.first@example.com')]);
    assert.equal(prepared!.isNew, true);
    await services.collection.contestEntry({ email: 'claimed.first@example.com' });
    await assert.rejects(
      store.db
        .transaction()
        .execute((trx) => services.subjects.linkMany(trx, [{ prepared: prepared!, link: link('r2') }])),
      (err) => err instanceof ResolutionRace,
    );
    const owners = await store.db
      .selectFrom('subject_lookup')
      .select('subject_id')
      .where('blind_index', '=', prepared!.identifiers[0]!.blindIndex)
      .execute();
    assert.equal(owners.length, 1, 'the identifier keeps its one owner');
    assert.notEqual(owners[0]!.subject_id, prepared!.subjectId);
  });
});
