// The console with the longest values a shopper may give, in Chromium: a 254-character email
// address (the most an address may have), a 200-character name and a name in Arabic (right to
// left). At 1280 px the request queue and a person's "What we hold" keep every column in view (the
// address widened its column until the rest scrolled out of sight), the queue's search finds the
// 254-character address (it was refused as 'Invalid request body' over 200 characters), axe finds
// nothing; at 320 px (a laptop zoomed to 400 %, WCAG 1.4.10) no page scrolls sideways.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { serviceCaller } from '../helpers/auth.js';
import { axeViolations, brokenWordsInTables, horizontalOverflow } from '../helpers/axe-check.js';
import { consoleInChromium, pageErrors, SKIP_BROWSER } from '../helpers/browser.js';
import { placeOrder } from '../helpers/shopper.js';

const LONG_EMAIL = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(57)}.com`;
const LONG_NAME = `${'Bartholomew Maximilian '.repeat(9)}Longname`.slice(0, 200);
const RTL_NAME = 'محمد عبد الرحمن الفلاني';
const BUYERS = [
  { shopOrderId: 'SO-LONG-1', name: LONG_NAME, email: LONG_EMAIL },
  { shopOrderId: 'SO-RTL-1', name: RTL_NAME, email: 'rtl.buyer@example.com' },
  { shopOrderId: 'SO-PLAIN-1', name: 'Sam Plain', email: 'sam.plain@example.com' },
];

/** How far each table's box scrolls sideways, by the table's test id (0: every column in view). */
async function tablesOver(page: Page): Promise<Record<string, number>> {
  return page
    .locator('.scroll:has(table)')
    .evaluateAll((boxes) =>
      Object.fromEntries(
        boxes.map((b) => [b.querySelector('table')?.dataset.testid ?? '?', b.scrollWidth - b.clientWidth]),
      ),
    );
}

async function findPerson(page: Page, email: string): Promise<void> {
  await page.goto(page.url().replace(/\/staff.*$/, '/staff/people'));
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Find' }).click();
  await page.getByRole('heading', { name: 'Person', exact: true }).waitFor();
}

describe('the console with the longest values in Chromium', {
  skip: SKIP_BROWSER ? 'no Chromium on this machine' : false,
}, () => {
  const at = consoleInChromium({ width: 1280, height: 900 });

  before(async () => {
    const service = await serviceCaller(at.env);
    assert.equal(LONG_EMAIL.length, 254);
    for (const b of BUYERS) {
      await placeOrder(at.env, service.headers, b);
      const filed = await at.env.app.inject({
        method: 'POST',
        url: '/v1/requests',
        payload: { type: 'deletion', jurisdiction: 'us-ca', email: b.email, name: b.name },
      });
      assert.equal(filed.statusCode < 300, true, filed.body);
    }
  });

  it('at 1280 px the queue and a person keep every column in view; the search finds a 254-character address; axe finds nothing', async () => {
    const page = await at.logIn('long1280', ['customer_service']);
    const errors = pageErrors(page);
    await page.goto(`${at.base}/staff/requests`);
    assert.equal(await page.getByTestId('request-queue').locator('tbody tr').count(), 3);
    assert.deepEqual(await tablesOver(page), { 'request-queue': 0 }, 'the queue scrolls in its box');
    const received = (await page.getByRole('columnheader', { name: 'Received' }).boundingBox())!;
    assert.ok(received.x + received.width <= 1280, `the last column in view: ${JSON.stringify(received)}`);
    // An ordinary address beside it stays whole (sam.plain@example.com, not sam.plain@exam|ple.com).
    assert.deepEqual(await brokenWordsInTables(page), [], 'a word broken in the queue');
    assert.deepEqual(await axeViolations(page), [], 'the queue');

    // The search (posted, so the address reaches no URL) takes the longest address.
    await page.getByLabel('Search email, name or request id').fill(LONG_EMAIL);
    await Promise.all([page.waitForLoadState(), page.getByRole('button', { name: 'Search' }).click()]);
    assert.match((await page.getByTestId('queue-count').textContent()) ?? '', /^1 open request matching/);
    assert.equal(await page.getByTestId('request-queue').locator('tbody tr').count(), 1);
    assert.equal(await page.getByLabel('Search email, name or request id').inputValue(), LONG_EMAIL);

    // The request itself: the address wraps in its fact, nothing scrolls sideways.
    await page.getByTestId('request-queue').getByRole('link').first().click();
    await page.getByRole('heading', { name: 'Deletion request' }).waitFor();
    assert.equal(await horizontalOverflow(page), 0, 'the request page');
    assert.deepEqual(await axeViolations(page), [], 'the request page');

    await findPerson(page, LONG_EMAIL);
    const over = await tablesOver(page);
    assert.equal(over['person-identifiers'], 0, `what we hold scrolls in its box: ${JSON.stringify(over)}`);
    const when = (await page
      .getByTestId('person-identifiers')
      .getByRole('columnheader', { name: 'When' })
      .boundingBox())!;
    assert.ok(when.x + when.width <= 1280, `the last column in view: ${JSON.stringify(when)}`);
    assert.deepEqual(await axeViolations(page), [], 'the person');
    await findPerson(page, 'rtl.buyer@example.com');
    assert.match((await page.locator('main dl').first().textContent()) ?? '', new RegExp(RTL_NAME));
    assert.deepEqual(await tablesOver(page), {
      'person-identifiers': 0,
      'person-orders': 0,
      'person-consent-state': 0,
    });
    assert.deepEqual(await axeViolations(page), [], 'the person with an Arabic name');
    assert.deepEqual(errors, []);
  });

  it('at 320 px no console page scrolls sideways (the footer address wraps)', async () => {
    const page = await at.logIn('long320', ['customer_service'], 320);
    const problems: string[] = [];
    for (const url of [
      '/staff',
      '/staff/requests',
      '/staff/complaints',
      '/staff/password',
      '/staff/nowhere',
    ]) {
      await page.goto(`${at.base}${url}`);
      const over = await horizontalOverflow(page);
      if (over > 0) problems.push(`${url}: ${over} px`);
    }
    await findPerson(page, LONG_EMAIL);
    const over = await horizontalOverflow(page);
    if (over > 0) problems.push(`the person: ${over} px`);
    assert.deepEqual(problems, []);
  });
});
