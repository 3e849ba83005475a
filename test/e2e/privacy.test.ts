import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pageErrors, SKIP_BROWSER, startServedVow } from '../helpers/browser.js';

describe('privacy notice in Chromium', { skip: SKIP_BROWSER ? 'no Chromium on this machine' : false }, () => {
  let served: Awaited<ReturnType<typeof startServedVow>>;
  before(async () => {
    served = await startServedVow();
  });
  after(async () => {
    await served?.close();
  });

  it('renders every section of the policy, with working in-page links', async () => {
    const page = await served.browser.newPage();
    const errors = pageErrors(page);
    await page.goto(`${served.baseUrl}/privacy`);
    assert.equal(await page.title(), 'Privacy Policy — Diamond Nexus');
    const headings = await page.locator('h2').allTextContents();
    for (const h of [
      'Our commitment to privacy',
      'The way we use our information',
      'Our commitment to data security',
      "Our commitment to children's privacy",
      'How can you access or correct your information',
      'Cookies',
      'Google Analytics',
      'European & California consumer privacy rights & personal data protection',
      'Complaints',
      'How to contact us',
      'What we collect, where, and why',
      'Who receives your information',
      'How long we keep it',
      'Our promises and how we keep them',
    ]) {
      assert.ok(headings.includes(h), `heading "${h}" in ${JSON.stringify(headings)}`);
    }
    const version = await page.getByTestId('policy-version').textContent();
    assert.equal(version, served.env.ctx.policy.version);
    // The stylesheet loaded (CSP allows only same-origin styles).
    const bg = await page.locator('header.site').evaluate((el) => getComputedStyle(el).backgroundColor);
    assert.notEqual(bg, 'rgba(0, 0, 0, 0)');
    await page.getByRole('link', { name: 'Cookies' }).first().click();
    assert.match(page.url(), /#cookies$/);
    assert.equal(await page.locator('tr#promise-P26').count(), 1);
    // P19: "You can opt-out of Google Analytics data gathering on this page."
    const gaSwitch = page.locator('#ga-opt-out').getByTestId('vow-ga-switch');
    await gaSwitch.waitFor();
    assert.match((await gaSwitch.textContent()) ?? '', /Google Analytics/);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('says whose information each form collects, each kind of information once a person', async () => {
    const page = await served.browser.newPage();
    await page.goto(`${served.baseUrl}/privacy`);
    // The checkout asks about two people: the buyer and a gift's recipient, each a group of rows.
    const checkout = page.locator('#collect-checkout table');
    assert.deepEqual(await checkout.locator('th[scope=rowgroup]').allTextContents(), [
      'A person who placed an order (the buyer)',
      "A person an order is shipped to on someone else's behalf",
    ]);
    // A billing and a shipping address are one row with both uses, not two alike rows.
    const buyer = checkout.locator('tbody').first();
    const address = buyer.locator('tr', { hasText: 'Postal address' });
    assert.equal(await address.count(), 1);
    assert.match((await address.textContent()) ?? '', /Taking payment.*Packing and shipping/);
    for (const table of await page.locator('#what-we-collect tbody').all()) {
      const names = await table.locator('td[data-label=Information]').allTextContents();
      assert.deepEqual(names, [...new Set(names)], 'no kind of information twice for one person');
    }
    // A form about one person (registration) has no group heading.
    assert.equal(await page.locator('#collect-registration th[scope=rowgroup]').count(), 0);
    await page.close();
  });
});
