// The Art. 34 page in Chromium at 1280 and 390 px: a privacy officer opens an incident decided a high
// risk, follows "Write to the people affected…", sees the mail as a person gets it with the count
// writes the Spanish version (the policy's translation), previews, goes to the confirmation and sends; axe finds nothing on the page, nothing scrolls
// sideways, and the incident page then shows the progress.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { orderBody } from '../collection/fixtures.js';
import { axeViolations, horizontalOverflow as sideways } from '../helpers/axe-check.js';
import { consoleInChromium, pageErrors, SKIP_BROWSER } from '../helpers/browser.js';

describe('telling the people affected at 1280 and 390 px', {
  skip: SKIP_BROWSER ? 'no Chromium on this machine' : false,
}, () => {
  const at = consoleInChromium({ width: 1280, height: 844 });

  for (const width of [1280, 390]) {
    it(`previews, confirms and sends, axe-clean (${width} px)`, async () => {
      const e = at.env;
      await e.services.collection.order(orderBody(`notify-${width}`));
      const inc = await e.services.incidents.record(
        {
          summary: `A backup with email addresses was readable on the web (${width}).`,
          dataCategories: ['contact.email'],
          subjectKinds: ['customer'],
          consequences: 'Phishing mail in our name.',
          measures: 'The backup was removed.',
        },
        { staffId: 'e2e', privacyOfficer: true },
      );
      await e.services.incidents.decideRisk(inc.id, 'high', 'Emails for phishing', 'e2e');
      const page = await at.logIn(`notify${width}`, ['privacy_officer'], width);
      const errors = pageErrors(page);
      await page.goto(`${at.base}/staff/incidents/${inc.id}`);
      await page.getByRole('link', { name: 'Write to the people affected…' }).click();
      await page.getByRole('heading', { name: 'Tell the people affected (Art. 34)', level: 1 }).waitFor();
      // The policy is published in English and Spanish: the Spanish version is the officer's to write.
      assert.match(
        (await page.getByRole('alert').first().textContent()) ?? '',
        /Complete the message to preview it/,
      );
      assert.deepEqual(await axeViolations(page), [], `axe on the notify page at ${width} px`);
      assert.equal(await sideways(page), 0, `the notify page scrolls sideways at ${width} px`);

      await page.locator('#m-advice').fill('Do not open links asking you to pay.');
      await page.locator('#m-whatHappened-es-US').fill('Una copia con correos estuvo legible en la web.');
      await page.locator('#m-consequences-es-US').fill('Correo fraudulento en nuestro nombre.');
      await page.locator('#m-measures-es-US').fill('La copia fue retirada.');
      await page.getByRole('button', { name: 'Preview' }).click();
      await page.getByTestId('notice-preview').waitFor();
      assert.match(
        (await page.getByTestId('notice-count').textContent()) ?? '',
        /concerns \d+ (person|people)/,
      );
      const shown = (await page.getByTestId('notice-preview').textContent()) ?? '';
      assert.match(shown, /Do not open links/);
      assert.match(shown, /La copia fue retirada/);
      assert.deepEqual(await axeViolations(page), [], `axe on the preview at ${width} px`);
      assert.equal(await sideways(page), 0, `the preview scrolls sideways at ${width} px`);
      await page.getByRole('button', { name: 'Send to the people affected…' }).click();
      await page.getByTestId('confirmation').waitFor();
      assert.deepEqual(await axeViolations(page), [], `axe on the confirmation at ${width} px`);
      await page.getByTestId('confirm-button').click();
      await page.getByRole('heading', { name: 'Incident', level: 1 }).waitFor();
      assert.ok(await page.getByTestId('notice-progress').isVisible());
      assert.deepEqual(await axeViolations(page), [], `axe on the incident page at ${width} px`);
      assert.deepEqual(errors, []);
      await page.close();
    });
  }
});
