// The staff console in Chromium, logged in as each role through the log-in form (real access
// control, staff accounts made through the staff service): each role sees only what it may, people
// are looked up without any personal value or subject id in a URL, forms work by keyboard, nothing
// breaks the CSP. Also writes the README's screenshots (docs/screenshots/*.png) from a demo-like
// dataset.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { catalogBody, giftRecipient, orderBody } from '../collection/fixtures.js';
import { serviceCaller } from '../helpers/auth.js';
import { consoleInChromium, SKIP_BROWSER } from '../helpers/browser.js';

// Screenshots are still taken (a page that cannot render fails), into a throw-away folder: the
// docs' screenshots come from `npm run screenshots`.
const SHOTS = `${mkdtempSync(path.join(tmpdir(), 'vow-shots-'))}/`;
const LOOKED_UP = 'cara.catalog1@example.com';

function watch(page: Page): { errors: string[]; urls: string[] } {
  const errors: string[] = [];
  const urls: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    // A refused page answers JSON, for which Chromium then asks /favicon.ico (not a page request);
    // failed page requests are caught by the response listener below instead.
    if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) errors.push(m.text());
  });
  page.on('request', (r) => urls.push(r.url()));
  page.on('response', (r) => {
    if (r.status() === 404 || r.status() >= 500)
      errors.push(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`);
  });
  return { errors, urls };
}

describe('staff console in Chromium, by role', {
  skip: SKIP_BROWSER ? 'no Chromium on this machine' : false,
}, () => {
  const at = consoleInChromium({ width: 1280, height: 900 });
  const { logIn } = at;

  const navLinks = async (page: Page) =>
    page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents();

  before(async () => {
    // A demo-like shop: orders (some with gift recipients), catalog requests, requests and complaints.
    const service = await serviceCaller(at.env);
    const post = async (url: string, payload: object) => {
      const res = await at.env.app.inject({ method: 'POST', url, headers: service.writeHeaders, payload });
      assert.ok(res.statusCode < 300, `${url}: ${res.statusCode} ${res.body}`);
      return res.json();
    };
    for (let n = 1; n <= 4; n++) await post('/v1/catalog-requests', catalogBody(n));
    for (let n = 1; n <= 3; n++)
      await post('/v1/orders', orderBody(`D${n}`, n === 1 ? { gift_recipient: giftRecipient(n) } : {}));
    await post('/v1/orders', orderBody('D9', { buyer: { ...orderBody('D9').buyer, email: LOOKED_UP } }));
    await post('/v1/disclosures', { recipient: 'carrier', purpose: 'order.fulfilment', orderId: 'SO-D9' });
    const { rights, complaints } = at.env.services;
    const asStaff = { channel: 'email' as const, staffId: 'demo' };
    await rights.submit(
      { type: 'access', jurisdiction: 'eea', email: 'old.request@example.com' },
      { ...asStaff, receivedOn: '2025-11-28' },
    );
    await rights.submit(
      { type: 'deletion', jurisdiction: 'us-ca', email: 'del.request@example.com' },
      { ...asStaff, receivedOn: '2026-01-09' },
    );
    await rights.submit(
      {
        type: 'correction',
        jurisdiction: 'uk',
        email: LOOKED_UP,
        correction: { category: 'identity.name', value: 'Cara C.' },
      },
      { ...asStaff, receivedOn: '2026-01-14' },
    );
    await complaints.submit(
      { jurisdiction: 'eea', email: 'unhappy@example.com', message: 'You kept mailing me.' },
      { channel: 'web' },
    );
    await at.env.services.promises.monitor.check();
  });

  it('the privacy officer sees the promise table, the queue by deadline and a person looked up without the email in any URL', async () => {
    const page = await logIn('olivia', ['privacy_officer']);
    const seen = watch(page);
    assert.deepEqual(await navLinks(page), [
      'Privacy notice',
      'Dashboard',
      'People',
      'Requests',
      'Complaints',
      'Suppressions',
      'Under-13 reports',
      'Appeals',
      'Incidents',
      'Audiences',
      'Experiments',
      'Reports',
      'Audit trail',
      'Record of processing',
      'Staff accounts',
      'API keys',
      'Recipient tasks',
      'Webhooks',
      'Imports',
      'Policy',
    ]);
    const promiseRows = page.getByTestId('promise-table').locator('tbody tr');
    assert.equal(await promiseRows.count(), Object.keys(at.env.ctx.policy.doc.promises).length);
    assert.match(
      (await page.getByTestId('request-summary').textContent()) ?? '',
      /3 open requests, 1 overdue/,
    );
    // The overdue request breaks a deadline promise: the row is flagged with the record's id as evidence.
    const broken = page.locator('tr[data-status="broken"]');
    assert.ok((await broken.count()) >= 1);
    assert.match(
      (await broken.first().locator('code.ids').textContent()) ?? '',
      /rights_requests:[0-9a-f-]{36}/,
    );
    await page.screenshot({ path: `${SHOTS}dashboard.png`, fullPage: true });

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Requests' }).click();
    await page.getByRole('heading', { name: 'Privacy requests' }).waitFor();
    const first = page.getByTestId('request-queue').locator('tbody tr').first();
    assert.equal(await first.locator('[data-overdue]').getAttribute('data-overdue'), 'yes');
    await page.screenshot({ path: `${SHOTS}request-queue.png`, fullPage: true });

    // Every console page carries the same menu; the person look-up is one link away.
    await page.goto(`${at.base}/staff/people`);
    await page.getByLabel('Email').fill(LOOKED_UP);
    await page.getByRole('button', { name: 'Find' }).click();
    await page.getByRole('heading', { name: 'Person', exact: true }).waitFor();
    const held = (await page.getByTestId('person-identifiers').textContent()) ?? '';
    assert.match(held, /cara\.catalog1@example\.com/);
    assert.match(held, /1 Catalog Road/);
    assert.equal(await page.getByTestId('person-disclosures').locator('tbody tr').count(), 1);
    assert.match((await page.locator('main').textContent()) ?? '', /Correction: Identity not yet verified/);
    await page.screenshot({ path: `${SHOTS}person.png`, fullPage: true });
    const subjectId = (await page.getByTestId('person-id').textContent()) ?? '';
    assert.ok(subjectId.length > 10);
    // The same person by the number of an order they placed, as a customer quotes it.
    await page.goto(`${at.base}/staff/people`);
    await page.getByLabel('or order number').fill('#SO-D9');
    await page.getByRole('button', { name: 'Find' }).click();
    await page.getByRole('heading', { name: 'Person', exact: true }).waitFor();
    assert.equal(await page.getByTestId('person-id').textContent(), subjectId);
    for (const u of seen.urls) {
      assert.ok(
        !u.includes('catalog1') && !u.includes('%40') && !u.includes(subjectId) && !u.includes('SO-D9'),
        `no person in ${u}`,
      );
    }
    assert.equal(new URL(page.url()).pathname, '/staff/people');
    assert.deepEqual(seen.errors, []);
  });

  it('every console page has one h1, a main landmark, a working skip link and a label for every field', async () => {
    const page = await logIn('pat', ['privacy_officer']);
    const seen = watch(page);
    const pages: [url: string, current: string][] = [
      ['/staff', '/staff'],
      ['/staff/people', '/staff/people'],
      ['/staff/requests', '/staff/requests'],
      ['/staff/log-request', '/staff/requests'],
      ['/staff/complaints', '/staff/complaints'],
      ['/staff/audiences', '/staff/audiences'],
      ['/staff/experiments', '/staff/experiments'],
      ['/staff/reports', '/staff/reports'],
      ['/staff/audit', '/staff/audit'],
      ['/staff/accounts', '/staff/accounts'],
    ];
    for (const [url, current] of pages) {
      await page.goto(`${at.base}${url}`);
      const report = await page.evaluate(() => {
        const fields = Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea'));
        return {
          h1: document.querySelectorAll('h1').length,
          main: document.querySelectorAll('main#main').length,
          skip: document.querySelector('a.skip')?.getAttribute('href'),
          unlabelled: fields
            .filter((f) => (f as HTMLInputElement).labels?.length === 0 && !f.getAttribute('aria-label'))
            .map((f) => f.outerHTML),
          current: document.querySelector('nav [aria-current="page"]')?.getAttribute('href'),
        };
      });
      assert.deepEqual(report, { h1: 1, main: 1, skip: '#main', unlabelled: [], current }, url);
    }
    assert.deepEqual(seen.errors, []);
  });

  it('customer service suppresses someone from the catalog mailing by keyboard, and has no audiences or audit trail', async () => {
    const page = await logIn('casey', ['customer_service']);
    const seen = watch(page);
    assert.deepEqual(await navLinks(page), [
      'Privacy notice',
      'Dashboard',
      'People',
      'Requests',
      'Complaints',
      'Suppressions',
    ]);
    // The skip link is the first thing the keyboard reaches.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content');
    await page.goto(`${at.base}/staff/people`);
    await page.getByLabel('Email').focus();
    await page.keyboard.type('cara.catalog2@example.com');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Person', exact: true }).waitFor();
    await page.getByLabel('Channel').selectOption('postal_marketing');
    await page.getByLabel(/Reason/).fill('asked on the phone to stop the catalog');
    await page.getByLabel(/Reason/).press('Enter');
    // The confirmation step says what cannot be undone; confirmed by keyboard.
    await page.getByTestId('confirmation').waitFor();
    await page.getByTestId('confirm-button').focus();
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Suppressed from postal_marketing' }).waitFor();
    const states = (await page.getByTestId('person-consent-state').textContent()) ?? '';
    assert.match(states, /postal marketing\s*withdrawn/);
    for (const url of ['/staff/audit', '/staff/audiences', '/staff/accounts']) {
      const res = await page.goto(`${at.base}${url}`);
      assert.equal(res?.status(), 403, url);
    }
    assert.deepEqual(seen.errors, []);
  });

  it('marketing gets audiences and reports, no person search in the navigation and 403 on the person pages', async () => {
    const page = await logIn('morgan', ['marketing']);
    const seen = watch(page);
    const nav = await navLinks(page);
    assert.deepEqual(nav, ['Privacy notice', 'Dashboard', 'Audiences', 'Experiments', 'Reports']);
    assert.equal(await page.getByTestId('promise-table').count(), 0);
    assert.equal((await page.goto(`${at.base}/staff/people`))?.status(), 403);
    assert.equal((await page.goto(`${at.base}/staff/requests`))?.status(), 403);
    await page.goto(`${at.base}/staff/audiences`);
    const link = page.getByRole('link', { name: /^CSV of email_marketing for marketing\.email$/ });
    const download = await page.request.get(`${at.base}${await link.getAttribute('href')}`);
    assert.equal(download.status(), 200);
    const csv = await download.text();
    assert.match(csv, /^"subject_id","email"\r?\n/);
    assert.match(csv, /cara\.catalog3@example\.com/);
    assert.doesNotMatch(csv, /greta/, 'a gift recipient is never in a marketing audience (P3)');
    assert.deepEqual(seen.errors, []);
  });

  it('the auditor reads the audit trail and verifies the chain, but never reaches people', async () => {
    const page = await logIn('avery', ['auditor']);
    const seen = watch(page);
    assert.deepEqual(await navLinks(page), [
      'Privacy notice',
      'Dashboard',
      'Audit trail',
      'Record of processing',
    ]);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit trail' }).click();
    await page.getByRole('heading', { name: 'Audit trail' }).waitFor();
    const table = (await page.getByTestId('audit-table').textContent()) ?? '';
    assert.match(table, /person\.viewed/);
    assert.match(table, /consent\.suppressed|suppressed/);
    assert.doesNotMatch(table, /@example\.com/);
    await page.getByRole('button', { name: 'Verify the chain' }).click();
    await page.getByTestId('audit-verify').waitFor();
    assert.equal(await page.getByTestId('audit-verify').getAttribute('data-ok'), 'yes');
    assert.equal((await page.goto(`${at.base}/staff/people`))?.status(), 403);
    assert.deepEqual(seen.errors, []);
  });

  it('the admin manages staff accounts and sees nothing about people or the audit trail', async () => {
    const page = await logIn('adrian', ['admin']);
    const seen = watch(page);
    assert.deepEqual(await navLinks(page), [
      'Privacy notice',
      'Dashboard',
      'Staff accounts',
      'API keys',
      'Webhooks',
      'Imports',
      'Policy',
    ]);
    await page.goto(`${at.base}/staff/accounts`);
    await page.getByLabel('User name').fill('newbie');
    await page.locator('form[action="/staff/accounts"]').getByLabel('customer service').check();
    await page.getByRole('button', { name: 'Add' }).click();
    await page.getByTestId('one-time-password').waitFor();
    assert.match(
      (await page.getByTestId('staff-accounts').textContent()) ?? '',
      /newbie\s*customer service\s*waiting for first log-in/,
    );
    assert.equal((await page.goto(`${at.base}/staff/audit`))?.status(), 403);
    assert.equal((await page.goto(`${at.base}/staff/people`))?.status(), 403);
    assert.deepEqual(seen.errors, []);
  });
});
