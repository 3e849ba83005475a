// The shopper pages' building blocks without a browser: a browser gets an HTML error page with a way
// back while an API client keeps the JSON body; "my data" in plain words hides secrets and internal
// names and keeps one record per row; a deleted account never reads "Signed in as [deleted]".
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { accountErased, renderMyDataPage } from '../../src/http/pages/account.js';
import { renderComplaintForm } from '../../src/http/pages/complaints.js';
import { plainData, plainDataCsv } from '../../src/http/pages/plain-data.js';
import { exemptionsView, plainDataView } from '../../src/http/pages/plain-data-view.js';
import { renderRequestForm } from '../../src/http/pages/requests.js';
import { languageSwitch, switchBack } from '../../src/http/pages/shopper-layout.js';
import { shopperCaller } from '../helpers/auth.js';
import { createTestEnv, type TestEnv } from '../helpers/env.js';

const HTML = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

describe('shopper pages: errors, plain data', () => {
  let env: TestEnv & { close: () => Promise<void> };
  before(async () => {
    env = await createTestEnv('sqlite', { auth: 'enforced', rateLimits: false });
  });
  after(async () => {
    await env?.close();
  });

  it('answers a browser a 404 page with a way back, an API client the JSON body', async () => {
    const page = await env.app.inject({ method: 'GET', url: '/privcy', headers: HTML });
    assert.equal(page.statusCode, 404);
    assert.match(String(page.headers['content-type']), /text\/html/);
    assert.match(page.body, /Page not found/);
    assert.match(page.body, /href="\/privacy"/);
    assert.doesNotMatch(page.body, /"error"/);
    const api = await env.app.inject({
      method: 'GET',
      url: '/privcy',
      headers: { accept: 'application/json' },
    });
    assert.equal(api.statusCode, 404);
    assert.equal(api.json().error.code, 'VOW_NOT_FOUND');
    const fetched = await env.app.inject({ method: 'GET', url: '/privcy' });
    assert.equal(fetched.json().error.code, 'VOW_NOT_FOUND', 'no Accept: JSON');
    const v1 = await env.app.inject({ method: 'GET', url: '/v1/nothing-here', headers: HTML });
    assert.equal(v1.json().error.code, 'VOW_NOT_FOUND', 'the JSON API stays JSON');
  });

  it('answers a truncated emailed link with a page saying so', async () => {
    const res = await env.app.inject({ method: 'GET', url: '/privacy/request/status/cut', headers: HTML });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /This link is not valid/);
    assert.match(res.body, /open the whole link/);
  });

  it('shows a verified shopper with no linked data a page, not JSON, when a request cannot start', async () => {
    const shopper = await shopperCaller(env, 'nobody.known@example.com');
    const res = await env.app.inject({
      method: 'POST',
      url: '/account/requests',
      headers: { ...shopper.writeHeaders, ...HTML, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'type=deletion&jurisdiction=other&confirm=yes',
    });
    assert.equal(res.statusCode, 403);
    assert.match(String(res.headers['content-type']), /text\/html/);
    assert.match(res.body, /Confirm your email address first/);
    assert.match(res.body, /href="\/privacy"/);
  });

  it('chooses no place for a shopper: the request and complaint forms start on "Choose where you live"', () => {
    const es = { signedIn: false, locale: 'es-US', path: '/privacy/request' } as const;
    for (const [page, id] of [
      [renderRequestForm(env.ctx.policy, 'csrf'), 'jurisdiction'],
      [renderComplaintForm(env.ctx.policy, 'csrf'), 'c-jurisdiction'],
      [renderRequestForm(env.ctx.policy, 'csrf', es), 'jurisdiction'],
    ] as const) {
      const select = new RegExp(`<select id="${id}" name="jurisdiction" required[^>]*>(.*?)</select>`).exec(
        page,
      );
      assert.ok(select, `${id} is a required list`);
      assert.match(
        select[1] ?? '',
        /^<option value=""( selected)?>(Choose where you live|Elija dónde vive)<\/option><option value="eea">/,
      );
      assert.doesNotMatch(select[1] ?? '', /value="[^"]+" selected/, 'no place chosen for them');
    }
  });

  it('never copies a token or an address from the page’s path into the language switch', async () => {
    assert.equal(switchBack('/privacy/request'), '/privacy/request');
    assert.equal(switchBack('/account/my-data'), '/account/my-data');
    const token = 'CWbXBctS7BAT63oVXKl30ii1PloTQM8KytEG5tuzW84';
    for (const path of [`/privacy/request/status/${token}`, `/u/${token}`, '/u/bob.other@example.com'])
      assert.equal(switchBack(path), undefined, path);
    const html = String(languageSwitch({ signedIn: false, locale: 'en-US', path: `/u/${token}` }));
    assert.doesNotMatch(html, new RegExp(token));
    assert.match(html, /href="\/language\?to=es-US"/);
    const page = await env.app.inject({ url: `/privacy/request/status/${token}`, headers: HTML });
    assert.doesNotMatch(page.body.replace(/<link[^>]*>/g, ''), /back=[^"]*CWbX/);
  });

  it('leads a browser on a console address back to the console', async () => {
    const res = await env.app.inject({ method: 'GET', url: '/staff/nowhere', headers: HTML });
    assert.equal(res.statusCode, 404);
    // The console's own error page answers under /staff: its way back is the console (its log-in
    // for a browser without a staff session).
    assert.match(res.body, /href="\/staff(\/login)?"/);
    assert.doesNotMatch(res.body, /href="\/account\/my-data"/);
  });

  it('words stored values: one record per row, policy descriptions, no hash, fingerprint or internal name', () => {
    const policy = env.ctx.policy;
    const row = (
      column: string,
      value: unknown,
      category = 'consent.history',
      purposes = ['consent.record_keeping'],
    ) => ({
      dataset: 'vow',
      table: 'consent_events',
      column,
      row: 'ev-1',
      category,
      purposes,
      value,
    });
    const data = plainData(
      policy,
      [
        row('channel', 'email_marketing'),
        row('event', 'enrolled'),
        row('at', '2026-01-15T12:00:00.000Z'),
        { ...row('channel', 'sms_marketing'), row: 'ev-2' },
        {
          dataset: 'vow',
          table: 'shopper_accounts',
          column: 'password_hash',
          row: 'a',
          category: 'account.credentials',
          purposes: ['account.service'],
          value: '$argon2id$v=19$secret',
        },
        {
          dataset: 'vow',
          table: 'shopper_accounts',
          column: 'email_index',
          row: 'a',
          category: 'contact.email',
          purposes: ['account.service'],
          value: 'f00d',
        },
        {
          dataset: 'vow',
          table: 'orders',
          column: 'items',
          row: 'o',
          category: 'commerce.order_history',
          purposes: ['order.fulfilment'],
          value: '[{"sku":"R1","unit_price_cents":1250}]',
        },
      ],
      '2026-02-01T00:00:00.000Z',
    );
    const text = JSON.stringify(data) + plainDataCsv(data);
    const consent = data.sections.find((s) => s.title === 'Your consent history')!;
    assert.equal(consent.records.length, 2, 'one consent event per record');
    assert.deepEqual(
      consent.records[0]!.fields.map((f) => f.value),
      ['Our email marketing program', 'enrolled', '15 Jan 2026, 12:00 UTC'],
    );
    assert.deepEqual(consent.usedFor, ['Keeping proof of consent choices, enrolments and unsubscribes']);
    assert.equal(consent.keptOnDeletion?.title, 'Suppression list');
    assert.match(consent.keptOnDeletion?.source ?? '', /^Unsubscribing will permanently remove/);
    assert.match(text, /Item number: R1, Unit price: 12\.50/);
    for (const bad of [
      /argon2/,
      /f00d/,
      /consent_events|password_hash|email_index|shopper_accounts/,
      /consent\.record_keeping|email_marketing/,
    ])
      assert.doesNotMatch(text, bad);
    const values = data.sections.flatMap((s) => s.records.flatMap((r) => r.fields.map((f) => f.value)));
    assert.ok(
      values.every((v) => !/[[{]"/.test(v)),
      'no raw JSON',
    );
    assert.equal(data.notShown.length, 2, 'the password and the fingerprint are named, not shown');
    assert.ok(data.exemptions.some((e) => /order history/.test(e.why)));
    // What the law makes us keep is one entry, not one "Legal retention" per purpose.
    const legal = data.exemptions.filter((e) => e.title === 'Legal retention');
    assert.equal(legal.length, 1);
    assert.ok(legal[0]!.what.length >= 2, 'naming each record the law keeps');
    const kept = String(exemptionsView(data));
    assert.equal(kept.match(/Legal retention/g)?.length, 1);
    assert.match(kept, /Our privacy policy: “Exclusions include data necessary/);
    assert.doesNotMatch(
      kept,
      /Our privacy policy: “The law requires/,
      'Vow’s own words are not quoted as the policy’s',
    );
  });

  it('lists several purposes one a line, and names what a deletion keeps with the policy’s words under it', () => {
    const section = {
      id: 'vow-orders',
      title: 'Your orders',
      heldIn: 'Held in our privacy records',
      information: ['Orders, items, totals and their dates'],
      usedFor: ['Packing and shipping an order', 'Taking payment for an order'],
      keptOnDeletion: {
        title: 'Data necessary to service <our> customers',
        source: 'Exclusions include order history.',
      },
      records: [],
    };
    const data = { controller: 'Shop', generatedAt: '', sections: [section], exemptions: [], notShown: [] };
    const en = String(plainDataView(data, 'nothing'));
    assert.match(en, /<dd>Orders, items, totals and their dates<\/dd>/, 'one kind: words, not a list');
    assert.match(
      en,
      /<ul class="plain-list"><li>Packing and shipping an order<\/li><li>Taking payment for an order<\/li><\/ul>/,
    );
    assert.doesNotMatch(en, /an order; /, 'no semicolon walls');
    assert.match(en, /We keep it: <strong>Data necessary to service &lt;our&gt; customers<\/strong>/);
    assert.match(
      en,
      /<span class="small policy-words">Our privacy policy: “Exclusions include order history\.”<\/span>/,
    );
    const es = String(plainDataView(data, 'nada', 'es-US'));
    assert.match(es, /La conservamos: <strong>/);
    assert.match(es, /Nuestra política de privacidad: «Exclusions include order history\.»/);
  });

  it('never shows "Signed in as [deleted]" once the data is deleted', () => {
    const view = {
      account: { email: '[deleted]', verified: true, createdAt: '2026-01-01T00:00:00Z' },
      linked: true,
      categories: [],
      sources: ['account'],
      notes: [],
      generatedAt: '2026-02-01T00:00:00Z',
    };
    assert.equal(accountErased(view), true);
    const html = renderMyDataPage(env.ctx.policy, 'token', view);
    assert.doesNotMatch(html, /Signed in as/);
    assert.match(html, /Your data was deleted at your request/);
    assert.match(html, /We hold nothing about you besides your account/);
  });
});
