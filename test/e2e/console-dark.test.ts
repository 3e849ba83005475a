// The staff console in dark mode (prefers-color-scheme: dark): axe-core finds nothing (contrast
// included) on every page of the menu, a request's, a complaint's and an incident's page, a list
// with a refused filter and the not-found page, at 1280 and 390 px; the paper is dark, nothing
// scrolls sideways on a phone, and the focus ring is drawn.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { axeViolations, horizontalOverflow as sideways } from '../helpers/axe-check.js';
import { consoleInChromium, pageErrors, SKIP_BROWSER } from '../helpers/browser.js';

const ROLES = ['privacy_officer', 'customer_service', 'marketing', 'auditor', 'admin'];

describe('the console in dark mode', { skip: SKIP_BROWSER ? 'no Chromium on this machine' : false }, () => {
  const at = consoleInChromium({ width: 1280, height: 844 });
  const extra: string[] = [];

  before(async () => {
    const { rights, complaints, incidents } = at.env.services;
    const rid = (
      await rights.submit(
        { type: 'access', jurisdiction: 'eea', email: 'dark.mode@example.com' },
        { channel: 'web' },
      )
    ).requestId;
    const cid = (
      await complaints.submit(
        { jurisdiction: 'eea', email: 'dark.mode@example.com', message: 'Read in the dark.' },
        { channel: 'web' },
      )
    ).view.id;
    const incident = await incidents.record(
      {
        summary: 'A parcel list was left on a train.',
        dataCategories: ['commerce.order_history'],
        subjectKinds: ['customer'],
        awareAt: at.env.clock.now().toISOString(),
      },
      { staffId: 'e2e', privacyOfficer: true },
    );
    extra.push(
      `/staff/requests/${rid}`,
      `/staff/complaints/${cid}`,
      `/staff/incidents/${incident.id}`,
      '/staff/requests?status=bogus',
      '/staff/log-request',
      '/staff/nowhere',
    );
  });

  for (const width of [1280, 390]) {
    it(`axe finds nothing on any console page in dark mode at ${width} px`, async () => {
      const page = await at.logIn(`dark${width}`, ROLES, width);
      await page.emulateMedia({ colorScheme: 'dark' });
      const errors = pageErrors(page);
      const menu = await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link')
        .evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
      const urls = [...new Set([...menu.filter((u) => u.startsWith('/staff')), ...extra])];
      assert.ok(urls.length >= 20, `pages: ${urls}`);
      const problems: string[] = [];
      for (const url of urls) {
        await page.goto(`${at.base}${url}`);
        for (const v of await axeViolations(page)) problems.push(`${url}: ${v}`);
        const paper = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
        if (paper !== 'rgb(21, 22, 26)') problems.push(`${url}: paper ${paper}`);
        if (width === 390 && (await sideways(page)) > 0) problems.push(`${url}: scrolls sideways`);
      }
      // The focus ring on a dark page: drawn, in the light accent.
      await page.goto(`${at.base}/staff/requests`);
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      const ring = await page.evaluate(() => {
        const s = getComputedStyle(document.activeElement!);
        return `${s.outlineStyle} ${s.outlineColor}`;
      });
      assert.equal(ring, 'solid rgb(138, 184, 240)');
      assert.deepEqual(problems, []);
      // The refused filter (400) and the missing page (404) are visited on purpose.
      assert.deepEqual(
        errors.filter((e) => !/status of (400|404)/.test(e)),
        [],
      );
      await page.close();
    });
  }
});
