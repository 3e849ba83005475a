// A person's erasure and a password reset delete a target's limits with its rows per client address
// (`<target>@<client>`) by a range on attempt_counters' key, which its primary key's index answers
// (a `substr` test read every row), and which takes exactly the target's rows whatever collation the
// database was made with: migration 0790 makes the key compare bytes on PostgreSQL (SQLite's is
// BINARY). The keys below sort differently under a language's collation, where case comes last (ICU's
// en-US: `<target in lower case>@c` inside `<target>@`'s range) or punctuation weighs nothing at first
// (glibc's en_US: `<target>@zz` after `<target>A`).
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { CompiledQuery, type KyselyPlugin, type QueryId, type RootOperationNode, sql } from 'kysely';
import {
  AttemptLimiter,
  codeTarget,
  mailBudgetTarget,
  shopperLoginTarget,
} from '../../src/modules/identity/attempts.js';
import { identityMigrations } from '../../src/modules/identity/index.js';
import { migrationKit } from '../../src/platform/store/migration-kit.js';
import { orderBody, post } from '../collection/fixtures.js';
import { describeEachDialect, type TestEnv } from '../helpers/env.js';

/** The statements run through a database, captured to be explained afterwards. */
function capturing(e: TestEnv) {
  const seen: { node: RootOperationNode; queryId: QueryId }[] = [];
  const plugin: KyselyPlugin = {
    transformQuery: (args) => {
      seen.push(args);
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  return { db: e.store.db.withPlugin(plugin), seen };
}

/** The plan lines of each captured statement on attempt_counters. */
async function plans(e: TestEnv, seen: { node: RootOperationNode; queryId: QueryId }[]) {
  const out: { sql: string; plan: string }[] = [];
  for (const s of seen) {
    const q = e.store.db.getExecutor().compileQuery(s.node, s.queryId);
    if (!q.sql.includes('"attempt_counters"')) continue;
    const plan = await e.store.db.transaction().execute(async (trx) => {
      if (e.dialect === 'sqlite') {
        const r = await trx.executeQuery<{ detail: string }>(
          CompiledQuery.raw(`EXPLAIN QUERY PLAN ${q.sql}`, [...q.parameters]),
        );
        return r.rows.map((x) => x.detail).join(' | ');
      }
      // The few rows of a test would be read whole anyway: ask whether the index can answer.
      await sql`SET LOCAL enable_seqscan = off`.execute(trx);
      const r = await trx.executeQuery<{ 'QUERY PLAN': string }>(
        CompiledQuery.raw(`EXPLAIN ${q.sql}`, [...q.parameters]),
      );
      return r.rows.map((x) => x['QUERY PLAN']).join(' | ');
    });
    out.push({ sql: q.sql, plan });
  }
  return out;
}

/** Rows around `target`: its own (`mine`) and keys a language's collation would mix in (`others`). */
function around(target: string) {
  const lower = target.toLowerCase() === target ? target.toUpperCase() : target.toLowerCase();
  return {
    mine: [target, `${target}@client-1`, `${target}@zz`, `${target}@-`, `${target}@ZZ_9`, `${target}@`],
    others: [
      `${target}A`,
      `${target}-x`,
      `${target}_x@c`,
      `${target}a@b`,
      `${lower}@c`,
      `${target.slice(0, -1)}@x`,
    ],
  };
}

const row = (key: string, at: string) => ({
  key,
  failures: 1,
  window_started_at: at,
  locked_until: null,
  lockouts: 0,
});

describeEachDialect('deleting a target’s limits by a range on the key', (env) => {
  it('on PostgreSQL the key compares bytes after the migrations, even in a database made under a language’s collation', async () => {
    const e = env();
    if (e.dialect !== 'postgres') return;
    // The column as a database made with en-US would have it, then migration 0790.
    await sql`ALTER TABLE attempt_counters ALTER COLUMN key TYPE text COLLATE "en-US-x-icu"`.execute(
      e.store.db,
    );
    // Under en-US, case comes last: `x@c` (not the target `X`'s) falls in the range of `X@`.
    const { rows: check } = await sql<{ inside: boolean }>`
      SELECT ('x@c' COLLATE "en-US-x-icu") >= ('X@' COLLATE "en-US-x-icu")
         AND ('x@c' COLLATE "en-US-x-icu") < ('XA' COLLATE "en-US-x-icu") AS inside`.execute(e.store.db);
    assert.equal(check[0]?.inside, true, 'the keys below sort differently under en-US');
    const m0790 = identityMigrations['0790-attempt-keys-binary'];
    assert.ok(m0790, 'a migration makes the key compare bytes');
    await m0790.up(e.store.db, migrationKit('postgres'));
    const { rows } = await sql<{ collation: string | null }>`
      SELECT collation_name AS collation FROM information_schema.columns
      WHERE table_name = 'attempt_counters' AND column_name = 'key'`.execute(e.store.db);
    assert.equal(rows[0]?.collation, 'C');
  });

  it('a password reset (forgive) deletes exactly the target and its pairs, through the index', async () => {
    const e = env();
    const at = e.clock.now().toISOString();
    const target = shopperLoginTarget(e.ctx.vault.blindIndex('email', 'forgive.keys@example.com'));
    const { mine, others } = around(target);
    await e.store.db
      .insertInto('attempt_counters')
      .values([...mine, ...others].map((k) => row(k, at)))
      .execute();
    const { db, seen } = capturing(e);
    await new AttemptLimiter({ ...e.ctx, store: { ...e.ctx.store, db } }).forgive(target);
    const left = (await e.store.db.selectFrom('attempt_counters').select('key').execute()).map((r) => r.key);
    for (const k of mine) assert.ok(!left.includes(k), `${k} is the target’s`);
    for (const k of others) assert.ok(left.includes(k), `${k} is not the target’s`);
    const explained = await plans(e, seen);
    assert.equal(explained.length, 1);
    for (const p of explained)
      assert.doesNotMatch(p.plan, /SCAN attempt_counters|Seq Scan/, `${p.sql}\n${p.plan}`);
  });

  it('an erasure deletes exactly the person’s limits (and an old link to a mailbox’s budget), through the index', async () => {
    const e = env();
    const order = await post(e, '/v1/orders', orderBody('key-ranges'));
    assert.equal(order.statusCode, 201, order.body);
    const email = 'ann.buyerkey-ranges@example.com';
    const subjectId = await e.services.subjects.findByEmail(email);
    assert.ok(subjectId);
    const token = (v: string) => e.ctx.vault.blindIndex('token', v);
    const index = e.ctx.vault.blindIndex('email', email);
    const at = e.clock.now().toISOString();
    const mine: string[] = [];
    const others: string[] = [];
    for (const target of [shopperLoginTarget(index), codeTarget(token, index)]) {
      const keys = around(target);
      mine.push(...keys.mine);
      others.push(...keys.others);
    }
    // The mail budget: a link written before 0790 goes; the running budget and look-alikes stay.
    const budget = mailBudgetTarget(token, index);
    const mailbox = mailBudgetTarget(token, e.ctx.vault.blindIndex('email', 'someone@example.com'));
    mine.push(`${budget}@${mailbox}`);
    others.push(
      budget,
      mailbox,
      `${budget}A`,
      `${budget}-x@${mailbox}`,
      `${budget.toLowerCase()}@${mailbox}`,
    );
    await e.store.db
      .insertInto('attempt_counters')
      .values([...mine, ...others].map((k) => row(k, at)))
      .execute();
    const { db, seen } = capturing(e);
    await db
      .transaction()
      .execute((trx) => e.services.erasure.erase(trx, { subjectId, mode: 'delete', categories: 'all', at }));
    const left = (await e.store.db.selectFrom('attempt_counters').select('key').execute()).map((r) => r.key);
    for (const k of mine) assert.ok(!left.includes(k), `${k} is the person’s`);
    for (const k of others) assert.ok(left.includes(k), `${k} is not the person’s, or is a running budget`);
    const explained = await plans(e, seen);
    assert.ok(explained.length >= 3, explained.map((p) => p.sql).join('\n'));
    for (const p of explained)
      assert.doesNotMatch(p.plan, /SCAN attempt_counters|Seq Scan/, `${p.sql}\n${p.plan}`);
  });
});
