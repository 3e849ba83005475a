// The disclosure checks, broken as an auditor would: rows written straight into the disclosure log,
// the Google Analytics forwards and the measurements (P2, P3, P4, P6, P7, P11, P17, P19, P23; and
// renders of marketing email after an opt-out or an objection, P10, P11, P23).
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql } from 'kysely';
import type { TestEnv } from '../helpers/env.js';
import { describeEachDialect } from '../helpers/env.js';
import {
  buyer,
  correspondent,
  disclosure,
  expectBroken,
  expectClean,
  findings,
  measurement,
  restriction,
  unsubscribe,
  visitor,
  withGift,
} from './support.js';

async function render(e: TestEnv, subjectId: string) {
  const res = await e.app.inject({
    method: 'POST',
    url: '/v1/emails/render',
    payload: { subjectId, subject: 'New rings', text: 'Have a look.' },
  });
  return res;
}

/**
 * A marketing email's render recorded in the audit trail by the system, as a bug that skipped the
 * audience check would record it.
 */
async function renderRecorded(e: TestEnv, subjectId: string): Promise<void> {
  await e.ctx.audit.record({
    actor: { type: 'system' },
    action: 'email.rendered',
    target: { type: 'subject', id: subjectId },
    details: { channel: 'email_marketing', purpose: 'marketing.email' },
  });
}

