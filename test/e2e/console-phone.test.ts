// The staff console's timestamps and lists at a desktop's and a phone's width, in Chromium: a moment
// in a table (the audit trail's When, the promise checks' recent runs) takes at most two lines at
// 1280 px and never pushes its table past a 390 px screen; the dashboard's lists, the suppressions
// and a waiting under-13 report are cards on a phone, and a request's facts stack under their
// labels, with no axe violation.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { orderBody } from '../collection/fixtures.js';
import { serviceCaller } from '../helpers/auth.js';
import { axeViolations, horizontalOverflow as sideways } from '../helpers/axe-check.js';
import { consoleInChromium, SKIP_BROWSER } from '../helpers/browser.js';

describe('the staff console at 1280 and 390 px', {
  skip: SKIP_BROWSER ? 'no Chromium on this machine' : false,
}, () => {
  const at = consoleInChromium({ width: 1280, height: 844 });
  const { logIn } = at;
  let subjectId = '';

  before(async () => {
    const service = await serviceCaller(at.env);
    const order = await at.env.app.inject({
      method: 'POST',
      url: '/v1/orders',
      headers: service.writeHeaders,
      payload: orderBody('PHONE'),
    });
    assert.equal(order.statusCode, 201, order.body);
    subjectId = order.json().subjectId;
    await at.env.services.promises.monitor.check();
  });

  it('keeps a moment on at most two lines at 1280 px and inside the screen at 390 px (audit trail, recent runs)', async () => {
    // A cookie choice's entry: a visitor's long id as its target, which squeezed the When column
    // until "2026-12-06 04:44:03" took three lines at 1280 px.
    await at.env.ctx.audit.record({
      actor: { type: 'system' },
      action: 'cookie_consent.choice',
      target: { type: 'visitor', id: 'upWTZn0k2AbCdEfGhIjKlMnOpQrStUvWxYz0123456789ab' },
      details: { banner: 'v3', choices: ['analytics', 'marketing', 'personalization'], gpc: false },
    });
    const lines = (page: Page, table: string) =>
      page
        .getByTestId(table)
        .locator('time')
        .evaluateAll((ts) =>
          ts.map((t) => {
            const line = Number.parseFloat(getComputedStyle(t.parentElement!).lineHeight);
            return Math.round(t.getBoundingClientRect().height / line);
          }),
        );
    for (const width of [1280, 390]) {
      const page = await logIn(`when${width}`, ['auditor'], width);
      for (const [url, table] of [
        ['/staff/audit', 'audit-table'],
        ['/staff', 'promise-history'],
      ] as const) {
        await page.goto(`${at.base}${url}`);
        const counts = await lines(page, table);
        assert.ok(counts.length > 0, `${table} has moments`);
        assert.ok(Math.max(...counts) <= 2, `${table} at ${width} px: ${counts.join(',')} lines`);
        const time = page.getByTestId(table).locator('time').first();
        assert.match((await time.getAttribute('datetime')) ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d/);
        assert.match((await time.textContent()) ?? '', /^\d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)? UTC$/);
        const box = await page.getByTestId(table).evaluate((t) => {
          const s = t.parentElement!;
          return s.scrollWidth - s.clientWidth;
        });
        assert.equal(box, 0, `${table} wider than its box at ${width} px`);
        assert.equal(await sideways(page), 0, `${url} scrolls sideways at ${width} px`);
      }
    }
  });

  it("puts a request's facts each under its label at 390 px, a missing email as words", async () => {
    const { requestId } = await at.env.services.rights.submit(
      { type: 'deletion', jurisdiction: 'us-ca', name: 'Percy Postal' },
      { channel: 'postal', staffId: 'phone-setup', receivedOn: '2026-01-02' },
    );
    const page = await logIn('quentin', ['customer_service'], 390);
    await page.goto(`${at.base}/staff/requests/${requestId}`);
    const [dt, dd] = await Promise.all([
      page.locator('dl.facts dt', { hasText: 'Acknowledgement' }).boundingBox(),
      page.locator('dl.facts dt', { hasText: 'Acknowledgement' }).locator('+ dd').boundingBox(),
    ]);
    // The longest label left the values a third of the phone: now each value is under its label.
    assert.equal(dd!.x, dt!.x, 'the value under its label');
    assert.ok(dd!.y > dt!.y);
    const missing = page.locator('dl.facts .empty', { hasText: 'no email (by post)' });
    assert.equal(
      await missing.evaluate((e) => getComputedStyle(e).borderTopStyle),
      'none',
      'words, not a box',
    );
    assert.deepEqual(await axeViolations(page), []);
  });

  it("shows the dashboard's requests due soonest and its recent runs as cards at 390 px", async () => {
    await at.env.services.rights.submit(
      { type: 'access', jurisdiction: 'us-ca', email: 'phone.due@example.com' },
      { channel: 'email', staffId: 'phone-setup', receivedOn: '2026-01-02' },
    );
    const page = await logIn('dora', ['privacy_officer'], 390);
    await page.goto(`${at.base}/staff`);
    for (const t of ['dashboard-requests', 'promise-history']) {
      const row = page.getByTestId(t).locator('tbody tr').first();
      assert.equal(await row.evaluate((r) => getComputedStyle(r).display), 'block', `${t}: a card`);
      // Each value is named by its column, as in every other card.
      const labels = await row
        .locator('td')
        .evaluateAll((tds) => tds.map((td) => getComputedStyle(td, '::before').content));
      assert.ok(
        labels.every((l) => /^".+: "$/.test(l)),
        `${t}: ${labels.join(' | ')}`,
      );
    }
    assert.equal(await sideways(page), 0);
    assert.deepEqual(await axeViolations(page), []);
  });

  it('shows the suppressions and a waiting under-13 report as cards at 390 px', async () => {
    // Both lists were tables wider than the phone once they held a row (the suppression list 389 px
    // in 350; console-ux's sweep of every page saw them empty).
    await at.env.services.consent.suppressIdentifier(undefined, {
      indexKind: 'email',
      blindIndex: 'c'.repeat(64),
      reason: 'deletion request 019b76da-a800-7000-8052-ea2c2f575977',
    });
    await at.env.services.consent.suppress(undefined, {
      subjectId: subjectId,
      channel: 'email_marketing',
      staffId: 'phone-setup',
      reason: 'Asked on the phone',
    });
    await at.env.services.under13.propose(subjectId, 'phone-setup', 'Said so in a letter');
    const page = await logIn('phoebe', ['privacy_officer'], 390);
    for (const [url, tables] of [
      ['/staff/suppressions', ['suppressed-people', 'suppression-list']],
      ['/staff/under13', ['under13-proposals']],
    ] as const) {
      await page.goto(`${at.base}${url}`);
      for (const t of tables) {
        const over = await page
          .getByTestId(t)
          .evaluate((e) => e.parentElement!.scrollWidth - e.parentElement!.clientWidth);
        assert.equal(over, 0, `${t} wider than the phone`);
      }
      assert.equal(await sideways(page), 0, url);
      assert.deepEqual(await axeViolations(page), [], url);
    }
  });
});
