// The console's API keys page in Chromium at 1280 and 390 px: an admin reaches it from the menu,
// makes a key with the scopes ticked, copies the once-shown secret with the copy button, and that
// secret works against the API for those scopes only; revoking it (after the confirmation) stops
// it. The list is cards on a phone, nothing scrolls sideways, and axe finds nothing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { axeViolations, horizontalOverflow as sideways } from '../helpers/axe-check.js';
import { consoleInChromium, pageErrors, SKIP_BROWSER } from '../helpers/browser.js';

const DECISION = {
  subject: { kind: 'gift_recipient' },
  purpose: 'marketing.email',
  categories: ['contact.email'],
};

describe('the API keys page at 1280 and 390 px', {
  skip: SKIP_BROWSER ? 'no Chromium on this machine' : false,
}, () => {
  const at = consoleInChromium({ width: 1280, height: 844 });

  /** A call to the served API with a key, as the shop's system would make it. */
  const api = async (key: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${at.base}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return {
      status: res.status,
      body: (await res.json()) as { error?: { code: string; details?: unknown } },
    };
  };

  for (const width of [1280, 390]) {
    it(`makes a scoped key whose once-shown secret works, then revokes it (${width} px)`, async () => {
      const page = await at.logIn(`keys${width}`, ['admin'], width);
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: at.base });
      // From the menu (on a phone, the menu's links wrap but stay links).
      await page.getByRole('link', { name: 'API keys', exact: true }).click();
      await page.getByRole('heading', { name: 'API keys', level: 1 }).waitFor();

      // No scope ticked: refused, the name kept.
      await page.getByLabel('What it is for').fill(`storefront ${width}`);
      await page.getByRole('button', { name: 'Create the key' }).click();
      await page.locator('[role="alert"][data-code="VOW_VALIDATION"]').waitFor();
      assert.equal(await page.getByLabel('What it is for').inputValue(), `storefront ${width}`);
      // From here on (that refusal's page came with its 400), the pages have no error.
      const errors = pageErrors(page);

      // By keyboard alone: Space ticks the scope, Enter sends the form.
      await page.getByRole('checkbox', { name: /^collect:/ }).focus();
      await page.keyboard.press('Space');
      await page.getByRole('button', { name: 'Create the key' }).focus();
      await page.keyboard.press('Enter');
      const box = page.getByTestId('new-key');
      await box.waitFor();
      assert.match(
        (await page.getByRole('heading', { level: 2, name: /^Copy the key/ }).textContent()) ?? '',
        /shown only this once$/,
      );
      assert.match(
        (await box.textContent()) ?? '',
        /What it may do: record what the shop collects \(collect\)/,
      );
      // The page opens on the box (not at the top, a menu away), marked as a warning, not a success.
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'new-key');
      assert.equal(await box.evaluate((b) => b.classList.contains('flash')), false);
      const key = await page.getByTestId('new-key-value').inputValue();
      assert.match(key, /^vow_sk_/);
      // The whole key is in sight in its field.
      assert.ok(
        await page
          .getByTestId('new-key-value')
          .evaluate((t) => t.scrollWidth <= t.clientWidth && t.scrollHeight <= t.clientHeight),
        `the key is cut off at ${width} px`,
      );
      // The copy button (shown by the script) is the next stops of the keyboard and puts the key on
      // the clipboard with Enter.
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Copy the key');
      await page.keyboard.press('Enter');
      await page.getByText('Copied.').waitFor();
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), key);
      assert.equal(await sideways(page), 0, `the new key's box scrolls sideways at ${width} px`);
      assert.deepEqual(await axeViolations(page), []);

      // The secret works for its scope (collect includes decide), and no further.
      assert.equal((await api(key, 'POST', '/v1/decisions', DECISION)).status, 200);
      const refused = await api(key, 'GET', '/v1/service/audiences/email_marketing');
      assert.equal(refused.status, 403);
      assert.equal(refused.body.error?.code, 'VOW_SCOPE_MISSING');
      assert.deepEqual(refused.body.error?.details, { scope: 'marketing', keyScopes: ['collect'] });

      // The list: the key's row, never its secret again; cards on a phone.
      await page.goto(`${at.base}/staff/api-keys`);
      assert.ok(!(await page.content()).includes(key));
      const row = page.getByTestId('api-keys').locator('tbody tr', { hasText: `storefront ${width}` });
      assert.match((await row.textContent()) ?? '', /record what the shop collects \(collect\)/);
      if (width === 390)
        assert.equal(await row.evaluate((r) => getComputedStyle(r).display), 'block', 'a card');
      const over = await page
        .getByTestId('api-keys')
        .evaluate((t) => t.parentElement!.scrollWidth - t.parentElement!.clientWidth);
      assert.equal(over, 0, `the list is wider than its box at ${width} px`);
      // Its scrolling box, a stop of the keyboard, is named by the list's heading.
      assert.equal(await page.getByRole('region', { name: 'Keys in use' }).count(), 1);
      assert.equal(await sideways(page), 0);
      assert.deepEqual(await axeViolations(page), []);

      // Revoke: a confirmation first, then the key stops working.
      await row.getByRole('button', { name: /^Revoke/ }).click();
      await page.getByTestId('confirmation').waitFor();
      assert.match(
        (await page.getByTestId('confirmation').textContent()) ?? '',
        new RegExp(`the key for storefront ${width} \\(it may record what the shop collects\\) are refused`),
      );
      assert.equal(await sideways(page), 0);
      await page.getByTestId('confirm-button').click();
      await page.getByText(`The key for storefront ${width} is revoked.`).waitFor();
      // Focus is on what happened, not lost at the top of the page.
      assert.equal(
        await page.evaluate(() => document.activeElement?.textContent),
        `The key for storefront ${width} is revoked.`,
      );
      const after = await api(key, 'POST', '/v1/decisions', DECISION);
      assert.equal(after.status, 401);
      assert.equal(after.body.error?.code, 'VOW_UNAUTHENTICATED');
      assert.deepEqual(errors, []);
    });
  }
});
