// The audit trail as an auditor reads it in Chromium. At 1280 px an entry's target id (36
// characters) stands on one line: the details beside it had squeezed the Target column until an id
// ran down seven lines. At 390 px the filters take a row each, so "Anyone (people, Vow, staff)" is
// not cut at half the phone's width; nothing scrolls sideways and axe finds nothing at either size.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { axeViolations, horizontalOverflow } from '../helpers/axe-check.js';
import { consoleInChromium, SKIP_BROWSER } from '../helpers/browser.js';

describe('the audit trail laid out in Chromium', {
  skip: SKIP_BROWSER ? 'no Chromium on this machine' : false,
}, () => {
  const at = consoleInChromium({ width: 1280, height: 900 });

  before(async () => {
    for (let i = 0; i < 6; i++)
      await at.env.ctx.audit.record({
        actor: { type: 'system' },
        action: 'consent.changed',
        target: { type: 'subject', id: randomUUID() },
        details: {
          channels: ['email.marketing', 'sms.marketing', 'analytics', 'ads.personalised'],
          events: [{ id: randomUUID(), at: '2026-12-06T10:00:00.000Z' }, { id: randomUUID() }],
        },
      });
  });

  it('at 1280 px each target id stands on one line, every column in view', async () => {
    const page = await at.logIn('audit1280', ['auditor']);
    await page.goto(`${at.base}/staff/audit`);
    const ids = page.getByTestId('audit-table').locator('td[data-label="Target"] code');
    assert.ok((await ids.count()) >= 6);
    const lines = await ids.evaluateAll((codes) =>
      codes.map(
        (c) =>
          c.getClientRects().length > 1 ||
          c.getBoundingClientRect().height > 2 * parseFloat(getComputedStyle(c).lineHeight || '20'),
      ),
    );
    assert.deepEqual(lines.filter(Boolean), [], 'an id broken over lines');
    const box = await page
      .locator('.scroll:has([data-testid="audit-table"])')
      .evaluate((b) => b.scrollWidth - b.clientWidth);
    assert.equal(box, 0, 'the table scrolls sideways in its box');
    assert.equal(await horizontalOverflow(page), 0);
    assert.deepEqual(await axeViolations(page), []);
  });

  it('at 390 px the filters take a row each and a choice is not cut', async () => {
    const page = await at.logIn('audit390', ['auditor'], 390);
    await page.goto(`${at.base}/staff/audit`);
    const what = (await page.getByLabel('What').boundingBox())!;
    const who = page.getByLabel('Staff member');
    const whoBox = (await who.boundingBox())!;
    assert.ok(whoBox.y > what.y + what.height - 1, 'the staff member field sits below the first');
    // The select is as wide as the words of its choice (measured in its own font), padding aside.
    const fits = await who.evaluate((select) => {
      const s = select as HTMLSelectElement;
      const style = getComputedStyle(s);
      const ctx = document.createElement('canvas').getContext('2d')!;
      ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      const words = ctx.measureText(s.options[s.selectedIndex]!.text).width;
      return { words, inner: s.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) };
    });
    assert.ok(fits.words + 24 <= fits.inner, `the choice's words ${fits.words} px in ${fits.inner} px`);
    assert.equal(await horizontalOverflow(page), 0);
    assert.deepEqual(await axeViolations(page), []);
  });
});
