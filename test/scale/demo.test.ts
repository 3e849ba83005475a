// The demo generator: N people, consistent with what the services would have written, realistic
// in shape, and reproducible from its seed.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { main } from '../../src/cli/main.js';
import { DemoSeedUsed, type DemoStats, generateDemo } from '../../src/demo/generator.js';
import { createTestEnv, describeEachDialect } from '../helpers/env.js';

const PEOPLE = 300;

async function count(
  env: ReturnType<Parameters<Parameters<typeof describeEachDialect>[1]>[0]>,
  table:
    | 'subjects'
    | 'orders'
    | 'contest_entries'
    | 'catalog_requests'
    | 'sms_signups'
    | 'registrations'
    | 'analytics_events'
    | 'rights_requests',
) {
  const row = await env.store.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describeEachDialect('the demo generator', (env) => {
  let stats: DemoStats;

  test('makes exactly N people and the records it reports', async () => {
    stats = await generateDemo(env().ctx, env().services, {
      people: PEOPLE,
      seed: 11,
      batchSize: 150,
      experimentVisitors: 20,
    });
    assert.equal(stats.people, PEOPLE);
    assert.equal(await count(env(), 'subjects'), PEOPLE);
    assert.equal(await count(env(), 'orders'), stats.orders);
    assert.equal(await count(env(), 'contest_entries'), stats.contestEntries);
    assert.equal(await count(env(), 'catalog_requests'), stats.catalogRequests);
    assert.equal(await count(env(), 'sms_signups'), stats.smsSubscribers);
    assert.equal(await count(env(), 'registrations'), stats.registrations);
    assert.equal(await count(env(), 'analytics_events'), stats.events);
    assert.equal(await count(env(), 'rights_requests'), stats.openRequests);
    assert.ok(stats.peoplePerSecond > 0);
  });

  test('is shaped like a shop: skewed orders, 5-10% gift recipients, 10-20% unsubscribed', () => {
    assert.ok(stats.orders > stats.customers, 'some customers order more than once');
    const gifts = stats.giftRecipients / stats.people;
    assert.ok(gifts >= 0.03 && gifts <= 0.12, `gift recipients ${gifts}`);
    const unsub = stats.unsubscribed / stats.people;
    assert.ok(unsub >= 0.07 && unsub <= 0.22, `unsubscribed ${unsub}`);
    assert.ok(stats.contestEntries > 0 && stats.catalogRequests > 0 && stats.smsSubscribers > 0);
    assert.equal(stats.experimentExposures, 20);
    assert.ok(stats.openRequests >= 3);
  });

  test('the people are found again by email and their values decrypt', async () => {
    const { ctx, services } = env();
    const row = await ctx.store.db
      .selectFrom('subject_identifiers')
      .select(['subject_id', 'sealed_value'])
      .where('kind', '=', 'email')
      .where('field', '=', 'buyer.email')
      .executeTakeFirstOrThrow();
    assert.doesNotMatch(row.sealed_value, /@/, 'stored sealed, never in the clear');
    const email = await ctx.vault.decrypt(row.subject_id, row.sealed_value);
    assert.match(email!, /@example\.(com|org|net)$/);
    assert.equal(await services.subjects.findByEmail(email!), row.subject_id);
  });

  test('the consent rules ran: unsubscribed people are withdrawn and left out of the email audience', async () => {
    const { ctx, services } = env();
    const unsubscribed = await ctx.store.db
      .selectFrom('consent_events')
      .select('subject_ref')
      .where('event', '=', 'unsubscribed')
      .where('channel', '=', 'email_marketing')
      .execute();
    assert.ok(unsubscribed.length > 0);
    for (const u of unsubscribed.slice(0, 10)) {
      const states = await services.consent.states(u.subject_ref);
      assert.equal(states.email_marketing, 'withdrawn');
    }
    const enrolled = await ctx.store.db
      .selectFrom('consent_state')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('channel', '=', 'email_marketing')
      .where('state', '=', 'enrolled')
      .executeTakeFirstOrThrow();
    assert.ok(Number(enrolled.n) > 0);
    // Gift recipients are never enrolled (P3).
    const gift = await ctx.store.db
      .selectFrom('orders')
      .select('gift_subject_id')
      .where('gift_subject_id', 'is not', null)
      .executeTakeFirstOrThrow();
    const giftStates = await services.consent.states(gift.gift_subject_id!);
    assert.notEqual(giftStates.email_marketing, 'enrolled');
  });

  test('the same seed gives the same people; a store takes each seed once', async () => {
    const other = await createTestEnv(env().dialect);
    try {
      const again = await generateDemo(other.ctx, other.services, {
        people: PEOPLE,
        seed: 11,
        batchSize: 150,
        experimentVisitors: 20,
      });
      const { seconds: _a, peoplePerSecond: _b, ...first } = stats;
      const { seconds: _c, peoplePerSecond: _d, ...second } = again;
      assert.deepEqual(second, first);
      const idx = async (e: typeof other | ReturnType<typeof env>) =>
        (
          await e.store.db
            .selectFrom('subject_lookup')
            .select('blind_index')
            .where('kind', '=', 'email')
            .orderBy('blind_index')
            .execute()
        ).map((r) => r.blind_index);
      assert.deepEqual(await idx(other), await idx(env()));
      const differentSeed = await generateDemo(other.ctx, other.services, {
        people: 50,
        seed: 12,
        experimentVisitors: 0,
        openRequests: 0,
      });
      assert.equal(differentSeed.people, 50);
      await assert.rejects(
        generateDemo(other.ctx, other.services, { people: 10, seed: 11 }),
        (err: Error) => err instanceof DemoSeedUsed,
      );
    } finally {
      await other.close();
    }
  });
});

test('vow demo --people fills the configured store and reports people per second', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vow-demo-test-'));
  const saved = { dir: process.env.VOW_DATA_DIR, level: process.env.VOW_LOG_LEVEL };
  process.env.VOW_DATA_DIR = dir;
  process.env.VOW_LOG_LEVEL = 'silent';
  const out: string[] = [];
  try {
    const code = await main(['node', 'vow', 'demo', '--people', '60', '--seed', '5'], {
      out: (t) => out.push(t),
      err: () => {},
    });
    assert.equal(code, 0);
    assert.match(out.join('\n'), /60 people in [\d.]+ s \(\d[\d,]* people\/s\)/);
    assert.ok(readFileSync(path.join(dir, 'vow.sqlite')).length > 0);
    const bad = await main(['node', 'vow', 'demo', '--people', 'lots'], {
      out: () => {},
      err: (t) => out.push(t),
    });
    assert.equal(bad, 1);
    assert.match(out.join('\n'), /--people must be a whole number/);
  } finally {
    if (saved.dir === undefined) delete process.env.VOW_DATA_DIR;
    else process.env.VOW_DATA_DIR = saved.dir;
    if (saved.level === undefined) delete process.env.VOW_LOG_LEVEL;
    else process.env.VOW_LOG_LEVEL = saved.level;
    rmSync(dir, { recursive: true, force: true });
  }
});
