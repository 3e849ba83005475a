// A person's catalog requests on their console page in Chromium at 1280 and 390 px: customer
// service looks the person up and reads both requests, each answer under its question in words
// (a table at 1280 px with every column in view, one card a request at 390 px), axe-clean, nothing
// scrolling sideways; marketing is refused the page. Screenshots go to .tmp/console-catalog/.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { address, catalogBody } from '../collection/fixtures.js';
import { serviceCaller } from '../helpers/auth.js';
import { axeViolations, brokenWordsInTables, horizontalOverflow as sideways } from '../helpers/axe-check.js';
import { consoleInChromium, pageErrors, SKIP_BROWSER } from '../helpers/browser.js';

const SHOTS = path.join(process.cwd(), '.tmp', 'console-catalog');
const EMAIL = 'cleo.catalog@example.com';

describe("a person's catalog requests on the console in Chromium", {
  skip: SKIP_BROWSER ? 'no Chromium on this machine' : false,
}, () => {
  const at = consoleInChromium({ width: 1280, height: 900 });

  before(async () => {
    const service = await serviceCaller(at.env);
    for (const body of [
      catalogBody('Cleo1', {
        email: EMAIL,
        first_name: 'Cleo',
        postal_address: address('1200 Northwestern Longer Street Name Avenue', { line2: 'Apartment 4B' }),
        jewelry_types: [
          'engagement_ring',
          'wedding_band',
          'mens_rings',
          'necklaces_pendants',
          'just_browsing',
        ],
        gender: 'no_thanks',
      }),
      catalogBody('Cleo2', { email: EMAIL, first_name: 'Cleo', budget: 'over_5000', gender: 'female' }),
    ]) {
      at.env.clock.advance(3_600_000);
      const res = await at.env.app.inject({
        method: 'POST',
        url: '/v1/catalog-requests',
        headers: service.writeHeaders,
        payload: body,
      });
      assert.equal(res.statusCode, 201, res.body);
    }
  });

  for (const width of [1280, 390]) {
    it(`shows both requests with their answers in words, axe-clean, nothing sideways (${width} px)`, async () => {
      const page = await at.logIn(`catalog${width}`, ['customer_service'], width);
      const errors = pageErrors(page);
      await page.goto(`${at.base}/staff/people`);
      await page.getByLabel('Email').fill(EMAIL);
      await page.getByRole('button', { name: 'Find' }).click();
      const heading = page.getByRole('heading', { name: 'Catalog requests' });
      await heading.waitFor();
      const table = page.getByRole('table', { name: /Catalog requests, newest first/ });
      const rows = table.getByTestId('catalog-request');
      assert.equal(await rows.count(), 2);
      // Each answer is read with its question (the column heading; the card's label on a phone).
      const budget = table.getByRole('cell', { name: 'Over $5,000' });
      assert.equal(await budget.count(), 1);
      assert.equal(await rows.first().getByRole('cell', { name: 'Female' }).count(), 1);
      assert.equal(await table.getByRole('columnheader', { name: 'Shopping for' }).count(), 1);
      assert.match(
        (await rows.nth(1).textContent()) ?? '',
        /Engagement ring, Wedding band, Men’s rings, Necklaces and pendants, Just browsing/,
      );
      assert.match((await rows.nth(1).textContent()) ?? '', /Prefer not to say/);

      assert.deepEqual(await axeViolations(page), [], `axe at ${width} px`);
      assert.equal(await sideways(page), 0, `the page scrolls sideways at ${width} px`);
      const over = await table.evaluate((t) => t.parentElement!.scrollWidth - t.parentElement!.clientWidth);
      assert.equal(over, 0, `the catalog table scrolls in its box at ${width} px`);
      if (width === 1280) {
        const gender = (await table.getByRole('columnheader', { name: 'Gender' }).boundingBox())!;
        assert.ok(gender.x + gender.width <= 1280, `the last column in view: ${JSON.stringify(gender)}`);
        assert.deepEqual(await brokenWordsInTables(page), [], 'a word broken in a table');
      } else {
        // A card a request: the answer's label is shown before it.
        const label = await budget.evaluate((td) => getComputedStyle(td, '::before').content);
        assert.equal(label, '"Budget: "');
      }
      assert.deepEqual(errors, []);
      mkdirSync(SHOTS, { recursive: true });
      await page
        .locator('section', { has: heading })
        .screenshot({ path: path.join(SHOTS, `person-catalog-${width}.png`) });
    });
  }

  it('marketing is refused the person page, answers and all', async () => {
    const page = await at.logIn('catalogmkt', ['marketing']);
    assert.equal((await page.goto(`${at.base}/staff/people`))?.status(), 403);
    assert.doesNotMatch((await page.content()) ?? '', /Catalog requests|Prefer not to say/);
  });
});
