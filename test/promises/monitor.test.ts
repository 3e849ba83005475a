import assert from 'node:assert/strict';
import { beforeEach, it } from 'node:test';
import { sql } from 'kysely';
import type { VowContext } from '../../src/modules/policy/index.js';
import { PromiseMonitor } from '../../src/modules/promises/index.js';
import { describeEachDialect } from '../helpers/env.js';

const TABLES = [
  'subject_identifiers',
  'subject_records',
  'subjects',
  'under13_markers',
  'consent_events',
  'consent_state',
  'disclosures',
  'restrictions',
  'rights_requests',
  'complaints',
  'unsubscribe_tokens',
] as const;

async function brokenPromises(ctx: VowContext): Promise<string[]> {
  const results = await new PromiseMonitor(ctx).check();
  return results.filter((r) => r.status === 'broken').map((r) => r.promise);
}

async function identifier(
  ctx: VowContext,
  id: string,
  subjectId: string,
  subjectKind: string,
  kind = 'email',
  blind = `bi-${id}`,
) {
  await ctx.store.db
    .insertInto('subject_identifiers')
    .values({
      id,
      subject_id: subjectId,
      kind,
      blind_index: blind,
      sealed_value: 'v1.x.y.z',
      field: 'email',
      subject_kind: subjectKind,
      collection_point: 'checkout',
      record_type: 'order',
      record_id: `rec-${id}`,
      policy_version: ctx.policy.version,
      collected_at: ctx.clock.now().toISOString(),
    })
    .execute();
}

async function enrolled(ctx: VowContext, subjectRef: string) {
  await ctx.store.db
    .insertInto('consent_state')
    .values({
      subject_ref: subjectRef,
      channel: 'email_marketing',
      state: 'enrolled',
      last_event: 'enrolled',
      last_seq: 1,
      updated_at: ctx.clock.now().toISOString(),
    })
    .execute();
}

async function event(
  ctx: VowContext,
  id: string,
  subjectRef: string,
  channel: string,
  ev: string,
  causeType: string,
  causeRef: string | null,
) {
  await ctx.store.db
    .insertInto('consent_events')
    .values({
      id,
      subject_ref: subjectRef,
      channel,
      event: ev,
      cause_type: causeType,
      cause_ref: causeRef,
      staff_id: null,
      at: ctx.clock.now().toISOString(),
      policy_version: ctx.policy.version,
    })
    .execute();
}

async function disclosure(
  ctx: VowContext,
  id: string,
  recipient: string,
  purpose: string,
  categories: string[],
  subjectId = 's-x',
  at = ctx.clock.now().toISOString(),
) {
  await ctx.store.db
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
      policy_version: ctx.policy.version,
      disclosed_at: at,
    })
    .execute();
}

async function request(
  ctx: VowContext,
  id: string,
  type: string,
  channel: string,
  dueOn: string,
  status = 'in_progress',
  subjectId: string | null = null,
) {
  await ctx.store.db
    .insertInto('rights_requests')
    .values({
      id,
      type: type as never,
      scope: '{}',
      jurisdiction: 'eea',
      channel: channel as never,
      status: status as never,
      subject_id: subjectId,
      email_index: null,
      sealed: 'x',
      received_at: '2026-01-01T00:00:00.000Z',
      due_on: dueOn,
      ack_due_on: null,
      extended_due_on: null,
      extended_at: null,
      acknowledged_at: null,
      verified_at: null,
      verification_method: null,
      is_agent: 0,
      agent_confirmed_at: null,
      agent_confirmed_by: null,
      approved_by: null,
      responded_at: status === 'completed' ? '2026-01-12T00:00:00.000Z' : null,
      response_nature: null,
      denial_basis: null,
      result: null,
      status_token_index: `tok-${id}`,
      created_by: null,
      created_at: '2026-01-01T00:00:00.000Z',
      updated_at: '2026-01-01T00:00:00.000Z',
    })
    .execute();
}