describeEachDialect('promise monitor: disclosures, forwards, renders', (env) => {
  it('disclosures the API makes, a render and a visitor’s forwards keep every promise', async () => {
    const e = env();
    const { subjectId, orderId } = await buyer(e);
    const res = await e.app.inject({
      method: 'POST',
      url: '/v1/disclosures',
      payload: {
        recipient: 'carrier',
        purpose: 'order.fulfilment',
        orderId: (
          await e.store.db
            .selectFrom('orders')
            .select('shop_order_id')
            .where('id', '=', orderId)
            .executeTakeFirstOrThrow()
        ).shop_order_id,
      },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal((await render(e, subjectId)).statusCode, 200);
    const v = await visitor(e);
    e.services.siteAnalytics.ga.useSender(async () => {});
    const collected = await e.app.inject({
      method: 'POST',
      url: '/v1/collect',
      payload: { visitor: v.cookie, type: 'page_view', path: '/rings' },
    });
    assert.equal(collected.statusCode, 204, collected.body);
    e.services.siteAnalytics.ga.useSender(undefined);
    await expectClean(e, subjectId, v.ref);
  });

  it('P2: the carrier received the buyer’s email, which it may not receive (the category and recipient named)', async () => {
    const e = env();
    const { subjectId } = await buyer(e);
    const id = await disclosure(e, subjectId, 'carrier', 'order.fulfilment', [
      'contact.postal_address',
      'contact.email',
    ]);
    const f = await expectBroken(e, {
      promise: 'P2',
      table: 'disclosures',
      row: id,
      rule: 'disclosure.recipient_category',
    });
    assert.equal(f.values.category, 'contact.email');
    assert.equal(f.values.recipient, 'carrier');
  });

  it('P3: a gift recipient’s address disclosed to the mail house', async () => {
    const e = env();
    const { giftId } = await withGift(e);
    const id = await disclosure(e, giftId, 'mail_house', 'marketing.postal', ['contact.postal_address']);
    const f = await expectBroken(e, {
      promise: 'P3',
      table: 'disclosures',
      row: id,
      rule: 'disclosure.kind_allowed',
    });
    assert.equal(f.values.refused_by, 'gift-recipient-no-other-use');
  });

  it('P4: a correspondent’s address disclosed for email marketing', async () => {
    const e = env();
    const { subjectId } = await correspondent(e);
    const id = await disclosure(e, subjectId, 'email_service', 'marketing.email', ['contact.email']);
    const f = await expectBroken(e, {
      promise: 'P4',
      table: 'disclosures',
      row: id,
      rule: 'disclosure.kind_allowed',
    });
    assert.equal(f.values.kinds, 'correspondent');
  });

  it('P6: advertisers received a personal category; P7: a phone sent for text marketing no rule allows', async () => {
    const e = env();
    const { subjectId } = await buyer(e);
    const ad = await disclosure(e, subjectId, 'advertisers', 'advertising.aggregate_reporting', [
      'demographic.gender',
    ]);
    await expectBroken(e, { promise: 'P6', table: 'disclosures', row: ad, rule: 'disclosure.personal_data' });
    const sms = await disclosure(e, subjectId, 'sms_gateway', 'marketing.sms', ['contact.phone']);
    const f = await expectBroken(e, {
      promise: 'P7',
      table: 'disclosures',
      row: sms,
      rule: 'disclosure.kind_allowed',
    });
    assert.equal(f.values.refused_by, null, 'no rule allows it at all');
  });

  it('P11: an email address sent to the email service for marketing after the person unsubscribed', async () => {
    const e = env();
    const { subjectId } = await buyer(e);
    await unsubscribe(e, subjectId);
    e.clock.advance(60_000);
    const id = await disclosure(e, subjectId, 'email_service', 'marketing.email', ['contact.email']);
    const f = await expectBroken(e, {
      promise: 'P11',
      table: 'disclosures',
      row: id,
      rule: 'disclosure.consent_at_time',
    });
    assert.equal(f.values.state_then, 'withdrawn');
  });

  it('P23: a disclosure for marketing after the person objected to it', async () => {
    const e = env();
    const { subjectId } = await buyer(e);
    await restriction(e, {
      id: `objection-${subjectId}`,
      subjectId,
      scope: 'purposes',
      purposes: ['marketing'],
    });
    e.clock.advance(60_000);
    const id = await disclosure(e, subjectId, 'email_service', 'marketing.email', ['contact.email']);
    await expectBroken(e, { promise: 'P23', table: 'disclosures', row: id, rule: 'disclosure.restricted' });
    // A render after the objection too: the audit trail's render, against the restriction.
    assert.equal((await render(e, subjectId)).statusCode, 403, 'Vow itself refuses to render it');
  });

  it('P10, P11, P23: marketing emails prepared without a token, after an unsubscribe, after an objection', async () => {
    const e = env();
    const { subjectId } = await buyer(e);
    assert.equal((await render(e, subjectId)).statusCode, 200);
    await sql`delete from unsubscribe_tokens where subject_id = ${subjectId}`.execute(e.store.db);
    await expectBroken(e, {
      promise: 'P10',
      table: 'audit_log',
      rule: 'render.unsubscribe_token',
      subject: subjectId,
    });
    await unsubscribe(e, subjectId);
    e.clock.advance(60_000);
    // A render recorded after the opt-out (as a bug that skipped the audience check would).
    await renderRecorded(e, subjectId);
    await expectBroken(e, {
      promise: 'P11',
      table: 'audit_log',
      rule: 'render.after_opt_out',
      subject: subjectId,
    });
    await restriction(e, { id: `objection-r-${subjectId}`, subjectId, scope: 'all', purposes: [] });
    e.clock.advance(60_000);
    await renderRecorded(e, subjectId);
    await expectBroken(e, {
      promise: 'P23',
      table: 'audit_log',
      rule: 'render.restricted',
      subject: subjectId,
    });
  });

  it('P19: a forward to Google Analytics carrying an email, and forwards and disclosures without GA consent', async () => {
    const e = env();
    const v = await visitor(e);
    const refused = await visitor(e, false);
    const forward = async (visitorIndex: string, params: string[]) =>
      Number(
        (
          await e.store.db
            .insertInto('ga_forwards')
            .values({
              visitor_id: visitorIndex,
              event_type: 'page_view',
              params: JSON.stringify(params),
              status: 'sent',
              at: e.ctx.clock.now().toISOString(),
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id,
      );
    const email = await forward(v.index, ['page_area', 'user_email', 'ann.buyer@example.com']);
    const f = await expectBroken(e, {
      promise: 'P19',
      table: 'ga_forwards',
      row: String(email),
      rule: 'ga.params_allowed',
    });
    assert.equal(f.values.unexpected, 2);
    assert.equal(f.values.names, 'user_email', 'a name that looks like an address is not repeated');
    const noConsent = await forward(refused.index, ['page_area']);
    await expectBroken(e, {
      promise: 'P19',
      table: 'ga_forwards',
      row: String(noConsent),
      rule: 'ga.consent_at_time',
    });
    const id = await disclosure(e, refused.ref, 'google_analytics', 'analytics.site_improvement', [
      'behaviour',
    ]);
    await expectBroken(e, {
      promise: 'P19',
      table: 'disclosures',
      row: id,
      rule: 'disclosure.recipient_consent',
    });
    const contact = await disclosure(e, v.ref, 'google_analytics', 'analytics.site_improvement', [
      'contact.email',
    ]);
    await expectBroken(e, {
      promise: 'P19',
      table: 'disclosures',
      row: contact,
      rule: 'disclosure.identifying_data',
    });
  });

  it('P17: a measurement keyed by a raw cookie id, and one whose page address holds an email', async () => {
    const e = env();
    const v = await visitor(e);
    const insert = async (visitorId: string, path: string) => String(await measurement(e, visitorId, path));
    const raw = await insert('my-raw-cookie', '/rings');
    await expectBroken(e, {
      promise: 'P17',
      table: 'analytics_events',
      row: raw,
      rule: 'measurement.visitor_hashed',
    });
    const leaked = await insert(v.index, '/rings?email=ann.buyer@example.com');
    const f = await expectBroken(e, {
      promise: 'P17',
      table: 'analytics_events',
      row: leaked,
      rule: 'measurement.path_scrubbed',
    });
    assert.equal(typeof f.values.path_length, 'number');
    assert.equal((await findings(e, { table: 'analytics_events', row: leaked })).length, 1);
  });
});
