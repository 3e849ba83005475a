// InsertSet's large plain inserts go by COPY FROM STDIN on PostgreSQL (pg-copy.ts): the rows come
// back exactly as given, whatever characters COPY's text format escapes; small inserts and inserts
// with a conflict clause or a returning list stay in the shared statement; a row COPY refuses fails
// the transaction and keeps nothing. SQLite writes the same rows as before.
import assert from 'node:assert/strict';
import { beforeEach, it } from 'node:test';
import type pg from 'pg';
import { COPY_MIN_ROWS, InsertSet } from '../../src/platform/store/insert-set.js';
import { copyText } from '../../src/platform/store/pg-copy.js';
import { pgDriver } from '../../src/platform/store/pg-driver.js';
import { describeEachDialect } from '../helpers/env.js';

const at = '2026-01-01T00:00:00.000Z';
/** Every character COPY's text format escapes, its null marker and end marker as text, and more. */
const AWKWARD = ['a\\b', 'tab\there', 'line\nbreak', 'cr\rhere', '\\N', '\\.', '', 'é ✓ 𝄞', '"quoted", {x}'];

const record = (n: number, fields = AWKWARD[n % AWKWARD.length]!) => ({
  id: `r-${String(n).padStart(5, '0')}`,
  subject_id: `s-${n % 7}`,
  subject_kind: 'buyer',
  collection_point: 'checkout',
  record_type: 'order',
  record_id: `o-${n}`,
  fields,
  policy_version: '1',
  collected_at: at,
});

/**
 * The statements the `pg` clients of this process run from now on: COPYs (a stream submitted) as
 * `copy ...`, others by their text's first word. Undone by `stop`.
 */
function watchStatements(): { seen: string[]; stop: () => void } {
  const seen: string[] = [];
  const proto = pgDriver().Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: pg.Client, ...args: unknown[]) {
    const [first] = args;
    const text = typeof first === 'string' ? first : ((first as { text?: string } | undefined)?.text ?? '');
    seen.push(text.trimStart().toLowerCase());
    return original.apply(this, args);
  };
  return {
    seen,
    stop: () => {
      proto.query = original;
    },
  };
}

