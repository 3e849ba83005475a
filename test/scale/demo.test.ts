// The demo generator: N people, consistent with what the services would have written, realistic
// in shape, reproducible from its seed, and a shop that keeps every promise.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import {
  DEMO_EXPERIMENT_ID,
  DemoSeedUsed,
  type DemoStats,
  generateDemo,
} from '../../src/cli/demo/generator.js';
import { main } from '../../src/cli/main.js';
import { formatResults } from '../../src/modules/promises/index.js';
import { addDays } from '../../src/modules/rights/index.js';
import { openStore } from '../../src/platform/store/index.js';
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
    assert.equal(await count(env(), 'rights_requests'), stats.openRequests + stats.answeredRequests);
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
    assert.equal(stats.openRequests, 4);
    assert.equal(stats.answeredRequests, 4);
  });

  test('keeps every promise: the promise monitor (`vow promises check`) finds nothing broken', async () => {
    const results = await env().services.promises.monitor.check();
    const broken = results.filter((r) => r.status === 'broken');
    assert.deepEqual(
      broken.map((r) => r.promise),
      [],
      formatResults(results),
    );
    for (const p of ['P20', 'P22', 'P23', 'P24'])
      assert.equal(results.find((r) => r.promise === p)?.status, 'kept', p);
  });

  test('its privacy requests happened at their own time: answered on time, open ones within their deadline', async () => {
    const { ctx, services } = env();
    const today = ctx.clock.now().toISOString().slice(0, 10);
    const all = await services.rights.queue({ includeClosed: true });
    const answered = all.filter((r) => r.status === 'completed');
    const open = all.filter((r) => r.status !== 'completed');
    assert.deepEqual(answered.map((r) => r.type).sort(), ['access', 'deletion', 'objection', 'portability']);
    for (const r of answered) {
      assert.ok(r.receivedOn <= addDays(today, -50), `${r.type} received ${r.receivedOn}`);
      assert.ok(r.respondedAt && r.respondedAt.slice(0, 10) <= r.dueOn, `${r.type} answered on time`);
      assert.equal(r.verificationMethod, 'email_code');
      assert.ok(r.verifiedAt && r.verifiedAt < r.respondedAt);
    }
    // Each open request waits for staff, due within a week, its CCPA acknowledgement sent in time.
    assert.deepEqual(open.map((r) => r.status).sort(), [
      'awaiting_agent_confirmation',
      'awaiting_approval',
      'awaiting_verification',
      'awaiting_verification',
    ]);
    for (const r of open) {
      assert.ok(!r.overdue && r.daysLeft >= 0 && r.daysLeft <= 7, `${r.type} due ${r.dueOn}`);
      if (r.law === 'ccpa') {
        assert.ok(r.acknowledgedAt, `${r.channel} ${r.type} acknowledged`);
        assert.ok(r.acknowledgedAt.slice(0, 10) <= r.ackDueOn!, `${r.type} acknowledged by ${r.ackDueOn}`);
      }
    }
    assert.deepEqual(open.map((r) => r.channel).sort(), ['email', 'email', 'postal', 'web']);
    // The answered deletion really deleted the person: their data key is gone.
    const deletion = answered.find((r) => r.type === 'deletion')!;
    const key = await ctx.store.db
      .selectFrom('data_keys')
      .select('wrapped_key')
      .where('subject_id', '=', deletion.subjectId!)
      .executeTakeFirstOrThrow();
    assert.equal(key.wrapped_key, null);
    // Nothing of the history is left waiting in the store's job queue: its mail went out then.
    const pending = await ctx.store.db
      .selectFrom('jobs')
      .select('name')
      .where('name', 'in', ['rights.fulfil', 'mail.deliver'])
      .where('status', '!=', 'done')
      .execute();
    assert.deepEqual(pending, []);
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

test('vow demo --people fills the configured store, reports people per second, and vow promises check passes on it', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vow-demo-test-'));
  const saved = { dir: process.env.VOW_DATA_DIR, level: process.env.VOW_LOG_LEVEL };
  process.env.VOW_DATA_DIR = dir;
  process.env.VOW_LOG_LEVEL = 'silent';
  const out: string[] = [];
  try {
    const code = await main(['node', 'vow', 'demo', '--people', '200', '--seed', '5'], {
      out: (t) => out.push(t),
      err: () => {},
    });
    assert.equal(code, 0);
    assert.match(out.join('\n'), /200 people in [\d.]+ s \(\d[\d,]* people\/s\)/);
    assert.match(
      out.join('\n'),
      /data subject requests: \d+ answered on time, \d+ open within their deadline/,
    );
    assert.ok(readFileSync(path.join(dir, 'vow.sqlite')).length > 0);
    const check: string[] = [];
    const checked = await main(['node', 'vow', 'promises', 'check'], {
      out: (t) => check.push(t),
      err: (t) => check.push(t),
    });
    assert.equal(checked, 0, check.join('\n'));
    assert.doesNotMatch(check.join('\n'), /broken/);
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

test('vow demo keeps keys random: two data folders made from the same seed share no blind index', async () => {
  const dirs = [0, 1].map(() => mkdtempSync(path.join(tmpdir(), 'vow-demo-keys-')));
  const saved = { dir: process.env.VOW_DATA_DIR, level: process.env.VOW_LOG_LEVEL };
  process.env.VOW_LOG_LEVEL = 'silent';
  try {
    const indexes: string[][] = [];
    const names: string[][] = [];
    for (const dir of dirs) {
      process.env.VOW_DATA_DIR = dir;
      const code = await main(['node', 'vow', 'demo', '--people', '40', '--seed', '3'], {
        out: () => {},
        err: () => {},
      });
      assert.equal(code, 0);
      const store = await openStore({ dataDir: dir });
      try {
        const rows = await store.db
          .selectFrom('subject_lookup')
          .select('blind_index')
          .where('kind', '=', 'email')
          .orderBy('blind_index')
          .execute();
        indexes.push(rows.map((r) => r.blind_index));
        const subjects = await store.db.selectFrom('subjects').select('id').orderBy('id').execute();
        names.push(subjects.map((r) => r.id));
      } finally {
        await store.close();
      }
    }
    assert.ok(indexes[0]!.length > 0);
    assert.deepEqual(names[0], names[1], 'the same seed gives the same people (ids)');
    const shared = indexes[0]!.filter((x) => indexes[1]!.includes(x));
    assert.deepEqual(shared, [], 'the same emails, under different keys');
  } finally {
    if (saved.dir === undefined) delete process.env.VOW_DATA_DIR;
    else process.env.VOW_DATA_DIR = saved.dir;
    if (saved.level === undefined) delete process.env.VOW_LOG_LEVEL;
    else process.env.VOW_LOG_LEVEL = saved.level;
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
});

describeEachDialect('the demo layout experiment', (env) => {
  test('has results: visits after the exposures, pre-exposure visits for CUPED', async () => {
    const { ctx, services } = env();
    const stats = await generateDemo(ctx, services, {
      people: 300,
      seed: 21,
      batchSize: 150,
      experimentVisitors: 150,
      openRequests: 0,
      answeredRequests: 0,
    });
    assert.equal(stats.experimentExposures, 150);
    const experiment = await services.experiments.get(DEMO_EXPERIMENT_ID);
    assert.ok(experiment.createdAt < ctx.clock.now().toISOString(), 'it started weeks ago');
    assert.ok(experiment.plan && experiment.plan.sampleSize.total > 0, 'with its plan');
    const results = await services.experiments.results(DEMO_EXPERIMENT_ID);
    assert.equal(results.status, 'ready', results.message);
    for (const v of results.variants)
      assert.equal(v.visitorsWithVisits, v.visitors, 'everyone came after exposure');
    const duration = results.comparisons.find((c) => c.metric === 'visit_duration_ms');
    assert.ok(duration?.sequential, 'visit duration is compared');
    assert.ok(duration.cuped && duration.cuped.preExposureShare > 0.5, 'most visitors came before, too');
  });
});
