// Site measurements sent the way the consent script sends them: a visitor who allowed measurement,
// their page views posted to /v1/collect, and the page paths Vow stored for them.
import assert from 'node:assert/strict';
import type { TestEnv } from './env.js';

/** A new visitor who allowed measurement only (no experiments, no advertising); their cookie id. */
export async function measuredVisitor(e: TestEnv): Promise<string> {
  const choice = await e.app.inject({
    method: 'POST',
    url: '/v1/consent/choices',
    payload: {
      consentVersion: e.ctx.policy.consentVersion,
      categories: { analytics: true, layout_experiments: false, advertising: false },
      source: 'choose',
    },
  });
  assert.equal(choice.statusCode, 200, choice.body);
  return choice.json().visitor as string;
}

/** A page view of `path` by the visitor, as the consent script posts it (accepted: 204). */
export async function collectPageView(e: TestEnv, visitor: string, path: string): Promise<void> {
  const res = await e.app.inject({
    method: 'POST',
    url: '/v1/collect',
    headers: { 'content-type': 'text/plain;charset=UTF-8' },
    payload: JSON.stringify({ visitor, type: 'page_view', path }),
  });
  assert.equal(res.statusCode, 204, res.body);
}

/** The page paths stored for the visitor's measurements. */
export async function storedPaths(e: TestEnv, visitor: string): Promise<string[]> {
  const rows = await e.store.db
    .selectFrom('analytics_events')
    .select('path')
    .where('visitor_id', '=', e.services.cookieConsent.visitorIndex(visitor))
    .execute();
  return rows.map((r) => String(r.path));
}
