// Named statements on PostgreSQL: the bulk inserts (insertRows', InsertSet's) are parsed and planned
// once a connection, under a name the pool gives their text; VOW_DATABASE_PREPARE=off (the store's
// namedStatements: false) runs them unnamed, for a pooler that cannot follow prepared statements.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import { type Kysely, sql } from 'kysely';
import type pg from 'pg';
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
import { namingClient } from '../../src/platform/store/named-statements.js';
import { createTestStore, testDialects } from '../helpers/env.js';

const postgres = testDialects().includes('postgres');
const { prepareValue: pgPrepareValue } = createRequire(import.meta.url)('pg/lib/utils.js') as {
  prepareValue: (v: unknown) => unknown;
};
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

describe("queries' array parameters", () => {
  // What the pool's client class hands the driver: the pg module with a Client that keeps it.
  function handedOver(values: unknown[]): unknown[] {
    let got: unknown[] = [];
    class Recording {
      query(_text: string, given: unknown[]) {
        got = given;
      }
    }
    const Client = namingClient({ Client: Recording } as unknown as typeof pg);
    new Client().query('select $1', values);
    return got;
  }

  it('reach the driver as the array literal it would write (text, numbers, nulls), the rest as given', () => {
    const awkward = [
      'plain',
      'with "quotes"',
      'back\\slash',
      'a,b',
      '{braces}',
      'NULL',
      'line\nbreak',
      'é😀',
      '',
    ];
    const buffers = [Buffer.from('ab'), null];
    const dates = [new Date(at)];
    const given = [awkward, [1, 2.5, -3, 10n, null], ['x', 'y'], [], 7, 'text', null, buffers, dates, [true]];
    const sent = handedOver(given);
    assert.equal(sent.length, given.length);
    for (const [n, value] of given.entries()) {
      assert.deepEqual(pgPrepareValue(sent[n]), pgPrepareValue(value), `parameter ${n}`);
      if (n < 4) assert.equal(typeof sent[n], 'string', `parameter ${n} is its literal`);
      else assert.equal(sent[n], value, `parameter ${n} as given`);
    }
  });

  it('[postgres] mean the same array to PostgreSQL', {
    skip: !postgres && 'PostgreSQL not tested',
  }, async () => {
    const made = await createTestStore('postgres', { migrated: false });
    try {
      const awkward = [
        'plain',
        'with "quotes"',
        'back\\slash',
        'a,b',
        '{braces}',
        'NULL',
        'line\nbreak',
        'é😀',
        '',
      ];
      const { rows } = await sql<{
        v: string | null;
      }>`select unnest(${[...awkward, null]}::text[]) as v`.execute(made.store.db);
      assert.deepEqual(
        rows.map((r) => r.v),
        [...awkward, null],
      );
      const numbers = await sql<{ n: number }>`select unnest(${[1, -2, 30]}::int4[]) as n`.execute(
        made.store.db,
      );
      assert.deepEqual(
        numbers.rows.map((r) => r.n),
        [1, -2, 30],
      );
    } finally {
      await made.drop();
    }
  });
});
