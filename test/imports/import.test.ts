// `vow import`'s service on every dialect: each format writes through the collection and consent
// modules, every fact keeps its source, refused rows are reported with their lines, a dry run writes
// nothing, a file imported twice changes nothing, and an imported unsubscribe is permanent (P11).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { it } from 'node:test';
import { describeEachDialect, type TestEnv } from '../helpers/env.js';
import { fixture } from './fixtures.js';

const run = (env: TestEnv, name: string, format: string, extra: { dryRun?: boolean } = {}) =>
  env.services.imports.run({ file: fixture(name), format, ...extra });

async function states(env: TestEnv, email: string) {
  const id = await env.services.subjects.findByEmail(email);
  assert.ok(id, `${email} is known`);
  return { id, states: await env.services.consent.states(id) };
}

describeEachDialect('vow import', (env) => {
  it('dry-runs a file: reports what would happen and writes nothing', async () => {
    const report = await run(env(), 'shopify-customers.csv', 'shopify-customers', { dryRun: true });
    assert.equal(report.dryRun, true);
    assert.deepEqual(report.counts.collected, { registration: 2, sms_signup: 1 });
    assert.deepEqual(
      report.refusals.map((r) => [r.line, r.code]),
      [
        [4, 'VOW_VALIDATION'],
        [5, 'VOW_IMPORT_MALFORMED'],
      ],
    );
    assert.equal(await env().services.subjects.findByEmail('ada.import@example.com'), undefined);
    assert.deepEqual(await env().services.imports.runs(), []);
  });

  it('imports Shopify customers as registrations (catalog box from "Accepts Email Marketing") with their source', async () => {
    const report = await run(env(), 'shopify-customers.csv', 'shopify-customers');
    assert.deepEqual(report.counts.collected, { registration: 2, sms_signup: 1 });
    assert.equal(report.counts.refused, 2);
    const ada = await states(env(), 'ada.import@example.com');
    assert.equal(ada.states.account_updates, 'granted');
    // The SMS sign-up is a person of its own, known by the number (as the form would make them).
    const texter = await env().services.subjects.findByPhone('(608) 265-3001');
    assert.equal((await env().services.consent.states(texter!)).sms_marketing, 'granted');
    const bob = await states(env(), 'bob.import@example.com');
    assert.equal(bob.states.account_updates, undefined);
    const events = await env().services.consent.history(ada.id);
    const source = JSON.parse(events[0]!.details).source;
    // The run's name, never the file's (run-names.test.ts).
    assert.deepEqual(source, {
      file: `shopify-customers-${report.sha256.slice(0, 12)}`,
      sha256: report.sha256,
      row: 2,
    });
    const stored = await env().services.imports.refusals(report.runId!);
    assert.deepEqual(
      stored.map((r) => r.line),
      [4, 5],
    );
  });

  it('runs a file imported before again without changing anything', async () => {
    const again = await run(env(), 'shopify-customers.csv', 'shopify-customers');
    assert.equal(again.alreadyImported, true);
    assert.equal(again.refusals.length, 2);
    const runs = await env().services.imports.runs();
    assert.equal(runs.length, 1);
  });

  it('imports Shopify orders as checkouts: purchasers enrolled by the policy (P9), a bad row refused', async () => {
    const report = await run(env(), 'shopify-orders.csv', 'shopify-orders');
    assert.deepEqual(report.counts.collected, { order: 2 });
    assert.deepEqual(
      report.refusals.map((r) => r.line),
      [5],
    );
    const olga = await states(env(), 'olga.import@example.com');
    assert.equal(olga.states.email_marketing, 'enrolled');
  });

  it('an imported unsubscribe withdraws people Vow holds and is permanent for everyone else (P11)', async () => {
    const report = await run(env(), 'mailchimp-unsubscribed.csv', 'mailchimp');
    assert.equal(report.counts.withdrawn.unsubscribed, 2);
    assert.equal(report.counts.ledgerEvents, 1);
    assert.deepEqual(
      report.refusals.map((r) => [r.line, r.code]),
      [[4, 'VOW_VALIDATION']],
    );
    const olga = await states(env(), 'olga.import@example.com');
    assert.equal(olga.states.email_marketing, 'withdrawn');
    const last = (await env().services.consent.history(olga.id)).at(-1)!;
    assert.equal(last.event, 'unsubscribed');
    assert.equal(JSON.parse(last.details).source.row, 2);
    // A later purchase does not re-enroll (P11), whether Vow held the person before or not.
    const c = env().services.collection;
    const order = (n: string, email: string) => ({
      shop_order_id: `IMP-${n}`,
      placed_at: '2026-01-15T11:00:00Z',
      currency: 'USD',
      total_cents: 1000,
      items: [{ sku: 'RING-1', quantity: 1, unit_price_cents: 1000 }],
      buyer: {
        name: 'N N',
        email,
        billing_address: { line1: '1 A St', city: 'Franklin', postal_code: '53132', country: 'US' },
        shipping_address: { line1: '1 A St', city: 'Franklin', postal_code: '53132', country: 'US' },
      },
    });
    await c.order(order('1', 'olga.import@example.com'));
    await c.order(order('2', 'nora.never@example.com'));
    assert.equal((await states(env(), 'olga.import@example.com')).states.email_marketing, 'withdrawn');
    assert.equal((await states(env(), 'nora.never@example.com')).states.email_marketing, 'withdrawn');
    // A new contest entry lifts it (the act P11 names).
    await c.contestEntry({ email: 'nora.never@example.com' });
    assert.equal((await states(env(), 'nora.never@example.com')).states.email_marketing, 'enrolled');
  });

  it('a cleaned address is suppressed: no purchase enrolls it', async () => {
    const report = await run(env(), 'mailchimp-cleaned.csv', 'mailchimp');
    assert.equal(report.counts.withdrawn.bounced, 1);
    await env().services.collection.catalogRequest({
      first_name: 'Bo',
      last_name: 'Unce',
      email: 'bounce.import@example.com',
      postal_address: { line1: '2 B St', city: 'Franklin', postal_code: '53132', country: 'US' },
    } as never);
    const s = await states(env(), 'bounce.import@example.com');
    // A catalog request is a P11 act: it lifts the suppression for the channel it enrolls.
    assert.equal(s.states.email_marketing, 'enrolled');
    const history = await env().services.consent.history(s.id);
    assert.ok(history.some((e) => JSON.parse(e.details).liftedSuppression === true));
  });

  it('a list\'s "subscribed" rows enroll nobody; a child\'s row is refused (P14)', async () => {
    const report = await run(env(), 'mailchimp-subscribed.csv', 'mailchimp');
    assert.equal(report.counts.noted, 1);
    assert.deepEqual(
      report.refusals.map((r) => [r.line, r.code]),
      [[3, 'VOW_UNDER_13']],
    );
    assert.equal(await env().services.subjects.findByEmail('sub.import@example.com'), undefined);
    assert.equal(await env().services.subjects.findByEmail('kid.import@example.com'), undefined);
  });

  it('imports Klaviyo profiles and SMS lists: opt-outs suppressed, an opt-in with its wording signed up', async () => {
    const k = await run(env(), 'klaviyo-profiles.csv', 'klaviyo');
    assert.deepEqual(k.counts.withdrawn, { unsubscribed: 2, bounced: 1 });
    assert.equal(k.counts.noted, 1);
    const s = await run(env(), 'sms-optouts.csv', 'sms-optouts');
    assert.equal(s.counts.withdrawn.unsubscribed, 1);
    assert.deepEqual(s.counts.collected, { sms_signup: 1 });
    assert.deepEqual(
      s.refusals.map((r) => r.line),
      [4],
    );
    // The opted-out number signs up later through the form: a new, explicit yes (granted_by).
    const c = env().services.collection;
    await c.smsSignup({ phone: '(608) 265-3201', consent_text: 'Yes, text me.' });
    const id = await env().services.subjects.findByPhone('(608) 265-3201');
    assert.equal((await env().services.consent.states(id!)).sms_marketing, 'granted');
  });

  it('imports NDJSON collection bodies: a contest entry enrolls (P8), a child and bad lines are refused', async () => {
    const report = await run(env(), 'collections.ndjson', 'ndjson');
    assert.deepEqual(report.counts.collected, { contest_entry: 1, inbound_message: 1 });
    assert.deepEqual(
      report.refusals.map((r) => [r.line, r.code]),
      [
        [2, 'VOW_UNDER_13'],
        [3, 'VOW_VALIDATION'],
        [4, 'VOW_IMPORT_MALFORMED'],
      ],
    );
    assert.equal((await states(env(), 'nd.contest@example.com')).states.email_marketing, 'enrolled');
  });

  it('an old "accepts marketing" flag does not undo an imported opt-out (P11)', async () => {
    const report = await run(env(), 'shopify-customers-returning.csv', 'shopify-customers');
    assert.deepEqual(report.counts.collected, { registration: 1 });
    assert.equal(report.counts.optInsNotApplied, 2);
    const kay = await states(env(), 'kay.unsub@example.com');
    assert.notEqual(kay.states.account_updates, 'granted');
    assert.equal(await env().services.subjects.findByPhone('+1 608-265-3101'), undefined);
  });

  it('refuses a file without its columns, or an empty one, before writing anything (not even its run)', async () => {
    const before = (await env().services.imports.runs()).length;
    await assert.rejects(run(env(), 'sms-optouts.csv', 'shopify-orders'), { code: 'VOW_IMPORT_COLUMNS' });
    const empty = path.join(mkdtempSync(path.join(tmpdir(), 'vow-import-empty-')), 'customers_export.csv');
    writeFileSync(empty, '');
    await assert.rejects(env().services.imports.run({ file: empty, format: 'shopify-customers' }), {
      code: 'VOW_IMPORT_COLUMNS',
      message: /empty/,
    });
    // A quote never closed in the header: the rest of the file would be one field.
    const unclosed = path.join(path.dirname(empty), 'unclosed.csv');
    writeFileSync(unclosed, '"Email,First Name,Last Name,Accepts Email Marketing\nx@example.com,X,Y,no\n');
    await assert.rejects(env().services.imports.run({ file: unclosed, format: 'shopify-customers' }), {
      code: 'VOW_IMPORT_QUOTES',
      details: { line: 1, problem: 'never_closed' },
    });
    // A quote that closes, but not where a header's quote may: the header cannot be read.
    const badClose = path.join(path.dirname(empty), 'bad-close.csv');
    writeFileSync(
      badClose,
      '"Email"x,First Name,Last Name,Accepts Email Marketing\n"x@example.com",X,Y,no\n',
    );
    await assert.rejects(env().services.imports.run({ file: badClose, format: 'shopify-customers' }), {
      code: 'VOW_IMPORT_COLUMNS',
      message: /header line cannot be read: a quote is not closed/,
    });
    assert.equal((await env().services.imports.runs()).length, before);
    rmSync(path.dirname(empty), { recursive: true, force: true });
  });
});
