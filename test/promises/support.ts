// Shared by the promise monitor's tests: people made the way the shop makes them (through the API),
// promises broken the way an auditor breaks them (SQL on the store), and the monitor's findings read
// back with the promise, table, row, rule and reason each names.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { RunRequest, RunSummary } from '../../src/modules/promises/index.js';
import { address, catalogBody, giftRecipient, nextPhone, orderBody, post } from '../collection/fixtures.js';
import type { TestEnv } from '../helpers/env.js';

let n = 0;
/** A fresh tag for names, emails and order ids. */
export function tag(prefix = 'pm'): string {
  n++;
  return `${prefix}${n}x${Math.floor(Math.random() * 1e6)}`;
}

async function created(res: { statusCode: number; body: string }): Promise<Record<string, string>> {
  assert.equal(res.statusCode, 201, res.body);
  return JSON.parse(res.body) as Record<string, string>;
}

/** A buyer (enrolled in email marketing by the checkout), with their order. */
export async function buyer(e: TestEnv, overrides: Record<string, unknown> = {}) {
  const t = tag('buy');
  const body = orderBody(t, overrides);
  const r = await created(await post(e, '/v1/orders', body));
  return { subjectId: r.subjectId!, orderId: r.id!, email: (body.buyer as { email: string }).email, tag: t };
}

/** A buyer and a gift recipient of their order. */
export async function withGift(e: TestEnv) {
  const t = tag('gift');
  const r = await created(await post(e, '/v1/orders', orderBody(t, { gift_recipient: giftRecipient(t) })));
  return { buyerId: r.subjectId!, giftId: r.giftRecipientSubjectId!, orderId: r.id! };
}

export async function contestant(e: TestEnv) {
  const t = tag('contest');
  const email = `cory.${t}@example.com`;
  const r = await created(await post(e, '/v1/contest-entries', { name: `Cory ${t}`, email }));
  return { subjectId: r.subjectId!, entryId: r.id!, email };
}

export async function catalogRequester(e: TestEnv) {
  const t = tag('cat');
  const r = await created(await post(e, '/v1/catalog-requests', catalogBody(t)));
  return { subjectId: r.subjectId!, requestId: r.id! };
}

export async function registrant(e: TestEnv, optIn: boolean) {
  const t = tag('reg');
  const r = await created(
    await post(e, '/v1/registrations', {
      account_id: `acct-${t}`,
      name: `Rae ${t}`,
      email: `rae.${t}@example.com`,
      postal_address: address(`${t} Account Way`),
      catalog_opt_in: optIn,
    }),
  );
  return { subjectId: r.subjectId!, registrationId: r.id! };
}

export async function smsSubscriber(e: TestEnv) {
  const r = await created(
    await post(e, '/v1/sms-signups', {
      phone: nextPhone(),
      consent_text: 'Yes, text me offers. Reply STOP to end.',
    }),
  );
  return { subjectId: r.subjectId!, signupId: r.id! };
}

export async function correspondent(e: TestEnv) {
  const t = tag('mail');
  const r = await created(
    await post(e, '/v1/inbound-messages', {
      from: `cal.${t}@example.org`,
      subject: 'Where is my ring?',
      received_at: '2026-01-14T10:00:00Z',
    }),
  );
  return { subjectId: r.subjectId!, messageId: r.id! };
}

/** A visitor who accepted every cookie category (analytics and Google Analytics included). */
export async function visitor(e: TestEnv, accept = true) {
  const cookie = randomBytes(16).toString('base64url');
  const res = await post(e, '/v1/consent/choices', {
    visitor: cookie,
    categories: { analytics: accept, layout_experiments: accept, advertising: accept },
    googleAnalytics: accept,
    source: 'choose',
    consentVersion: e.ctx.policy.consentVersion,
  });
  assert.equal(res.statusCode, 200, res.body);
  const index = e.services.cookieConsent.visitorIndex(cookie);
  return { cookie, index, ref: `visitor:${index}` };
}

/** The person unsubscribes from email marketing by the link in a mail (through the service). */
export async function unsubscribe(e: TestEnv, subjectId: string): Promise<void> {
  await e.services.consent.unsubscribe(undefined, {
    subjectId,
    channel: 'email_marketing',
    cause: { type: 'link_click' },
  });
}

/** A restriction (an objection) written straight into its table, started `startedAt` (now by default). */
export async function restriction(
  e: TestEnv,
  r: { id: string; subjectId: string; scope: 'all' | 'purposes'; purposes: string[]; startedAt?: string },
): Promise<void> {
  await e.store.db
    .insertInto('restrictions')
    .values({
      id: r.id,
      subject_id: r.subjectId,
      scope: r.scope,
      purposes: JSON.stringify(r.purposes),
      started_at: r.startedAt ?? e.ctx.clock.now().toISOString(),
      lifted_at: null,
      request_id: null,
    })
    .execute();
}

