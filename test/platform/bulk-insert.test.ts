// insertRows: the bulk write path's statements (multi-row VALUES on SQLite, one array per column on
// PostgreSQL), on a migrated store of each dialect.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { it } from 'node:test';
import { pgArrays } from '../../src/platform/store/bulk-insert.js';
import { insertRows } from '../../src/platform/store/index.js';
import { describeEachDialect } from '../helpers/env.js';

/** Text an array literal must quote or escape, and some it need not. */
const AWKWARD = [
  'a"b',
  'c\\d',
  '\\"',
  'e,f',
  '{g}',
  ' h ',
  'NULL',
  '',
  'ü-ß',
  'line\nbreak',
  'plain',
  'YmFzZTY0+/=',
];

const lookup = (n: number, subject = `s-${n}`) => ({
  kind: 'email',
  blind_index: `bi-${n}`,
  subject_id: subject,
  created_at: '2026-01-01T00:00:00.000Z',
});

describeEachDialect('insertRows', (env) => {
  it('writes any number of rows, every one with its own values, in a few statements', async () => {
    const { store } = env();
    // 1,000 rows: chunks of 256, 128, 64, 32, 16, 8 and 1 rows... on SQLite, one statement on PostgreSQL.
    const rows = Array.from({ length: 1000 }, (_, n) => lookup(n));
    const { inserted } = await store.db
      .transaction()
      .execute((trx) => insertRows(trx, store.dialect, 'subject_lookup', rows));
    assert.equal(inserted, 1000);
    const stored = await store.db.selectFrom('subject_lookup').selectAll().orderBy('blind_index').execute();
    assert.equal(stored.length, 1000);
    const byIndex = new Map(stored.map((r) => [r.blind_index, r.subject_id]));
    for (let n = 0; n < 1000; n++) assert.equal(byIndex.get(`bi-${n}`), `s-${n}`);
  });

  it('skips rows already there and returns only the rows it inserted', async () => {
    const { store } = env();
    const rows = [lookup(5, 'other'), lookup(2000), lookup(2001)];
    const { inserted, returned } = await store.db.transaction().execute((trx) =>
      insertRows(trx, store.dialect, 'subject_lookup', rows, {
        onConflictDoNothing: ['kind', 'blind_index'],
        returning: ['blind_index', 'subject_id'],
      }),
    );
    assert.equal(inserted, 2);
    assert.deepEqual(returned.map((r) => `${r.blind_index}=${r.subject_id}`).sort(), [
      'bi-2000=s-2000',
      'bi-2001=s-2001',
    ]);
    const kept = await store.db
      .selectFrom('subject_lookup')
      .select('subject_id')
      .where('blind_index', '=', 'bi-5')
      .executeTakeFirstOrThrow();
    assert.equal(kept.subject_id, 's-5', 'the first owner keeps the look-up');
  });

  it('moves a folded row only forward (onConflictUpdate with newerBy)', async () => {
    const { store } = env();
    const state = (ref: string, state: string, seq: number) => ({
      subject_ref: ref,
      channel: 'email_marketing',
      state,
      last_event: state === 'withdrawn' ? 'unsubscribed' : 'enrolled',
      last_seq: seq,
      updated_at: `2026-01-01T00:00:0${seq % 10}.000Z`,
    });
    const update = {
      onConflictUpdate: {
        columns: ['subject_ref', 'channel'],
        set: ['state', 'last_event', 'last_seq', 'updated_at'],
        newerBy: 'last_seq',
      },
    };
    const write = (rows: ReturnType<typeof state>[]) =>
      store.db.transaction().execute((trx) => insertRows(trx, store.dialect, 'consent_state', rows, update));
    await write([state('a', 'enrolled', 5), state('b', 'enrolled', 5)]);
    await write([state('a', 'withdrawn', 7), state('b', 'withdrawn', 3)]);
    const rows = await store.db
      .selectFrom('consent_state')
      .select(['subject_ref', 'state', 'last_seq'])
      .where('subject_ref', 'in', ['a', 'b'])
      .orderBy('subject_ref')
      .execute();
    assert.deepEqual(
      rows.map((r) => [r.subject_ref, r.state, Number(r.last_seq)]),
      [
        ['a', 'withdrawn', 7],
        ['b', 'enrolled', 5],
      ],
    );
  });

  it('stores text with quotes, backslashes, commas, braces and spaces exactly as given', async () => {
    const { store } = env();
    const rows = AWKWARD.map((v, n) => ({ ...lookup(4000 + n), blind_index: `awk:${v}`, subject_id: v }));
    await store.db.transaction().execute((trx) => insertRows(trx, store.dialect, 'subject_lookup', rows));
    const stored = await store.db
      .selectFrom('subject_lookup')
      .select(['blind_index', 'subject_id'])
      .where('blind_index', 'like', 'awk:%')
      .execute();
    assert.deepEqual(
      stored.map((r) => [r.blind_index, r.subject_id]).sort(),
      AWKWARD.map((v) => [`awk:${v}`, v]).sort(),
    );
  });

  it("writes a group commit's rows in as few statements as their count has binary digits set", async () => {
    const { store } = env();
    // A group of 31 orders writes 31 rows in several tables: 16 + 8 + 4 + 2 + 1 on SQLite, five
    // statements (seven with sizes 256, 64, 16, 4, 1: 16 + 4 + 4 + 4 + 1 + 1 + 1).
    let statements = 0;
    const rows = Array.from({ length: 31 }, (_, n) => lookup(7000 + n));
    await store.db.transaction().execute(async (trx) => {
      const counting = new Proxy(trx, {
        get(target, name) {
          const v = Reflect.get(target, name, target);
          if (name === 'executeQuery')
            return (...args: Parameters<typeof target.executeQuery>) => {
              if (/^insert/i.test((args[0] as { sql?: string }).sql ?? '')) statements++;
              return target.executeQuery(...args);
            };
          return typeof v === 'function' ? v.bind(target) : v;
        },
      });
      const { inserted } = await insertRows(counting, store.dialect, 'subject_lookup', rows);
      assert.equal(inserted, 31);
    });
    assert.equal(statements, store.dialect === 'sqlite' ? 5 : 1);
    const stored = await store.db
      .selectFrom('subject_lookup')
      .select(['blind_index', 'subject_id'])
      .where(
        'blind_index',
        'in',
        rows.map((r) => r.blind_index),
      )
      .execute();
    assert.deepEqual(stored.map((r) => r.subject_id).sort(), rows.map((r) => r.subject_id).sort());
  });

  it('refuses rows whose columns differ, and writes none of them', async () => {
    const { store } = env();
    const before = await store.db.selectFrom('subject_lookup').select('blind_index').execute();
    await assert.rejects(
      insertRows(store.db, store.dialect, 'subject_lookup', [lookup(3000), { ...lookup(3001), extra: 1 }]),
      /same columns/,
    );
    // A column missing, or the same columns in another order, anywhere in the rows.
    const { created_at: _c, ...missing } = lookup(3003);
    const reordered = { blind_index: 'bi-3005', kind: 'email', subject_id: 's-3005', created_at: 'x' };
    for (const odd of [missing, reordered])
      await assert.rejects(
        insertRows(store.db, store.dialect, 'subject_lookup', [lookup(3002), lookup(3004), odd]),
        /same columns/,
      );
    const after = await store.db.selectFrom('subject_lookup').select('blind_index').execute();
    assert.equal(after.length, before.length);
  });
});

