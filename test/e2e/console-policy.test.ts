// The console's policy page in Chromium at 1280 and 390 px: an administrator reads the policy in
// force, pastes a wrong file and sees each problem with its line, uploads a valid changed file and
// sees what would change; customer service neither sees the page nor its menu entry; no axe
// violation and no sideways scrolling.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { axeViolations, horizontalOverflow } from '../helpers/axe-check.js';
import { consoleInChromium, pageErrors, SKIP_BROWSER } from '../helpers/browser.js';

const MINIMAL = readFileSync(new URL('../../policies/minimal.yaml', import.meta.url), 'utf8');
const BROKEN = MINIMAL.replace('    channel: cookies.analytics\n', '');
const RULE_LINE = BROKEN.split('\n').findIndex((l) => l.includes('id: analytics-with-consent')) + 1;

describe('the console policy page in Chromium', {
  skip: SKIP_BROWSER ? 'no Chromium on this machine' : false,
}, () => {
  const at = consoleInChromium({ width: 1280, height: 844 });

  for (const width of [1280, 390]) {
    it(`shows the policy in force, a pasted file's problems by line and an uploaded file's changes at ${width} px`, async () => {
      const page = await at.logIn(`policy${width}`, ['admin'], width);
      const errors = pageErrors(page);
      await page.getByRole('link', { name: 'Policy', exact: true }).click();
      await page.getByRole('heading', { name: 'Policy', level: 1 }).waitFor();
      const version = at.env.ctx.policy.version;
      assert.equal(await page.getByTestId('policy-version').textContent(), version);
      assert.equal(await page.getByTestId('policy-promises').locator('tbody tr').count(), 26);
      assert.ok(await page.getByRole('link', { name: /Read the notice/ }).isVisible());
      // Retention periods in words, with the file's value beside them.
      const kept = await page
        .getByTestId('policy-retention')
        .locator('td[data-label="Kept for"]')
        .allTextContents();
      assert.ok(kept.includes('7 years (P7Y)'), kept.join(' | '));
      assert.ok(!kept.some((k) => /^P\d/.test(k)), `a bare period: ${kept.join(' | ')}`);
      assert.equal(await horizontalOverflow(page), 0, `the page scrolls sideways at ${width} px`);
      // Each table is one card per row on a phone: nothing scrolls sideways inside its box.
      const wide = await page
        .locator('.scroll')
        .evaluateAll((es) =>
          es.filter((e) => e.scrollWidth > e.clientWidth).map((e) => e.innerHTML.slice(0, 80)),
        );
      assert.deepEqual(wide, [], `a table wider than its box at ${width} px`);
      assert.deepEqual(await axeViolations(page), []);

      // The check comes before the policy's long tables, not thousands of pixels down.
      const top = async (sel: string) => page.locator(sel).evaluate((e) => e.getBoundingClientRect().top);
      assert.ok(
        (await top('[data-testid=policy-check-form]')) < (await top('[data-testid=policy-purposes]')),
        'the check form before the tables',
      );

      // A pasted file with a mistake, sent by keyboard: every problem, each with its line.
      await page.getByLabel("Or paste the file's text").fill(BROKEN);
      await page.getByRole('button', { name: 'Check the file' }).focus();
      await page.keyboard.press('Enter');
      const problems = page.getByTestId('policy-problem');
      await problems.first().waitFor();
      // The page opens on the result (focus not lost at the top of the page).
      assert.equal(
        await page.evaluate(() => document.activeElement?.getAttribute('data-testid')),
        'policy-check-result',
      );
      assert.equal(await problems.count(), 2);
      const lines = await problems.evaluateAll((li) => li.map((l) => l.getAttribute('data-line')));
      assert.ok(lines.includes(String(RULE_LINE)), `a problem on line ${RULE_LINE}: ${lines.join(',')}`);
      assert.match(
        (await problems.nth(1).textContent()) ?? '',
        /^pasted\.yaml:\d+:\d+ rules\[3\]\.channel: /,
      );
      assert.equal(
        await page.getByLabel("Or paste the file's text").inputValue(),
        BROKEN,
        'the text stays to be corrected',
      );
      assert.equal(await horizontalOverflow(page), 0, `the problems scroll sideways at ${width} px`);
      assert.deepEqual(await axeViolations(page), []);

      // An uploaded valid file that changes the policy: the changes, and how to put it in force.
      await page.getByLabel("Or paste the file's text").fill('');
      await page.getByLabel(/A policy file/).setInputFiles({
        name: 'minimal.yaml',
        mimeType: 'application/yaml',
        buffer: Buffer.from(MINIMAL),
      });
      await page.getByRole('button', { name: 'Check the file' }).click();
      await page.getByTestId('policy-valid').waitFor();
      assert.match((await page.getByTestId('policy-valid').textContent()) ?? '', /minimal\.yaml is valid/);
      assert.match(
        (await page.getByTestId('policy-consent-changed').textContent()) ?? '',
        /consent must be asked again/,
      );
      const purposes = page.getByTestId('policy-changes').locator('[data-part="purposes"]');
      assert.match((await purposes.textContent()) ?? '', /Removed:.*marketing\.sms/);
      assert.match(
        (await page.getByTestId('policy-check-result').textContent()) ?? '',
        /VOW_POLICY[\s\S]*restart/,
      );
      assert.equal(await page.getByTestId('policy-version').textContent(), version, 'still the same policy');
      assert.equal(await horizontalOverflow(page), 0, `the changes scroll sideways at ${width} px`);
      assert.deepEqual(await axeViolations(page), []);
      assert.deepEqual(errors, []);
    });
  }

  it('is not for customer service: no menu entry, and the page is refused', async () => {
    const page = await at.logIn('policycs', ['customer_service'], 390);
    assert.equal(await page.getByRole('link', { name: 'Policy', exact: true }).count(), 0);
    const res = await page.goto(`${at.base}/staff/policy`);
    assert.equal(res?.status(), 403);
  });
});