/** A page view of the rings area written straight into the measurements, at `at` (now by default); its id. */
export async function measurement(
  e: TestEnv,
  visitorId: string,
  path: string,
  at = e.ctx.clock.now().toISOString(),
): Promise<number> {
  const row = await e.store.db
    .insertInto('analytics_events')
    .values({
      visitor_id: visitorId,
      type: 'page_view',
      area: 'rings',
      path,
      duration_ms: null,
      value_cents: null,
      currency: null,
      browser_family: 'firefox',
      at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/** The consent state a person is in now (through the service). */
export async function stateOf(e: TestEnv, subjectId: string, channel: string): Promise<string | undefined> {
  return (await e.services.consent.states(subjectId))[channel];
}

export async function check(e: TestEnv, mode: RunRequest = 'full'): Promise<RunSummary> {
  return e.services.promises.monitor.run(mode);
}

export interface StoredFinding {
  readonly promise: string;
  readonly table: string;
  readonly row: string;
  readonly rule: string;
  readonly reason: string;
  readonly values: Record<string, unknown>;
}

/** The open findings (the monitor's own table), optionally narrowed. */
export async function findings(
  e: TestEnv,
  where: { promise?: string; table?: string; row?: string; rule?: string; subject?: string } = {},
): Promise<StoredFinding[]> {
  let q = e.store.db.selectFrom('promise_findings').selectAll();
  if (where.promise) q = q.where('promise', '=', where.promise);
  if (where.table) q = q.where('tbl', '=', where.table);
  if (where.row) q = q.where('row_id', '=', where.row);
  if (where.rule) q = q.where('rule', '=', where.rule);
  const rows = (await q.execute()).map((r) => ({
    promise: r.promise,
    table: r.tbl,
    row: r.row_id,
    rule: r.rule,
    reason: r.reason,
    values: JSON.parse(r.detail) as Record<string, unknown>,
  }));
  return where.subject
    ? rows.filter((r) => r.values.subject === where.subject || r.row === where.subject)
    : rows;
}

/**
 * Runs a check and asserts it names the promise broken, and a finding with this table, rule (and row
 * or subject when given), with a reason in words. Returns the finding.
 */
export async function expectBroken(
  e: TestEnv,
  want: { promise: string; table: string; rule: string; row?: string; subject?: string },
  mode: RunRequest = 'full',
): Promise<StoredFinding> {
  const run = await check(e, mode);
  const result = run.results.find((r) => r.promise === want.promise);
  assert.equal(result?.status, 'broken', `${want.promise} is broken`);
  const found = await findings(e, want);
  const all = await findings(e, { promise: want.promise });
  assert.ok(
    found.length > 0,
    `${want.promise} names ${want.table}${want.row ? `:${want.row}` : ''} ${want.rule}; found ${JSON.stringify(all.map((f) => `${f.table}:${f.row} ${f.rule}`))}`,
  );
  const f = found[0]!;
  assert.ok(f.reason.length > 10, 'a reason in words');
  assert.ok(result!.evidence.byRule[want.rule]! >= 1, 'counted by rule');
  assert.doesNotMatch(
    JSON.stringify(found),
    /@example\.(com|org|net)|\(608\)/,
    'no personal value in evidence',
  );
  return f;
}

/** Asserts nothing of these subjects or rows is found broken (after a full check). */
export async function expectClean(e: TestEnv, ...subjects: string[]): Promise<void> {
  await check(e);
  for (const s of subjects) assert.deepEqual(await findings(e, { subject: s }), [], `nothing found for ${s}`);
}

let disclosures = 0;
/** A disclosure written straight into the disclosure log (no rule of Vow's asked), at `at` (now by default); its id. */
export async function disclosure(
  e: TestEnv,
  subjectId: string,
  recipient: string,
  purpose: string,
  categories: string[],
  at = e.ctx.clock.now().toISOString(),
): Promise<string> {
  const id = `disclosure-${++disclosures}-${Math.floor(Math.random() * 1e9)}`;
  await e.store.db
    .insertInto('disclosures')
    .values({
      id,
      disclosure_id: id,
      subject_id: subjectId,
      recipient,
      purpose,
      record_id: null,
      categories: JSON.stringify(categories),
      fields: '[]',
      rules: '[]',
      policy_version: e.ctx.policy.version,
      disclosed_at: at,
    })
    .execute();
  return id;
}
