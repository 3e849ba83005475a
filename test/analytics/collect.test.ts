import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { beforeEach, it } from 'node:test';
import { RECENT_VISITOR_INDEXES } from '../../src/modules/cookie-consent/cookie-consent-service.js';
import type { GaPayload } from '../../src/modules/site-analytics/ga-forwarder.js';
import { describeEachDialect } from '../helpers/env.js';

const CHROME_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';

describeEachDialect('site measurements (POST /v1/collect)', (env) => {
  const sent: GaPayload[] = [];
  let failNext = false;
  beforeEach(() => {
    sent.length = 0;
    failNext = false;
    env().services.siteAnalytics.ga.useSender(async (p) => {
      if (failNext) throw new Error('network down');
      sent.push(p);
    });
  });

  const all = (on: boolean) => ({ analytics: on, layout_experiments: on, advertising: on });
  const visitorWith = async (body: Record<string, unknown>): Promise<string> => {
    const res = await env().app.inject({
      method: 'POST',
      url: '/v1/consent/choices',
      payload: { consentVersion: env().ctx.policy.consentVersion, ...body },
    });
    assert.equal(res.statusCode, 200);
    return res.json().visitor;
  };
  const collect = (payload: Record<string, unknown>, headers: Record<string, string> = {}) =>
    env().app.inject({
      method: 'POST',
      url: '/v1/collect',
      headers: { 'content-type': 'text/plain;charset=UTF-8', 'user-agent': CHROME_UA, ...headers },
      payload: JSON.stringify(payload),
    });
  const rowsOf = (visitor: string) =>
    env()
      .store.db.selectFrom('analytics_events')
      .selectAll()
      .where('visitor_id', '=', env().services.cookieConsent.visitorIndex(visitor))
      .orderBy('id')
      .execute();
  const counters = () => env().services.siteAnalytics.events.counters();

  it('drops and counts an event without analytics consent in the ledger, answering 204 all the same', async () => {
    const visitor = await visitorWith({ categories: all(false), source: 'reject_all' });
    const before = (await counters())['events.dropped.no_consent'] ?? 0;
    const res = await collect({ visitor, type: 'page_view', path: '/' });
    assert.equal(res.statusCode, 204);
    assert.deepEqual(await rowsOf(visitor), []);
    assert.equal((await counters())['events.dropped.no_consent'], before + 1);
    assert.deepEqual(sent, []);
    const metrics = await env().services.metrics.registry.getSingleMetricAsString(
      'vow_analytics_events_total',
    );
    assert.match(metrics, /outcome="dropped_no_consent"\} [1-9]/);
    const report = await env().app.inject({ method: 'GET', url: '/v1/collect/counters' });
    assert.equal(report.statusCode, 200);
    assert.equal(report.json().counters['events.dropped.no_consent'], before + 1);
  });

  it("does not take the page's word for it: an unknown visitor id is dropped", async () => {
    const stranger = env().services.cookieConsent.newVisitorId();
    assert.equal((await collect({ visitor: stranger, type: 'page_view', path: '/' })).statusCode, 204);
    assert.deepEqual(await rowsOf(stranger), []);
    const before = (await counters())['events.dropped.no_visitor'] ?? 0;
    assert.equal((await collect({ type: 'page_view', path: '/' })).statusCode, 204);
    assert.equal((await counters())['events.dropped.no_visitor'], before + 1);
  });

  it('stores a consented page view scrubbed: no query values of contact data, no fragment, browser family only', async () => {
    const visitor = await visitorWith({ categories: all(true), source: 'accept_all' });
    env().clock.set('2026-03-01T10:00:00.000Z');
    const res = await collect({
      visitor,
      type: 'page_view',
      path: '/products/ring?utm_source=news&email=jane%40example.com&color=gold&phone=%2B14155550100#top',
    });
    assert.equal(res.statusCode, 204);
    const [row] = await rowsOf(visitor);
    assert.ok(row);
    assert.equal(row.path, '/products/ring?color=gold');
    assert.equal(row.area, 'product');
    assert.equal(row.browser_family, 'chrome');
    assert.equal(row.type, 'page_view');
    assert.equal(row.at, '2026-03-01T10:00:00.000Z');
    assert.notEqual(row.visitor_id, visitor);
    assert.ok(!JSON.stringify(row).includes('Mozilla'));
  });

  it('stores engagement durations, add-to-cart and order values, and forwards them to GA through the allow-list', async () => {
    const visitor = await visitorWith({ categories: all(true), source: 'accept_all' });
    await collect({ visitor, type: 'engagement', path: '/cart', durationMs: 15000 });
    await collect({
      visitor,
      type: 'add_to_cart',
      path: '/p/1',
      area: 'product',
      valueCents: 129900,
      currency: 'USD',
    });
    await collect({
      visitor,
      type: 'order_completed',
      path: '/checkout/done',
      valueCents: 129900,
      currency: 'USD',
    });
    const rows = await rowsOf(visitor);
    assert.deepEqual(
      rows.map((r) => [
        r.type,
        r.area,
        r.duration_ms,
        r.value_cents === null ? null : Number(r.value_cents),
        r.currency,
      ]),
      [
        ['engagement', 'cart', 15000, null, null],
        ['add_to_cart', 'product', null, 129900, 'USD'],
        ['order_completed', 'checkout', null, 129900, 'USD'],
      ],
    );
    assert.equal(sent.length, 3);
    assert.deepEqual(
      sent.map((p) => p.events[0]?.name),
      ['user_engagement', 'add_to_cart', 'purchase'],
    );
    assert.deepEqual(sent[1]?.events[0]?.params, {
      value: 1299,
      currency: 'USD',
      page_area: 'product',
      browser_family: 'chrome',
    });
    assert.equal(sent[0]?.events[0]?.params.engagement_time_msec, 15000);
    // GA's client id is neither the cookie id nor Vow's own visitor id.
    const clientIds = new Set(sent.map((p) => p.client_id));
    assert.equal(clientIds.size, 1);
    assert.ok(!clientIds.has(visitor) && !clientIds.has(rows[0]!.visitor_id));
    // Each forward is logged (ga_forwards, the disclosure log) and audited.
    const forwards = await env()
      .store.db.selectFrom('ga_forwards')
      .selectAll()
      .where('visitor_id', '=', rows[0]!.visitor_id)
      .execute();
    assert.deepEqual(
      forwards.map((f) => [f.event_type, f.status]),
      [
        ['engagement', 'sent'],
        ['add_to_cart', 'sent'],
        ['order_completed', 'sent'],
      ],
    );
    const tables = await env().store.db.introspection.getTables();
    if (tables.some((t) => t.name === 'disclosures')) {
      const disclosures = await env()
        .store.db.selectFrom('disclosures')
        .selectAll()
        .where('subject_id', '=', `visitor:${rows[0]!.visitor_id}`)
        .execute();
      assert.equal(disclosures.length, 3);
      assert.ok(disclosures.every((d) => d.recipient === 'google_analytics'));
    }
    const audit = await env().ctx.audit.list({ targetType: 'visitor', targetId: rows[0]!.visitor_id });
    assert.equal(audit.filter((a) => a.action === 'disclosure.sent').length, 3);
  });

  it('stores but never forwards to GA when the visitor opted out of Google Analytics', async () => {
    const visitor = await visitorWith({
      categories: { ...all(false), analytics: true },
      googleAnalytics: false,
      source: 'choose',
    });
    await collect({ visitor, type: 'page_view', path: '/' });
    assert.equal((await rowsOf(visitor)).length, 1);
    assert.deepEqual(sent, []);
  });

  it('stops storing the moment consent is withdrawn', async () => {
    const visitor = await visitorWith({ categories: all(true), source: 'accept_all' });
    await collect({ visitor, type: 'page_view', path: '/' });
    await visitorWith({ visitor, categories: all(false), source: 'reject_all' });
    await collect({ visitor, type: 'page_view', path: '/again' });
    assert.deepEqual(
      (await rowsOf(visitor)).map((r) => r.path),
      ['/'],
    );
  });

  it('keeps the event and logs the failure when GA cannot be reached', async () => {
    const visitor = await visitorWith({ categories: all(true), source: 'accept_all' });
    failNext = true;
    assert.equal((await collect({ visitor, type: 'page_view', path: '/' })).statusCode, 204);
    assert.equal((await rowsOf(visitor)).length, 1);
    const f = await env()
      .store.db.selectFrom('ga_forwards')
      .select('status')
      .where('visitor_id', '=', env().services.cookieConsent.visitorIndex(visitor))
      .execute();
    assert.deepEqual(f, [{ status: 'failed' }]);
  });

  it('refuses malformed events with a stable code and stores nothing', async () => {
    const visitor = await visitorWith({ categories: all(true), source: 'accept_all' });
    for (const bad of [
      { visitor, type: 'purchase', path: '/' },
      { visitor, type: 'page_view' },
      { visitor, type: 'page_view', path: '/', email: 'jane@example.com' },
      { visitor, type: 'add_to_cart', path: '/', valueCents: -5, currency: 'USD' },
      { visitor, type: 'add_to_cart', path: '/', valueCents: 5, currency: 'dollars' },
    ]) {
      const res = await collect(bad);
      assert.equal(res.statusCode, 400, JSON.stringify(bad));
      assert.equal(res.json().error.code, 'VOW_VALIDATION');
    }
    assert.deepEqual(await rowsOf(visitor), []);
  });

  it('serves the consent script with a long cache and the SRI hash that /v1/consent/script-info announces', async () => {
    const info = (await env().app.inject({ method: 'GET', url: '/v1/consent/script-info' })).json();
    assert.match(info.integrity, /^sha384-[A-Za-z0-9+/]+=*$/);
    const src = new URL(info.src);
    const script = await env().app.inject({ method: 'GET', url: `${src.pathname}${src.search}` });
    assert.equal(script.statusCode, 200);
    assert.match(String(script.headers['cache-control']), /max-age=31536000/);
    assert.match(String(script.headers['content-type']), /javascript/);
    const digest = `sha384-${createHash('sha384').update(script.rawPayload).digest('base64')}`;
    assert.equal(info.integrity, digest);
    assert.ok(info.tag.includes(`integrity="${digest}"`) && info.tag.includes('crossorigin="anonymous"'));
    assert.ok(!/<script>/.test(script.body), 'no inline script');
  });

  it('serves a demo storefront that carries the script with its integrity hash and no inline script', async () => {
    const res = await env().app.inject({ method: 'GET', url: '/demo/store' });
    assert.equal(res.statusCode, 200);
    const info = (await env().app.inject({ method: 'GET', url: '/v1/consent/script-info' })).json();
    assert.ok(res.body.includes(`integrity="${info.integrity}"`));
    assert.ok(!/<script(?![^>]*\bsrc=)[^>]*>/.test(res.body), 'every script has a src');
    assert.ok(!/\sstyle=/.test(res.body), 'no style attribute');
  });
  it('writes concurrent measurements together (group commit): each answered after its batch, each judged by its own consent', async () => {
    const yes = await visitorWith({ categories: all(true), source: 'accept_all' });
    const no = await visitorWith({ categories: all(false), source: 'reject_all' });
    const withdrawn = await visitorWith({ categories: all(true), source: 'accept_all' });
    await visitorWith({ visitor: withdrawn, categories: all(false), source: 'reject_all' });
    const before = await counters();
    const { events } = env().services.siteAnalytics;
    const mix = Array.from({ length: 60 }, (_, i) => [yes, no, withdrawn, undefined][i % 4]);
    const outcomes = await Promise.all(
      mix.map((visitor, i) => events.collect({ visitor, type: 'page_view', path: `/page/${i}` })),
    );
    assert.deepEqual(
      outcomes.map((o) => (o.outcome === 'stored' ? 'stored' : o.reason)),
      mix.map((v) => (v === yes ? 'stored' : v === undefined ? 'no_visitor' : 'no_consent')),
    );
    assert.equal((await rowsOf(yes)).length, 15);
    assert.deepEqual(await rowsOf(no), []);
    assert.deepEqual(await rowsOf(withdrawn), []);
    const after = await counters();
    const delta = (k: string) => (after[k] ?? 0) - (before[k] ?? 0);
    assert.equal(delta('events.stored'), 15);
    assert.equal(delta('events.dropped.no_consent'), 30);
    assert.equal(delta('events.dropped.no_visitor'), 15);
  });

  it('stores every column of every row of one batch as given, whatever the batch size', async () => {
    const visitor = await visitorWith({ categories: all(true), source: 'accept_all' });
    env().clock.set('2026-04-02T08:30:00.000Z');
    const { events } = env().services.siteAnalytics;
    const kinds = [
      { type: 'page_view', path: '/rings', area: 'catalog' },
      { type: 'engagement', path: '/cart', durationMs: 4200 },
      { type: 'add_to_cart', path: '/p/7', area: 'product', valueCents: 12345, currency: 'EUR' },
      { type: 'order_completed', path: '/checkout/done', valueCents: 99, currency: 'USD' },
    ] as const;
    // 1, 3 and 130 rows: one INSERT each, and (130) two INSERTs of one transaction.
    for (const size of [1, 3, 130]) {
      await env().store.db.deleteFrom('analytics_events').execute();
      const inputs = Array.from({ length: size }, (_, i) => ({
        ...kinds[i % 4]!,
        path: `${kinds[i % 4]!.path}/${i}`,
      }));
      await Promise.all(
        inputs.map((input) => events.collect({ visitor, ...input }, { userAgent: CHROME_UA })),
      );
      const rows = await rowsOf(visitor);
      assert.equal(rows.length, size);
      const index = env().services.cookieConsent.visitorIndex(visitor);
      assert.deepEqual(
        rows.map((r) => ({
          visitor_id: r.visitor_id,
          type: r.type,
          area: r.area,
          path: r.path,
          duration_ms: r.duration_ms,
          value_cents: r.value_cents === null ? null : Number(r.value_cents),
          currency: r.currency,
          browser_family: r.browser_family,
          at: r.at,
        })),
        inputs.map((input) => ({
          visitor_id: index,
          type: input.type,
          area: 'area' in input ? input.area : input.type === 'engagement' ? 'cart' : 'checkout',
          path: input.path,
          duration_ms: 'durationMs' in input ? input.durationMs : null,
          value_cents: 'valueCents' in input ? input.valueCents : null,
          currency: 'currency' in input ? input.currency : null,
          browser_family: 'chrome',
          at: '2026-04-02T08:30:00.000Z',
        })),
        `batch of ${size}`,
      );
    }
  });

  it('remembers the blind indexes of recent visitors only up to its bound, and they equal the vault index', () => {
    const consent = env().services.cookieConsent;
    const vault = env().ctx.vault;
    const original = vault.blindIndex.bind(vault);
    let computed = 0;
    vault.blindIndex = (kind, value) => {
      computed++;
      return original(kind, value);
    };
    try {
      const first = 'AAAAAAAAAAAAAAAAAAAAAA';
      assert.equal(consent.visitorIndex(first), original('cookie', first));
      assert.equal(consent.visitorIndex(first), original('cookie', first));
      assert.equal(computed, 1, 'the second call is remembered');
      for (let i = 0; i < RECENT_VISITOR_INDEXES; i++) consent.visitorIndex(`visitor-${i}`);
      computed = 0;
      assert.equal(consent.visitorIndex(first), original('cookie', first));
      assert.equal(computed, 1, 'the oldest was forgotten once the bound was reached');
    } finally {
      vault.blindIndex = original;
    }
  });

  it('answers no measurement of a batch that could not be written, and counts none of it', async () => {
    const visitor = await visitorWith({ categories: all(true), source: 'accept_all' });
    const before = await counters();
    const db = env().store.db;
    const original = db.transaction.bind(db);
    let failed = 0;
    db.transaction = (() => ({
      execute: async () => {
        failed++;
        throw new Error('disk I/O error');
      },
    })) as unknown as typeof db.transaction;
    try {
      const results = await Promise.allSettled(
        [1, 2, 3].map(() =>
          env().services.siteAnalytics.events.collect({ visitor, type: 'page_view', path: '/' }),
        ),
      );
      assert.deepEqual(
        results.map((r) => r.status),
        ['rejected', 'rejected', 'rejected'],
      );
      assert.ok(failed >= 1);
    } finally {
      db.transaction = original;
    }
    assert.deepEqual(await rowsOf(visitor), []);
    assert.deepEqual(await counters(), before);
    // The writer is not stuck: the next measurement is stored.
    const next = await env().services.siteAnalytics.events.collect({ visitor, type: 'page_view', path: '/' });
    assert.equal(next.outcome, 'stored');
  });
});
