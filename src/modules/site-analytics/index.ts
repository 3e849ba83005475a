// The cookies part of the analytics module, as one service: consent choices, events, GA forwarding.
import type { VowContext } from '../../app/context.js';
import type { JobRunner } from '../../platform/jobs/index.js';
import { CookieConsentService } from '../cookie-consent/cookie-consent-service.js';
import { registerPurgeJob } from './events-retention.js';
import { EventsService } from './events-service.js';
import { GaForwarder, type GaSender, httpGaSender } from './ga-forwarder.js';

export interface CookiesServices {
  readonly consent: CookieConsentService;
  readonly events: EventsService;
  readonly ga: GaForwarder;
  /** Queues the daily purge of measurements past their retention (called by `vow serve`). */
  readonly schedulePurge: () => Promise<void>;
}

/** Builds the services; GA forwarding is on only with a measurement id and an API secret. */
export function createCookiesServices(
  ctx: VowContext,
  gaSender?: GaSender,
  jobs?: JobRunner,
): CookiesServices {
  const c = ctx.config;
  const sender =
    gaSender ??
    (c.gaMeasurementId && c.gaApiSecret
      ? httpGaSender({ endpoint: c.gaEndpoint, measurementId: c.gaMeasurementId, apiSecret: c.gaApiSecret })
      : undefined);
  const consent = new CookieConsentService(ctx);
  const ga = new GaForwarder(ctx, sender);
  const purge = jobs ? registerPurgeJob(ctx, jobs) : undefined;
  return {
    consent,
    ga,
    events: new EventsService(ctx, consent, ga),
    schedulePurge: async () => purge?.schedule(),
  };
}

export { CookieConsentService } from '../cookie-consent/cookie-consent-service.js';
export { EventsService } from './events-service.js';
export { GaForwarder } from './ga-forwarder.js';
