// Named statements on PostgreSQL: the bulk inserts (insertRows', InsertSet's) are parsed and planned
// once a connection, under a name the pool gives their text; VOW_DATABASE_PREPARE=off (the store's
// namedStatements: false) runs them unnamed, for a pooler that cannot follow prepared statements.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Kysely, sql } from 'kysely';
import {
  type Database,
  InsertSet,
  insertRows,
  MAX_NAMED,
  nameStatement,
  openStore,
  type Store,
  statementName,
} from '../../src/platform/store/index.js';
import { createTestStore, testDialects } from '../helpers/env.js';

const postgres = testDialects().includes('postgres');
const at = '2026-01-01T00:00:00.000Z';
const lookup = (n: number) => ({
  kind: 'email',
  blind_index: `bi-${n}`,
  subject_id: `s-${n}`,
  created_at: at,
});

/** The statements the connection running `work` holds, with its own writes rolled back. */
async function preparedAfter(store: Store, work: (trx: Kysely<Database>) => Promise<void>) {
  let held: { name: string; statement: string }[] = [];
  await store.db
    .transaction()
    .execute(async (trx) => {
      // Three times: the `pg` driver sends a named statement for parsing only the first time.
      for (let n = 0; n < 3; n++) await work(trx);
      held = (
        await sql<{
          name: string;
          statement: string;
        }>`select name, statement from pg_prepared_statements`.execute(trx)
      ).rows;
      throw new Error('rolled back');
    })
    .catch((err: Error) => {
      if (err.message !== 'rolled back') throw err;
    });
  return held;
}

describe('named statements [postgres]', { skip: !postgres && 'PostgreSQL not tested' }, () => {
  let made: Awaited<ReturnType<typeof createTestStore>>;
  let unnamed: Store;
  before(async () => {
    made = await createTestStore('postgres', { migrated: true });
    unnamed = await openStore({ databaseUrl: made.url!, poolSize: 1, namedStatements: false });
  });
  after(async () => {
    await unnamed?.close();
    await made?.drop();
  });

  it('runs the bulk inserts under a name, each parsed once a connection', async () => {
    let round = 0;
    const held = await preparedAfter(made.store, async (trx) => {
      round++;
      await insertRows(trx, 'postgres', 'subject_lookup', [lookup(round)]);
      const set = new InsertSet(trx, 'postgres');
      set.add('subjects', [{ id: `p-${round}`, created_at: at, updated_at: at, under13: 0 }]);
      set.add('subject_lookup', [lookup(100 + round)], { returning: ['blind_index'] });
      await set.flush();
    });
    const ours = held.filter((h) => h.name.startsWith('vow_'));
    assert.equal(ours.length, 2, JSON.stringify(held));
    assert.ok(ours.some((h) => /^insert into "subject_lookup"/.test(h.statement)));
    assert.ok(ours.some((h) => /^with "p0" as \(insert into "subjects"/.test(h.statement)));
    for (const h of ours) assert.equal(statementName(h.statement), h.name);
  });

  it('runs them unnamed when the store is opened without named statements', async () => {
    let round = 0;
    const held = await preparedAfter(unnamed, async (trx) => {
      round++;
      await insertRows(trx, 'postgres', 'subject_lookup', [lookup(round)]);
    });
    assert.deepEqual(held, []);
  });

  it('names at most MAX_NAMED texts a process; the rest run unnamed', () => {
    for (let n = 0; n <= MAX_NAMED; n++) nameStatement(`select ${n} as filler`);
    assert.equal(statementName(`select ${MAX_NAMED} as filler`), undefined);
    const text = 'select 1 as never_named';
    nameStatement(text);
    assert.equal(statementName(text), undefined);
  });
});
