// Site analytics: measurements from the shop's pages (POST /v1/collect), stored only under the
// visitor's cookie consent and scrubbed of identifying data (P17), forwarding to Google Analytics
// (P19), and their retention.

import type { JobRunner } from '../../platform/jobs/index.js';
import type { CookieConsentService } from '../cookie-consent/index.js';
import type { VowContext } from '../policy/index.js';
import { registerPurgeJob } from './events-retention.js';
import { EventsService } from './events-service.js';
import { type DisclosureLog, GaForwarder, type GaSender, httpGaSender } from './ga-forwarder.js';

export interface SiteAnalyticsServices {
  readonly events: EventsService;
  readonly ga: GaForwarder;
  /** Queues the daily purge of measurements past their retention (called by `vow serve`). */
  readonly schedulePurge: () => Promise<void>;
}

/** Builds the services; GA forwarding is on only with a measurement id and an API secret. */
export function createSiteAnalyticsServices(
  ctx: VowContext,
  deps: { readonly cookieConsent: CookieConsentService; readonly disclosures: DisclosureLog },
  jobs?: JobRunner,
  gaSender?: GaSender,
): SiteAnalyticsServices {
  const c = ctx.config;
  const sender =
    gaSender ??
    (c.gaMeasurementId && c.gaApiSecret
      ? httpGaSender({ endpoint: c.gaEndpoint, measurementId: c.gaMeasurementId, apiSecret: c.gaApiSecret })
      : undefined);
  const ga = new GaForwarder(ctx, deps.disclosures, sender);
  const purge = jobs ? registerPurgeJob(ctx, jobs) : undefined;
  return {
    ga,
    events: new EventsService(ctx, deps.cookieConsent, ga),
    schedulePurge: async () => purge?.schedule(),
  };
}

export { siteAnalyticsTables } from './erasure.js';
export { MEASUREMENT_CATEGORIES, measurementCutoff, minusDuration } from './events-retention.js';
export { EVENT_TYPES, EventsService } from './events-service.js';
export { GA_ALLOWED_PARAMS, GaForwarder } from './ga-forwarder.js';
export { siteAnalyticsMigrations } from './migrations/index.js';
export { scrubPath } from './scrub.js';
export type { SiteAnalyticsTables } from './tables.js';