it("pgArrays: each column's array literal is the text the pg driver would make of the array", () => {
  const { prepareValue } = createRequire(import.meta.url)('pg/lib/utils.js') as {
    prepareValue: (v: unknown) => unknown;
  };
  const rows = AWKWARD.map((text, n) => ({
    text,
    plain: `v-${n}`,
    sometimes: n % 3 === 0 ? null : AWKWARD[(n + 5) % AWKWARD.length],
    count: n % 4 === 0 ? undefined : n * 1.5 - 3,
    big: BigInt(n) * 10n ** 15n,
    bytes: Buffer.from([n, 255 - n]),
  }));
  const columns = ['text', 'plain', 'sometimes', 'count', 'big', 'bytes'];
  const sent = pgArrays(columns, rows).map((column) => prepareValue(column));
  const driver = columns.map((c) =>
    prepareValue(rows.map((r) => r[c as keyof (typeof rows)[number]] ?? null)),
  );
  assert.deepEqual(sent, driver);
  // Text and numbers go as their literal already; a bytea column as the array the driver writes.
  assert.deepEqual(
    pgArrays(columns, rows).map((column) => typeof column),
    ['string', 'string', 'string', 'string', 'string', 'object'],
  );
  assert.deepEqual(pgArrays(['text'], []), ['{}']);
});
