// Cookie consent written straight into the ledger, as an earlier version of the site stored it.
import { appendConsentEvent } from '../../src/modules/consent/ledger.js';
import type { TestEnv } from './env.js';

/**
 * A new visitor who accepted every cookie category and Google Analytics (the banner's "Accept all")
 * under an older policy and consent version; returns the visitor id.
 */
export async function acceptedUnderOlderVersion(
  env: TestEnv,
  older: { policyVersion: string; consentVersion: string },
): Promise<string> {
  const { services, ctx } = env;
  const visitor = services.cookieConsent.newVisitorId();
  for (const channel of [
    'cookies.analytics',
    'cookies.experiments',
    'cookies.advertising',
    'google_analytics',
  ])
    await appendConsentEvent(ctx.store.db, ctx.random, {
      subjectRef: services.cookieConsent.subjectRef(visitor),
      channel,
      event: 'consented',
      cause: { type: 'cookie_banner', ref: 'accept_all' },
      at: ctx.clock.now(),
      policyVersion: older.policyVersion,
      details: { consentVersion: older.consentVersion },
    });
  return visitor;
}
