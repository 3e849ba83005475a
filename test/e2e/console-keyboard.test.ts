// The newest console pages by keyboard alone (Tab, Shift+Tab, Enter, Space and typing; no mouse):
// the incidents list with its form, an incident's page, the Art. 34 page that writes to the people
// affected, and the record of processing. On each, Tab reaches every control once, in the order the
// page shows them (the DOM order: no tabindex reorders them), Shift+Tab walks back the same way, the
// focus is drawn at every stop (an outline, never none), and the page's main action is completed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { orderBody } from '../collection/fixtures.js';
import { consoleInChromium, pageErrors, SKIP_BROWSER } from '../helpers/browser.js';

/** Marks every control a keyboard should reach (visible, enabled) with its DOM position. */
async function markControls(page: Page): Promise<number> {
  return page.evaluate(() => {
    const all = Array.from(
      document.querySelectorAll<HTMLElement>(
        'a[href], button, input:not([type="hidden"]), select, textarea, summary, [tabindex="0"]',
      ),
    ).filter((el) => {
      if ((el as HTMLButtonElement).disabled) return false;
      // Inside a closed <details>, only its summary is shown.
      const closed = el.closest('details:not([open])');
      if (closed && el.tagName !== 'SUMMARY') return false;
      if (el.tagName === 'SUMMARY' && el.parentElement?.closest('details:not([open])')) return false;
      if (el.classList.contains('skip')) return true; // shown when focused
      const r = el.getBoundingClientRect();
      return getComputedStyle(el).visibility !== 'hidden' && r.width > 0 && r.height > 0;
    });
    // One stop per radio group (Tab reaches the checked one, or the first).
    const seen = new Set<string>();
    let i = 0;
    for (const el of all) {
      const radio = el as HTMLInputElement;
      if (radio.type === 'radio') {
        if (seen.has(radio.name)) continue;
        seen.add(radio.name);
      }
      el.dataset.kb = String(i++);
    }
    return i;
  });
}

/** What has the focus: its DOM position among the controls, and whether its focus is drawn. */
async function focused(page: Page): Promise<{ kb: number; drawn: boolean; what: string }> {
  return page.evaluate(() => {
    let el = document.activeElement as HTMLElement | null;
    // A radio group's other buttons share its stop.
    if (el instanceof HTMLInputElement && el.type === 'radio')
      el = document.querySelector<HTMLElement>(`input[type="radio"][name="${el.name}"][data-kb]`) ?? el;
    const s = getComputedStyle(document.activeElement as HTMLElement);
    const drawn = s.outlineStyle !== 'none' && Number.parseFloat(s.outlineWidth) >= 2;
    const what = `${el?.tagName.toLowerCase()}#${el?.id} ${(el?.textContent ?? '').trim().slice(0, 30)}`;
    return { kb: Number(el?.dataset.kb ?? -1), drawn, what };
  });
}

/**
 * Walks the page with Tab from the top and back with Shift+Tab: every control once, in order, the
 * focus drawn at each stop.
 */
async function walk(page: Page, label: string): Promise<void> {
  await fromTop(page);
  const count = await markControls(page);
  assert.ok(count > 3, `${label}: controls found`);
  // A date and time field takes one Tab per part (month, day, year, hour, minute, its calendar
  // button): consecutive stops on one control count once.
  const order: number[] = [];
  const undrawn: string[] = [];
  for (let presses = 0; order.length < count && presses < count * 3 + 20; presses++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (order.at(-1) !== f.kb) order.push(f.kb);
    if (!f.drawn) undrawn.push(f.what);
  }
  assert.deepEqual(
    order,
    Array.from({ length: count }, (_, i) => i),
    `${label}: Tab reaches each control in the page's order`,
  );
  assert.deepEqual(undrawn, [], `${label}: focus drawn at every stop`);
  const back: number[] = [];
  for (let presses = 0; back.length < Math.min(count - 1, 8) && presses < 60; presses++) {
    await page.keyboard.press('Shift+Tab');
    const kb = (await focused(page)).kb;
    if ((back.at(-1) ?? count - 1) !== kb) back.push(kb);
  }
  assert.deepEqual(
    back,
    back.map((_, i) => count - 2 - i),
    `${label}: Shift+Tab walks back`,
  );
}