describeEachDialect('InsertSet by COPY', (env) => {
  beforeEach(async () => {
    await env().store.db.deleteFrom('subject_records').execute();
  });

  it('writes a large plain insert with COPY on PostgreSQL; every value comes back as given', async () => {
    const { store } = env();
    const rows = Array.from({ length: COPY_MIN_ROWS + 17 }, (_, n) => record(n));
    const watch = watchStatements();
    let inserted = 0;
    try {
      await store.db.transaction().execute(async (trx) => {
        const set = new InsertSet(trx, store.dialect);
        set.add('subject_records', rows, {}, (r) => {
          inserted = r.inserted;
        });
        await set.flush();
      });
    } finally {
      watch.stop();
    }
    assert.equal(inserted, rows.length);
    if (store.dialect === 'postgres')
      assert.deepEqual(
        watch.seen.filter((s) => s.startsWith('copy') || s.includes('subject_records')),
        [
          'copy "subject_records" ("id", "subject_id", "subject_kind", "collection_point", "record_type", "record_id", "fields", "policy_version", "collected_at") from stdin',
        ],
      );
    const back = await store.db.selectFrom('subject_records').selectAll().orderBy('id').execute();
    assert.deepEqual(
      back.map((r) => [r.id, r.subject_id, r.fields, r.record_id]),
      rows.map((r) => [r.id, r.subject_id, r.fields, r.record_id]),
    );
  });

  it('keeps small inserts, and any with a conflict clause or a returning list, in the shared statement', async () => {
    const { store } = env();
    const few = Array.from({ length: COPY_MIN_ROWS - 1 }, (_, n) => record(n));
    const many = Array.from({ length: COPY_MIN_ROWS }, (_, n) => record(1000 + n));
    const more = Array.from({ length: COPY_MIN_ROWS }, (_, n) => record(2000 + n));
    const watch = watchStatements();
    try {
      await store.db.transaction().execute(async (trx) => {
        const set = new InsertSet(trx, store.dialect);
        set.add('subject_records', few);
        set.add('subject_records', many, { onConflictDoNothing: ['id'] });
        set.add('subject_records', more, { returning: ['id'] });
        await set.flush();
      });
    } finally {
      watch.stop();
    }
    assert.equal(watch.seen.filter((s) => s.startsWith('copy')).length, 0);
    const { n } = await store.db
      .selectFrom('subject_records')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(n), few.length + many.length + more.length);
  });

  it('writes the inserts around a COPY in the order added: a later conflict clause sees its rows', async () => {
    const { store } = env();
    const rows = Array.from({ length: COPY_MIN_ROWS }, (_, n) => record(n));
    let skipped = -1;
    await store.db.transaction().execute(async (trx) => {
      const set = new InsertSet(trx, store.dialect);
      set.add('subject_records', rows);
      set.add(
        'subject_records',
        [record(3, 'again'), record(99_999)],
        { onConflictDoNothing: ['id'] },
        (r) => {
          skipped = 2 - r.inserted;
        },
      );
      await set.flush();
    });
    assert.equal(skipped, 1, 'the row the COPY wrote is there for the next insert');
    const kept = await store.db
      .selectFrom('subject_records')
      .select('fields')
      .where('id', '=', record(3).id)
      .executeTakeFirstOrThrow();
    assert.equal(kept.fields, record(3).fields);
  });

  it('fails the transaction on a row the table refuses (a primary key twice) and keeps nothing', async () => {
    const { store } = env();
    const rows = Array.from({ length: COPY_MIN_ROWS }, (_, n) => record(n));
    rows.push(record(5));
    await assert.rejects(
      store.db.transaction().execute(async (trx) => {
        const set = new InsertSet(trx, store.dialect);
        set.add('subject_records', rows);
        await set.flush();
      }),
      (err: Error & { code?: string }) => /unique|primary key/i.test(`${err.message} ${err.code}`),
    );
    const { n } = await store.db
      .selectFrom('subject_records')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(n), 0);
    // The connection is usable again afterwards.
    await store.db.transaction().execute(async (trx) => {
      const set = new InsertSet(trx, store.dialect);
      set.add('subject_records', rows.slice(0, -1));
      await set.flush();
    });
  });
});

it("copyText: COPY's text format, as the driver would send each value", () => {
  const rows = [
    {
      a: 'plain',
      b: null,
      c: 3,
      d: 12n,
      e: true,
      f: Buffer.from([0, 255]),
      g: new Date(at),
      h: { k: 'v\n' },
    },
    { a: 'x\\y\tz\r\n', b: '', c: -1.5, d: 0n, e: false, f: null, g: null, h: [1] },
  ];
  assert.equal(
    copyText(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'], rows).text,
    'plain\t\\N\t3\t12\tt\t\\\\x00ff\t2026-01-01T00:00:00.000Z\t{"k":"v\\\\n"}\n' +
      'x\\\\y\\tz\\r\\n\t\t-1.5\t0\tf\t\\N\t\\N\t[1]\n',
  );
});

it('copyText: the rows as UTF-8 bytes, however long the lines after the first', () => {
  // The first line sizes the buffer: longer and non-ASCII lines after it make it grow.
  const values = ['a', 'é', '名前', '😀 x\ty', 'z'.repeat(5_000), 'ß'.repeat(3_000), '', 'Ann'];
  const rows = Array.from({ length: 400 }, (_, n) => ({ v: values[n % values.length]!, n }));
  const copied = copyText(['v', 'n'], rows);
  assert.ok(Buffer.isBuffer(copied.bytes));
  const expected = rows.map((r) => `${r.v.replace('\t', '\\t')}\t${r.n}\n`).join('');
  assert.deepEqual(copied.bytes, Buffer.from(expected, 'utf8'));
  assert.equal(copied.text, expected);
  assert.equal(copyText(['v'], []).bytes.length, 0);
});