describeEachDialect('promise monitor', (env) => {
  beforeEach(async () => {
    const db = env().ctx.store.db;
    for (const t of TABLES) await sql`delete from ${sql.table(t)}`.execute(db);
    // A fresh, valid audit chain for every test (one test forges a row on purpose).
    await sql`delete from audit_log`.execute(db);
    await sql`delete from audit_anchors`.execute(db);
    await sql`update audit_head set seq = 0, hash = 'genesis'`.execute(db);
  });

  it('reports every checkable promise kept on a clean store, and the rest as proven by tests', async () => {
    const results = await new PromiseMonitor(env().ctx).check();
    assert.equal(results.length, 26);
    assert.deepEqual(
      results.filter((r) => r.status === 'broken'),
      [],
    );
    const checked = results.filter((r) => r.status === 'kept').map((r) => r.promise);
    for (const p of [
      'P1',
      'P2',
      'P3',
      'P4',
      'P6',
      'P11',
      'P12',
      'P13',
      'P14',
      'P19',
      'P20',
      'P21',
      'P22',
      'P23',
      'P24',
      'P25',
    ])
      assert.ok(checked.includes(p), p);
    for (const r of results.filter((x) => x.status === 'not_checkable'))
      assert.ok((r.provenBy ?? []).length > 0, `${r.promise} names its tests`);
  });

  it('P1: a record collected under a policy version that was never in force is reported', async () => {
    const ctx = env().ctx;
    await ctx.store.db
      .insertInto('subject_records')
      .values({
        id: 'rec-1',
        subject_id: 's-1',
        subject_kind: 'customer',
        collection_point: 'checkout',
        record_type: 'order',
        record_id: 'o-1',
        fields: '{}',
        policy_version: ctx.policy.version,
        collected_at: ctx.clock.now().toISOString(),
      })
      .execute();
    assert.deepEqual(await brokenPromises(ctx), []);
    await ctx.store.db
      .insertInto('subject_records')
      .values({
        id: 'rec-2',
        subject_id: 's-1',
        subject_kind: 'customer',
        collection_point: 'checkout',
        record_type: 'order',
        record_id: 'o-2',
        fields: '{}',
        policy_version: 'never-published',
        collected_at: ctx.clock.now().toISOString(),
      })
      .execute();
    const results = await new PromiseMonitor(ctx).check();
    assert.deepEqual(results.find((r) => r.promise === 'P1')!.evidence.ids, ['rec-2']);
    assert.deepEqual(await brokenPromises(ctx), ['P1']);
  });

  it('P10: a marketing email prepared without an unsubscribe token is reported', async () => {
    const ctx = env().ctx;
    await ctx.vault.encrypt('s-mail', 'keeps the key alive');
    const rendered = () =>
      ctx.audit.record({
        actor: { type: 'system' },
        action: 'email.rendered',
        target: { type: 'subject', id: 's-mail' },
        details: { channel: 'email_marketing' },
      });
    await ctx.store.db
      .insertInto('unsubscribe_tokens')
      .values({
        token_index: 'tok-1',
        subject_id: 's-mail',
        channel: 'email_marketing',
        created_at: ctx.clock.now().toISOString(),
        used_at: null,
      })
      .execute();
    await rendered();
    assert.deepEqual(await brokenPromises(ctx), []);
    await sql`delete from unsubscribe_tokens`.execute(ctx.store.db);
    assert.deepEqual(await brokenPromises(ctx), ['P10']);
  });

  it('P3: a gift recipient enrolled in email marketing is reported with their id', async () => {
    const ctx = env().ctx;
    await identifier(ctx, 'i1', 'gift-1', 'gift_recipient');
    await enrolled(ctx, 'gift-1');
    const results = await new PromiseMonitor(ctx).check();
    const p3 = results.find((r) => r.promise === 'P3')!;
    assert.equal(p3.status, 'broken');
    assert.deepEqual(p3.evidence.ids, ['gift-1']);
    assert.deepEqual(await brokenPromises(ctx), ['P3']);
  });

  it('P3: a buyer who was also a gift recipient may be enrolled', async () => {
    const ctx = env().ctx;
    await identifier(ctx, 'i1', 'both-1', 'gift_recipient');
    await identifier(ctx, 'i2', 'both-1', 'customer');
    await enrolled(ctx, 'both-1');
    assert.deepEqual(await brokenPromises(ctx), []);
  });

  it('P4: a correspondent enrolled in email marketing breaks P4 only', async () => {
    const ctx = env().ctx;
    await identifier(ctx, 'i1', 'corr-1', 'correspondent');
    await enrolled(ctx, 'corr-1');
    assert.deepEqual(await brokenPromises(ctx), ['P4']);
  });

  it('P11: re-enrolment by a purchase after an unsubscribe is reported; by a contest entry it is not', async () => {
    const ctx = env().ctx;
    await event(ctx, 'e1', 's-1', 'email_marketing', 'enrolled', 'collection_point', 'checkout');
    await event(ctx, 'e2', 's-1', 'email_marketing', 'unsubscribed', 'link_click', null);
    await event(ctx, 'e3', 's-1', 'email_marketing', 're_enrolled', 'collection_point', 'contest_entry');
    assert.deepEqual(await brokenPromises(ctx), []);
    await event(ctx, 'e4', 's-1', 'email_marketing', 'unsubscribed', 'link_click', null);
    await event(ctx, 'e5', 's-1', 'email_marketing', 're_enrolled', 'collection_point', 'checkout');
    const results = await new PromiseMonitor(ctx).check();
    assert.deepEqual(results.find((r) => r.promise === 'P11')!.evidence.ids, ['e5']);
    assert.deepEqual(await brokenPromises(ctx), ['P11']);
  });

  it('P12: a catalog request putting a removed person back on the postal list is reported', async () => {
    const ctx = env().ctx;
    await event(ctx, 'e1', 's-2', 'postal_marketing', 'enrolled', 'collection_point', 'catalog_request');
    await event(ctx, 'e2', 's-2', 'postal_marketing', 'suppressed', 'staff', null);
    await event(ctx, 'e3', 's-2', 'postal_marketing', 'enrolled', 'collection_point', 'catalog_request');
    assert.deepEqual(await brokenPromises(ctx), ['P12']);
  });

  it('P2, P6, P19: disclosures beyond what a recipient may receive are reported', async () => {
    const ctx = env().ctx;
    await disclosure(ctx, 'd-ok', 'carrier', 'order.fulfilment', ['contact.postal_address']);
    assert.deepEqual(await brokenPromises(ctx), []);
    await disclosure(ctx, 'd-ga', 'google_analytics', 'analytics.site_improvement', ['contact.email']);
    assert.deepEqual(await brokenPromises(ctx), ['P2', 'P19']);
    await sql`delete from disclosures where id = 'd-ga'`.execute(ctx.store.db);
    await disclosure(ctx, 'd-ad', 'advertisers', 'advertising.aggregate_reporting', ['demographic.gender']);
    assert.deepEqual(await brokenPromises(ctx), ['P2', 'P6']);
  });

  it('P14: an identifier of a person marked under 13 coming back is reported', async () => {
    const ctx = env().ctx;
    await ctx.store.db
      .insertInto('under13_markers')
      .values({ kind: 'email', blind_index: 'child-bi', marked_at: ctx.clock.now().toISOString() })
      .execute();
    assert.deepEqual(await brokenPromises(ctx), []);
    await identifier(ctx, 'i9', 's-9', 'contestant', 'email', 'child-bi');
    assert.deepEqual(await brokenPromises(ctx), ['P14']);
  });

  it('P23: a disclosure for a restricted purpose after the restriction is reported', async () => {
    const ctx = env().ctx;
    await ctx.store.db
      .insertInto('restrictions')
      .values({
        id: 'r1',
        subject_id: 's-r',
        scope: 'purposes',
        purposes: JSON.stringify(['marketing']),
        started_at: '2026-01-10T00:00:00.000Z',
        lifted_at: null,
        request_id: null,
      })
      .execute();
    await disclosure(
      ctx,
      'd-before',
      'mail_house',
      'marketing.postal',
      ['contact.postal_address'],
      's-r',
      '2026-01-09T00:00:00.000Z',
    );
    await disclosure(
      ctx,
      'd-other',
      'carrier',
      'order.fulfilment',
      ['contact.postal_address'],
      's-r',
      '2026-01-11T00:00:00.000Z',
    );
    assert.deepEqual(await brokenPromises(ctx), []);
    await disclosure(
      ctx,
      'd-after',
      'mail_house',
      'marketing.postal',
      ['contact.postal_address'],
      's-r',
      '2026-01-11T00:00:00.000Z',
    );
    assert.deepEqual(await brokenPromises(ctx), ['P23']);
  });

  it('P13: an audit row edited in the database breaks P13', async () => {
    const ctx = env().ctx;
    await ctx.audit.record({ actor: { type: 'system' }, action: 'monitor.test' });
    assert.deepEqual(await brokenPromises(ctx), []);
    await sql`update audit_log set action = 'forged'`.execute(ctx.store.db);
    assert.deepEqual(await brokenPromises(ctx), ['P13']);
  });

  it('P20, P24: an open access request past its deadline is reported; one inside it is not', async () => {
    const ctx = env().ctx;
    await request(ctx, 'q1', 'access', 'web', '2026-01-20');
    assert.deepEqual(await brokenPromises(ctx), []);
    await request(ctx, 'q2', 'access', 'email', '2026-01-14');
    const results = await new PromiseMonitor(ctx).check();
    assert.deepEqual(results.find((r) => r.promise === 'P20')!.evidence.ids, ['rights_requests:q2']);
    assert.deepEqual(await brokenPromises(ctx), ['P20', 'P24']);
  });

  it('P22: a completed deletion whose person still has a data key is reported', async () => {
    const ctx = env().ctx;
    await ctx.vault.encrypt('s-del', 'still here');
    await request(ctx, 'q3', 'deletion', 'web', '2026-02-20', 'completed', 's-del');
    assert.deepEqual(await brokenPromises(ctx), ['P22']);
    await ctx.vault.destroyKey('s-del');
    assert.deepEqual(await brokenPromises(ctx), []);
  });

  it('P25: a complaint past its reply date without a reply is reported', async () => {
    const ctx = env().ctx;
    await ctx.store.db
      .insertInto('complaints')
      .values({
        id: 'c1',
        jurisdiction: 'us-ca',
        channel: 'web',
        status: 'open',
        sealed: 'x',
        received_at: '2026-01-01T00:00:00.000Z',
        reply_due_on: '2026-01-10',
        first_reply_at: null,
        regulator: 'us-ca',
        request_id: null,
        status_token_index: 'tok-c1',
        created_by: null,
        updated_at: '2026-01-01T00:00:00.000Z',
      })
      .execute();
    assert.deepEqual(await brokenPromises(ctx), ['P25']);
  });

  it('keeps each run as history', async () => {
    const monitor = new PromiseMonitor(env().ctx);
    await monitor.check();
    const latest = await monitor.latest();
    assert.ok(latest);
    assert.equal(latest.results.length, 26);
  });
});

describeEachDialect('promise monitor over HTTP and CLI', (env) => {
  it('POST /v1/promises/check answers the table and sets the promise gauge', async () => {
    const res = await env().app.inject({ method: 'POST', url: '/v1/promises/check' });
    assert.equal(res.statusCode, 200);
    const body = res.json() as { results: { promise: string; status: string }[] };
    assert.equal(body.results.length, 26);
    const metrics = await env().app.inject({ method: 'GET', url: '/metrics' });
    assert.match(metrics.body, /vow_promise_kept\{promise="P13"\} 1/);
  });
});