/** The page loaded again (its address is a GET's): the next Tab starts at its top. */
async function fromTop(page: Page): Promise<void> {
  await page.goto(page.url());
}

/** Tabs forward until the focused element matches `selector` (at most 200 presses). */
async function tabTo(page: Page, selector: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  assert.fail(`Tab never reached ${selector}`);
}

describe('the newest console pages by keyboard alone', {
  skip: SKIP_BROWSER ? 'no Chromium on this machine' : false,
}, () => {
  const at = consoleInChromium({ width: 1280, height: 844 });

  it('records an incident from the list, decides its risk and writes to the people affected, by keyboard', async () => {
    await at.env.services.collection.order(orderBody('keyboard'));
    const page = await at.logIn('keyboard', ['privacy_officer']);
    const errors = pageErrors(page);
    await page.goto(`${at.base}/staff/incidents`);
    await walk(page, 'incidents list');

    // Record an incident: each field reached with Tab, filled by typing, boxes ticked with Space.
    await fromTop(page);
    await tabTo(page, 'textarea');
    await page.keyboard.type('A box of order slips was lost in the post.');
    await tabTo(page, 'input[type="checkbox"]');
    await page.keyboard.press('Space');
    await tabTo(
      page,
      'input[type="checkbox"][name="subjectKinds"], input[type="checkbox"][value="customer"]',
    );
    await page.keyboard.press('Space');
    await tabTo(page, 'button[type="submit"]:not(form[role="search"] button)');
    await page.keyboard.press('Enter');
    await page
      .getByRole('heading', { name: 'Incident', level: 1 })
      .waitFor({ timeout: 10_000 })
      .catch(async () =>
        assert.fail(`not recorded: ${((await page.locator('main').textContent()) ?? '').slice(0, 600)}`),
      );
    await walk(page, "an incident's page");

    // Decide a high risk: the select is opened and chosen with the keyboard, the reason typed.
    await fromTop(page);
    const select = await page.getByLabel(/Is the breach likely to result in a risk/).getAttribute('id');
    await tabTo(page, `#${select}`);
    // A closed select moves with the arrow keys: Choose…, unlikely, a risk, a high risk.
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
    assert.equal(await page.locator(`#${select}`).inputValue(), 'high');
    await tabTo(page, 'textarea, input[type="text"]');
    await page.keyboard.type('Names and addresses of buyers.');
    await tabTo(page, 'button[type="submit"]');
    await Promise.all([page.waitForLoadState('load'), page.keyboard.press('Enter')]);
    await page.getByRole('link', { name: 'Write to the people affected…' }).waitFor();

    // The Art. 34 page: reached by Enter on its link, every empty field filled by typing, previewed.
    await fromTop(page);
    await tabTo(page, 'a[href$="/notify"]');
    await Promise.all([page.waitForURL(/\/notify$/), page.keyboard.press('Enter')]);
    await walk(page, 'the Art. 34 page');
    await fromTop(page);
    // Each part of the message in turn (Tab skips nothing): the empty ones are written.
    const parts = await page.locator('form textarea').count();
    for (let i = 0; i < parts; i++) {
      await tabTo(page, 'form textarea');
      if ((await page.evaluate(() => (document.activeElement as HTMLTextAreaElement).value.trim())) === '')
        await page.keyboard.type('Written by keyboard.');
    }
    await tabTo(page, 'button[name="step"][value="preview"]');
    await page.keyboard.press('Enter');
    await page.getByTestId('notice-preview').waitFor();
    // Sent: the button after the preview, then the confirmation's, each by Enter.
    await tabTo(page, 'button[name="step"][value="send"]');
    await page.keyboard.press('Enter');
    await page.getByTestId('confirmation').waitFor();
    await tabTo(page, '[data-testid="confirm-button"]');
    await page.keyboard.press('Enter');
    await page.getByTestId('notice-progress').waitFor();
    assert.deepEqual(errors, []);
  });

  it('reads the record of processing and reaches its downloads by keyboard', async () => {
    const page = await at.logIn('keyboard-ropa', ['auditor']);
    await page.goto(`${at.base}/staff/records-of-processing`);
    await walk(page, 'the record of processing');
  });
});
