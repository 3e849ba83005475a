// The staff console's reports and experiment pages in Chromium: the form releases a week's report,
// the CSP-clean page shows the noisy counts and protections, and the experiment list links through.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ensureSourceTables, grantAnalytics, insertEvents } from '../analytics/experiments-fixtures.js';
import { pageErrors, SKIP_BROWSER, startServedVow } from '../helpers/browser.js';

describe('staff reports console in Chromium', {
  skip: SKIP_BROWSER ? 'no Chromium on this machine' : false,
}, () => {
  let served: Awaited<ReturnType<typeof startServedVow>>;
  before(async () => {
    served = await startServedVow();
    const ctx = served.env.ctx;
    await ensureSourceTables(ctx);
    const start = Date.parse('2026-01-05T00:00:00.000Z');
    const events = Array.from({ length: 400 }, (_, i) => ({
      visitor: `e2e-${i}`,
      type: 'page_view' as const,
      area: i % 2 === 0 ? 'engagement-rings' : 'watches',
      at: new Date(start + (i % 100) * 3_600_000).toISOString(),
    }));
    await grantAnalytics(
      ctx,
      events.map((e) => e.visitor),
    );
    await insertEvents(ctx, events);
    // The weekly job's work: the week is released once it closed.
    await served.env.services.reports.releaseWeek('2026-W02');
    await served.env.services.experiments.create(
      {
        id: 'e2e-hero',
        name: 'Hero banner',
        variants: [
          { id: 'control', weight: 1 },
          { id: 'video', weight: 1 },
        ],
      },
      { type: 'staff', id: 'e2e' },
    );
  });
  after(async () => {
    await served?.close();
  });

  it('releases a report from the form and shows its counts and protections', async () => {
    const page = await served.browser.newPage();
    const errors = pageErrors(page);
    await page.goto(`${served.baseUrl}/staff/reports`);
    assert.equal(await page.title(), 'Aggregate reports — Diamond Nexus');
    await page.getByLabel('Report').selectOption('visitors_by_area');
    await page.getByLabel('Week').fill('2026-W02');
    await page.getByLabel('Recipient').selectOption('advertisers');
    await page.getByRole('button', { name: 'Release or fetch' }).click();
    await page.waitForSelector('[data-testid="report-cells"]');
    const rows = await page.locator('[data-testid="report-cells"] tbody tr').allTextContents();
    assert.equal(rows.length, 2);
    assert.match(rows[0] ?? '', /engagement-rings\s*\d+/);
    const protections = await page.getByTestId('report-protections').textContent();
    assert.match(protections ?? '', /Epsilon\s*1/);
    assert.match(protections ?? '', /1 of 3 spent/);
    assert.equal(await page.getByRole('link', { name: 'Download CSV' }).count(), 1);
    await page.getByRole('link', { name: 'Experiments' }).click();
    await page.getByRole('link', { name: 'Hero banner' }).click();
    assert.equal(await page.getByTestId('results-status').getAttribute('data-status'), 'not_enough_data');
    assert.deepEqual(errors, []);
    await page.close();
  });
});
