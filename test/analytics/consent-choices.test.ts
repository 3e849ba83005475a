import assert from 'node:assert/strict';
import { it } from 'node:test';
import { GppModel } from '@iabgpp/cmpapi';
import { acceptedUnderOlderVersion } from '../helpers/cookie-consent.js';
import { describeEachDialect } from '../helpers/env.js';

interface View {
  visitor: string;
  channels: Record<string, boolean>;
  categories: Record<string, boolean>;
  googleAnalytics: boolean;
  gpc: boolean;
  answered: boolean;
  consentVersion: string;
  consentMode: Record<string, string>;
  gpp: string;
}

describeEachDialect('cookie choices in the consent ledger', (env) => {
  const cv = () => env().ctx.policy.consentVersion;
  const choose = async (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    env().app.inject({
      method: 'POST',
      url: '/v1/consent/choices',
      headers,
      payload: { consentVersion: cv(), ...body },
    });
  const all = (on: boolean) => ({ analytics: on, layout_experiments: on, advertising: on });
  const ledger = (visitor: string) =>
    env()
      .store.db.selectFrom('consent_events')
      .selectAll()
      .where('subject_ref', '=', env().services.cookieConsent.subjectRef(visitor))
      .orderBy('seq')
      .execute();

  it('gives a first-time visitor a random id and records every channel of the refusal, with cause and versions', async () => {
    const res = await choose({ categories: all(false), source: 'reject_all' });
    assert.equal(res.statusCode, 200);
    const v = res.json<View>();
    assert.match(v.visitor, /^[A-Za-z0-9_-]{22}$/);
    assert.deepEqual(v.consentMode, {
      ad_storage: 'denied',
      analytics_storage: 'denied',
      ad_user_data: 'denied',
      ad_personalization: 'denied',
    });
    assert.equal(v.answered, true);
    const rows = await ledger(v.visitor);
    assert.deepEqual(rows.map((r) => r.channel).sort(), [
      'cookies.advertising',
      'cookies.analytics',
      'cookies.experiments',
      'google_analytics',
    ]);
    for (const r of rows) {
      assert.equal(r.event, 'withdrawn');
      assert.equal(r.cause_type, 'cookie_banner');
      assert.equal(r.policy_version, env().ctx.policy.version);
      assert.equal(JSON.parse(r.details).consentVersion, cv());
      assert.ok(
        !r.subject_ref.includes(v.visitor),
        'the ledger holds a keyed hash of the cookie id, not the id',
      );
    }
    const gpp = new GppModel(v.gpp);
    assert.equal(gpp.getFieldValue('usnat', 'SaleOptOut'), 1);
    assert.equal(gpp.getFieldValue('usnat', 'Gpc'), false);
  });

  it('turns every signal on with Accept all, and records only the channels that changed', async () => {
    const first = (await choose({ categories: all(false), source: 'reject_all' })).json<View>();
    const res = await choose({ visitor: first.visitor, categories: all(true), source: 'accept_all' });
    const v = res.json<View>();
    assert.deepEqual(Object.values(v.consentMode), ['granted', 'granted', 'granted', 'granted']);
    assert.equal(v.googleAnalytics, true);
    assert.equal(new GppModel(v.gpp).getFieldValue('usnat', 'SaleOptOut'), 2);
    assert.equal((await ledger(first.visitor)).length, 8);
    // The same choice again changes nothing.
    await choose({ visitor: first.visitor, categories: all(true), source: 'accept_all' });
    assert.equal((await ledger(first.visitor)).length, 8);
    // Withdrawing is as easy as giving: one call, everything off.
    const off = (
      await choose({ visitor: first.visitor, categories: all(false), source: 'reject_all' })
    ).json<View>();
    assert.equal(off.channels['cookies.analytics'], false);
    assert.equal(off.consentMode.analytics_storage, 'denied');
  });

  it('lets a visitor turn Google Analytics off while keeping analytics on', async () => {
    const v = (
      await choose({
        categories: { ...all(false), analytics: true },
        googleAnalytics: false,
        source: 'choose',
      })
    ).json<View>();
    assert.equal(v.channels['cookies.analytics'], true);
    assert.equal(v.channels.google_analytics, false);
    assert.equal(v.categories.analytics, true);
    assert.equal(v.consentMode.analytics_storage, 'denied');
  });

  it('treats Sec-GPC: 1 as an opt-out of advertising recorded with cause gpc, and a later absence of GPC as no opt-in', async () => {
    const res = await choose({ categories: all(true), source: 'accept_all' }, { 'sec-gpc': '1' });
    const v = res.json<View>();
    assert.equal(v.channels['cookies.advertising'], false);
    assert.equal(v.channels['cookies.analytics'], true);
    assert.equal(v.gpc, true);
    assert.equal(v.consentMode.ad_storage, 'denied');
    assert.equal(v.consentMode.ad_user_data, 'denied');
    assert.equal(v.consentMode.ad_personalization, 'denied');
    assert.equal(v.consentMode.analytics_storage, 'granted');
    const gpp = new GppModel(v.gpp);
    assert.equal(gpp.getFieldValue('usnat', 'Gpc'), true);
    assert.equal(gpp.getFieldValue('usnat', 'TargetedAdvertisingOptOut'), 1);
    const ads = (await ledger(v.visitor)).filter((r) => r.channel === 'cookies.advertising');
    assert.deepEqual(
      ads.map((r) => [r.event, r.cause_type]),
      [['withdrawn', 'gpc']],
    );

    // Next visit without GPC, Accept all again: advertising stays off.
    const later = (
      await choose({ visitor: v.visitor, categories: all(true), source: 'accept_all' })
    ).json<View>();
    assert.equal(later.channels['cookies.advertising'], false);
    // An explicit per-category choice is an opt-in.
    const explicit = (
      await choose({ visitor: v.visitor, categories: all(true), source: 'choose' })
    ).json<View>();
    assert.equal(explicit.channels['cookies.advertising'], true);
  });

  it('records GPC sent in the body (navigator.globalPrivacyControl) on an existing refusal', async () => {
    const v = (await choose({ categories: all(false), source: 'reject_all' })).json<View>();
    const again = (
      await choose({ visitor: v.visitor, categories: all(false), source: 'choose', gpc: true })
    ).json<View>();
    assert.equal(again.gpc, true);
    const ads = (await ledger(v.visitor)).filter((r) => r.channel === 'cookies.advertising');
    assert.deepEqual(
      ads.map((r) => r.cause_type),
      ['cookie_banner', 'gpc'],
    );
  });

  it('records a bare GPC signal on advertising only, leaving the banner to ask the rest', async () => {
    const v = (await choose({ categories: {}, gpc: true, source: 'gpc_signal' })).json<View>();
    assert.equal(v.gpc, true);
    assert.equal(v.answered, false);
    assert.deepEqual(
      (await ledger(v.visitor)).map((r) => [r.channel, r.event, r.cause_type]),
      [['cookies.advertising', 'withdrawn', 'gpc']],
    );
    const noGpc = await choose({ categories: {}, source: 'gpc_signal' });
    assert.equal(noGpc.statusCode, 400);
    const withCategories = await choose({ categories: all(true), gpc: true, source: 'gpc_signal' });
    assert.equal(withCategories.statusCode, 400);
  });

  it('refuses a choice made on a banner of an older consentVersion, recording nothing', async () => {
    const before = await env()
      .store.db.selectFrom('consent_events')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    const res = await choose({ categories: all(true), source: 'accept_all', consentVersion: 'old-version' });
    assert.equal(res.statusCode, 409);
    assert.equal(res.json().error.code, 'VOW_CONSENT_VERSION_STALE');
    const after = await env()
      .store.db.selectFrom('consent_events')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(after.n), Number(before.n));
  });

  it('asks again when the consentVersion changed: a grant under an older version no longer counts', async () => {
    const visitor = await acceptedUnderOlderVersion(env(), {
      policyVersion: 'older',
      consentVersion: 'older',
    });
    const res = await env().app.inject({ method: 'POST', url: '/v1/consent/state', payload: { visitor } });
    const v = res.json<View>();
    assert.equal(v.answered, false);
    assert.equal(v.channels['cookies.analytics'], false);
    assert.equal(v.consentMode.analytics_storage, 'denied');
  });

  it('refuses unknown or required categories and unknown fields with stable codes', async () => {
    const unknown = await choose({ categories: { marketing: true }, source: 'choose' });
    assert.equal(unknown.statusCode, 400);
    assert.equal(unknown.json().error.code, 'VOW_COOKIE_CATEGORY_UNKNOWN');
    const required = await choose({ categories: { strictly_necessary: false }, source: 'choose' });
    assert.equal(required.json().error.code, 'VOW_COOKIE_CATEGORY_UNKNOWN');
    const extra = await choose({ categories: all(true), source: 'accept_all', email: 'x@y.z' });
    assert.equal(extra.statusCode, 400);
    assert.equal(extra.json().error.code, 'VOW_VALIDATION');
    const badId = await choose({ visitor: 'jane@example.com', categories: all(true), source: 'accept_all' });
    assert.equal(badId.json().error.code, 'VOW_VALIDATION');
  });

  it('accepts the script’s text/plain body (no CORS preflight) and audits the change with ids only', async () => {
    const res = await env().app.inject({
      method: 'POST',
      url: '/v1/consent/choices',
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
      payload: JSON.stringify({ categories: all(true), source: 'accept_all', consentVersion: cv() }),
    });
    assert.equal(res.statusCode, 200);
    const v = res.json<View>();
    const entries = await env().ctx.audit.list({
      targetType: 'visitor',
      targetId: env().services.cookieConsent.visitorIndex(v.visitor),
    });
    assert.equal(entries.length, 1);
    assert.equal(entries[0]?.action, 'consent.cookie_choice');
    assert.ok(!JSON.stringify(entries).includes(v.visitor));
    const bad = await env().app.inject({
      method: 'POST',
      url: '/v1/consent/choices',
      headers: { 'content-type': 'text/plain' },
      payload: '{not json',
    });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.code, 'VOW_BAD_JSON');
  });

  it('serves the banner configuration from the policy: categories, GA switch, consentVersion', async () => {
    const res = await env().app.inject({ method: 'GET', url: '/v1/consent/config' });
    const c = res.json();
    assert.equal(c.consentVersion, cv());
    assert.deepEqual(
      c.categories.map((x: { id: string }) => x.id),
      ['strictly_necessary', 'analytics', 'layout_experiments', 'advertising'],
    );
    assert.equal(c.categories.find((x: { id: string }) => x.id === 'advertising').gpcOptOut, true);
    assert.equal(c.categories.find((x: { id: string }) => x.id === 'analytics').gpcOptOut, false);
    assert.equal(c.googleAnalytics, true);
  });
});
