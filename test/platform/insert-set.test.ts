// InsertSet: inserts gathered in a transaction and written together, in one statement on
// PostgreSQL (one data-modifying common table expression each), one after another on SQLite, with
// each insert's result handed back in order.
import assert from 'node:assert/strict';
import { beforeEach, it } from 'node:test';
import type { Kysely, Transaction } from 'kysely';
import {
  type Database,
  type DialectName,
  type InsertResult,
  InsertSet,
  shiftParameters,
} from '../../src/platform/store/index.js';
import { describeEachDialect } from '../helpers/env.js';

const at = '2026-01-01T00:00:00.000Z';
const lookup = (n: number, subject = `s-${n}`) => ({
  kind: 'email',
  blind_index: `bi-${n}`,
  subject_id: subject,
  created_at: at,
});
const subject = (id: string) => ({ id, created_at: at, updated_at: at, under13: 0 });

/** The transaction, with the statements run through it counted. */
function counted(trx: Transaction<Database>): { db: Transaction<Database>; statements: () => number } {
  let n = 0;
  const db = new Proxy(trx, {
    get(target, name) {
      if (name === 'executeQuery')
        return (...args: Parameters<Kysely<Database>['executeQuery']>) => {
          n++;
          return target.executeQuery(...args);
        };
      const value = Reflect.get(target, name, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { db, statements: () => n };
}

/**
 * The transaction counted (see `counted`) once the two tables' column types are read (once a
 * process on PostgreSQL) and a person "warm" holds look-up bi-999.
 */
async function warmed(trx: Transaction<Database>, dialect: DialectName) {
  const warm = new InsertSet(trx, dialect);
  warm.add('subjects', [subject('warm')]);
  warm.add('subject_lookup', [lookup(999, 'warm')]);
  await warm.flush();
  return counted(trx);
}

describeEachDialect('InsertSet', (env) => {
  // One store for the file: each test starts from no people.
  beforeEach(async () => {
    const { store } = env();
    await store.db.deleteFrom('subject_lookup').execute();
    await store.db.deleteFrom('subjects').execute();
  });

  it('writes inserts into several tables together and hands each its result, in order', async () => {
    const { store } = env();
    const order: string[] = [];
    const results: InsertResult[] = [];
    const statements = await store.db.transaction().execute(async (trx) => {
      const { db, statements } = await warmed(trx, store.dialect);
      const set = new InsertSet(db, store.dialect);
      set.add('subjects', [subject('a'), subject('b')], { onConflictDoNothing: ['id'] }, (r) => {
        order.push('subjects');
        results.push(r);
      });
      set.add(
        'subject_lookup',
        [lookup(1, 'a'), lookup(2, 'b'), lookup(999, 'a')],
        { onConflictDoNothing: ['kind', 'blind_index'], returning: ['blind_index', 'subject_id'] },
        (r) => {
          order.push('subject_lookup');
          results.push(r);
        },
      );
      assert.equal(set.pending, 2);
      await set.flush();
      assert.equal(set.pending, 0);
      return statements();
    });
    assert.deepEqual(order, ['subjects', 'subject_lookup']);
    // (SQLite takes a few statements an insert, as insertRows writes it.)
    if (store.dialect === 'postgres') assert.equal(statements, 1, 'one statement on PostgreSQL');
    assert.equal(results[0]!.inserted, 2);
    assert.deepEqual(results[0]!.returned, []);
    assert.equal(results[1]!.inserted, 2, 'the look-up already held is skipped');
    assert.deepEqual(results[1]!.returned.map((r) => `${r.blind_index}=${r.subject_id}`).sort(), [
      'bi-1=a',
      'bi-2=b',
    ]);
    const held = await store.db.selectFrom('subject_lookup').select(['blind_index', 'subject_id']).execute();
    assert.deepEqual(held.map((r) => `${r.blind_index}=${r.subject_id}`).sort(), [
      'bi-1=a',
      'bi-2=b',
      'bi-999=warm',
    ]);
  });

  it('starts a new statement where a table comes again, so its inserts run in the order added', async () => {
    const { store } = env();
    const statements = await store.db.transaction().execute(async (trx) => {
      const { db, statements } = await warmed(trx, store.dialect);
      const set = new InsertSet(db, store.dialect);
      set.add('subjects', [subject('first'), subject('second')]);
      set.add('subject_lookup', [lookup(1, 'first')], { onConflictDoNothing: ['kind', 'blind_index'] });
      set.add('subject_lookup', [lookup(1, 'second'), lookup(2, 'second')], {
        onConflictDoNothing: ['kind', 'blind_index'],
      });
      await set.flush();
      return statements();
    });
    if (store.dialect === 'postgres') assert.equal(statements, 2);
    const held = await store.db
      .selectFrom('subject_lookup')
      .select(['blind_index', 'subject_id'])
      .orderBy('blind_index')
      .execute();
    assert.deepEqual(
      held.map((r) => `${r.blind_index}=${r.subject_id}`),
      ['bi-1=first', 'bi-2=second', 'bi-999=warm'],
      'the look-up added first is the one kept',
    );
  });

  it('fails the flush, and so the transaction, when a check on a result throws', async () => {
    const { store } = env();
    await assert.rejects(
      store.db.transaction().execute(async (trx) => {
        const set = new InsertSet(trx, store.dialect);
        set.add('subjects', [subject('gone')]);
        set.add('subject_lookup', [lookup(7, 'gone')], { returning: ['blind_index'] }, ({ returned }) => {
          assert.equal(returned.length, 1);
          throw new Error('lost a race');
        });
        await set.flush();
      }),
      /lost a race/,
    );
    assert.equal((await store.db.selectFrom('subjects').select('id').execute()).length, 0, 'nothing kept');
    assert.equal((await store.db.selectFrom('subject_lookup').select('kind').execute()).length, 0);
  });

  it('hands an insert of no rows an empty result without a statement, and refuses mixed rows at once', async () => {
    const { store } = env();
    await store.db.transaction().execute(async (trx) => {
      const { db, statements } = counted(trx);
      const set = new InsertSet(db, store.dialect);
      let got: InsertResult | undefined;
      set.add('subject_lookup', [], { returning: ['kind'] }, (r) => {
        got = r;
      });
      await set.flush();
      assert.deepEqual(got, { inserted: 0, returned: [] });
      assert.equal(statements(), 0);
      assert.throws(
        () => set.add('subjects', [subject('x'), { id: 'y', created_at: at }]),
        /every row needs the same columns in the same order/,
      );
      assert.equal(set.pending, 0, 'the refused insert is not kept');
    });
  });

  it('writes an insert larger than one statement takes on its own, whole', async () => {
    const { store } = env();
    const many = Array.from({ length: 5_200 }, (_, n) => lookup(n, 'many'));
    await store.db.transaction().execute(async (trx) => {
      const set = new InsertSet(trx, store.dialect);
      let inserted = 0;
      set.add('subjects', [subject('many')]);
      set.add('subject_lookup', many, {}, (r) => {
        inserted = r.inserted;
      });
      await set.flush();
      assert.equal(inserted, 5_200);
    });
    const { n } = await store.db
      .selectFrom('subject_lookup')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(n), 5_200);
  });

  it('sends its reads with its first statement, on the snapshot before its inserts, and hands their rows first', async () => {
    const { store } = env();
    const order: string[] = [];
    let seen: string[] = [];
    let second: string[] = [];
    const statements = await store.db.transaction().execute(async (trx) => {
      const { db, statements } = await warmed(trx, store.dialect);
      const set = new InsertSet(db, store.dialect);
      set.read(
        db
          .selectFrom('subject_lookup')
          .select(['blind_index', 'subject_id'])
          .where('blind_index', 'in', ['bi-999', 'bi-1']),
        (rows) => {
          order.push('read');
          seen = rows.map((r) => `${r.blind_index}=${r.subject_id}`);
        },
      );
      // A second read: its parameters are numbered after the first one's.
      const locked = db.selectFrom('subjects').select('id').where('id', '=', 'warm');
      set.read(store.dialect === 'postgres' ? locked.forUpdate() : locked, (rows) => {
        second = rows.map((r) => r.id);
      });
      set.add('subjects', [subject('a')], {}, () => order.push('subjects'));
      set.add('subject_lookup', [lookup(1, 'a')], {}, () => order.push('subject_lookup'));
      assert.equal(set.pending, 4);
      await set.flush();
      assert.equal(set.pending, 0);
      return statements();
    });
    if (store.dialect === 'postgres') assert.equal(statements, 1, 'one statement on PostgreSQL');
    assert.deepEqual(order, ['read', 'subjects', 'subject_lookup']);
    assert.deepEqual(seen, ['bi-999=warm'], 'the read sees none of the inserts sent with it');
    assert.deepEqual(second, ['warm']);
  });

  it('sends reads without inserts as a statement of their own, and fails the flush when their check throws', async () => {
    const { store } = env();
    await assert.rejects(
      store.db.transaction().execute(async (trx) => {
        const { db, statements } = counted(trx);
        const set = new InsertSet(db, store.dialect);
        set.read(db.selectFrom('subjects').select('id'), (rows) => {
          assert.deepEqual(rows, []);
          throw new Error('marked');
        });
        set.add('subject_lookup', [], {});
        await set.flush().finally(() => assert.equal(statements(), 1));
      }),
      /marked/,
    );
  });

  it('sends its reads alone before an insert written on its own (larger than one statement takes)', async () => {
    const { store } = env();
    const many = Array.from({ length: 5_200 }, (_, n) => lookup(n, 'many'));
    let seen = -1;
    let inserted = 0;
    await store.db.transaction().execute(async (trx) => {
      const set = new InsertSet(trx, store.dialect);
      set.read(trx.selectFrom('subject_lookup').select('kind'), (rows) => {
        seen = rows.length;
      });
      // A conflict clause: not by COPY, so by insertRows, PG_ROWS rows a statement.
      set.add('subject_lookup', many, { onConflictDoNothing: ['kind', 'blind_index'] }, (r) => {
        inserted = r.inserted;
      });
      await set.flush();
    });
    assert.equal(seen, 0, 'read before the insert');
    assert.equal(inserted, 5_200);
  });

  it("numbers a read's parameters after those before it, leaving quoted text alone", () => {
    assert.equal(
      shiftParameters(`select "a$1" from t where x = $1 and y = '$2''s' and z = any($12::text[])`, 3),
      `select "a$1" from t where x = $4 and y = '$2''s' and z = any($15::text[])`,
    );
    assert.equal(shiftParameters('select $1', 0), 'select $1');
  });
});
