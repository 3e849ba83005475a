// Forwarding of measurements to Google Analytics (P19) in the shape of the GA4 Measurement
// Protocol: { client_id, events: [{ name, params }] }. Only an allow-list of parameters is ever
// built, each of a type that cannot carry contact data (numbers, a currency code, closed lists):
// no path, no URL, no title, no free text. The sender is injected (no network in tests); in
// production it POSTs to the configured endpoint, and it is off unless a measurement id and an
// API secret are configured.
import { canonicalJson } from '../../platform/canonical-json.js';
import type { DisclosureService } from '../disclosures/index.js';
import type { VowContext } from '../policy/index.js';
import { BROWSER_FAMILIES, SITE_AREAS } from './scrub.js';

export interface GaEvent {
  readonly name: string;
  readonly params: Readonly<Record<string, string | number>>;
}

export interface GaPayload {
  readonly client_id: string;
  readonly non_personalized_ads: true;
  readonly events: readonly GaEvent[];
}

/** Hands one payload to Google Analytics; throws if it could not. */
export type GaSender = (payload: GaPayload) => Promise<void>;

/** What a stored measurement offers to the forwarder (already scrubbed). */
export interface ForwardableEvent {
  readonly type: 'page_view' | 'engagement' | 'add_to_cart' | 'order_completed';
  readonly area: string;
  readonly durationMs: number | null;
  readonly valueCents: number | null;
  readonly currency: string | null;
  readonly browserFamily: string;
}

const GA_NAMES: Record<ForwardableEvent['type'], string> = {
  page_view: 'page_view',
  engagement: 'user_engagement',
  add_to_cart: 'add_to_cart',
  order_completed: 'purchase',
};

const MAX_DURATION_MS = 24 * 60 * 60 * 1000;
const MAX_VALUE_CENTS = 100_000_000_00;

/**
 * The allow-list: every parameter GA may receive, each with the only shape it may have. A value
 * that does not have that shape is left out, never cleaned up and sent.
 */
const ALLOWED_PARAMS: Record<string, (e: ForwardableEvent) => string | number | undefined> = {
  engagement_time_msec: (e) =>
    e.durationMs !== null &&
    Number.isInteger(e.durationMs) &&
    e.durationMs >= 0 &&
    e.durationMs <= MAX_DURATION_MS
      ? e.durationMs
      : undefined,
  value: (e) =>
    e.valueCents !== null &&
    Number.isInteger(e.valueCents) &&
    e.valueCents >= 0 &&
    e.valueCents <= MAX_VALUE_CENTS
      ? e.valueCents / 100
      : undefined,
  currency: (e) => (e.currency !== null && /^[A-Z]{3}$/.test(e.currency) ? e.currency : undefined),
  page_area: (e) => ((SITE_AREAS as readonly string[]).includes(e.area) ? e.area : undefined),
  browser_family: (e) =>
    (BROWSER_FAMILIES as readonly string[]).includes(e.browserFamily) ? e.browserFamily : undefined,
};

export const GA_ALLOWED_PARAMS: readonly string[] = Object.keys(ALLOWED_PARAMS);

/** Builds the Measurement Protocol payload from the allow-list only. */
export function buildGaPayload(clientId: string, event: ForwardableEvent): GaPayload {
  const params: Record<string, string | number> = {};
  for (const [name, pick] of Object.entries(ALLOWED_PARAMS)) {
    const v = pick(event);
    if (v !== undefined) params[name] = v;
  }
  return {
    client_id: clientId,
    non_personalized_ads: true,
    events: [{ name: GA_NAMES[event.type], params }],
  };
}

export interface HttpGaSenderOptions {
  readonly endpoint: string;
  readonly measurementId: string;
  readonly apiSecret: string;
  readonly timeoutMs?: number;
}

/** The production sender: an HTTP POST to the Measurement Protocol endpoint. */
export function httpGaSender(o: HttpGaSenderOptions): GaSender {
  return async (payload) => {
    const url = new URL(o.endpoint);
    url.searchParams.set('measurement_id', o.measurementId);
    url.searchParams.set('api_secret', o.apiSecret);
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(o.timeoutMs ?? 3000),
    });
    if (!res.ok) throw new Error(`Google Analytics answered ${res.status}`);
  };
}

/** The part of the disclosure service GA forwarding needs (src/modules/disclosures). */
export type DisclosureLog = Pick<DisclosureService, 'logEntry'>;

/** Sends measurements to GA and records each forward (ga_forwards, plus the disclosure log and audit). */
export class GaForwarder {
  readonly #ctx: VowContext;
  readonly #disclosures: DisclosureLog;
  #sender: GaSender | undefined;

  /** `disclosures` is the disclosure module's log, where every forward that was sent is entered. */
  constructor(ctx: VowContext, disclosures: DisclosureLog, sender?: GaSender) {
    this.#ctx = ctx;
    this.#disclosures = disclosures;
    this.#sender = sender;
  }

  get enabled(): boolean {
    return this.#sender !== undefined;
  }

  /** Replaces the sender (tests, or a process that configures GA late). */
  useSender(sender: GaSender | undefined): void {
    this.#sender = sender;
  }

  /** GA's client id for a visitor: a keyed hash of the cookie id, unlike Vow's own visitor id. */
  clientId(visitor: string): string {
    return this.#ctx.vault.blindIndex('token', `google_analytics:${visitor}`);
  }

  async forward(
    visitor: string,
    visitorIndex: string,
    event: ForwardableEvent,
  ): Promise<'sent' | 'failed' | 'off'> {
    const sender = this.#sender;
    if (!sender) return 'off';
    const payload = buildGaPayload(this.clientId(visitor), event);
    const params = Object.keys(payload.events[0]?.params ?? {});
    let status: 'sent' | 'failed' = 'sent';
    try {
      await sender(payload);
    } catch (err) {
      status = 'failed';
      this.#ctx.logger.warn({ err: { type: (err as Error).name } }, 'forward to Google Analytics failed');
    }
    const at = this.#ctx.clock.now().toISOString();
    const db = this.#ctx.store.db;
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('ga_forwards')
        .values({
          visitor_id: visitorIndex,
          event_type: event.type,
          params: canonicalJson(params),
          status,
          at,
        })
        .execute();
      if (status !== 'sent') return;
      await this.#disclosures.logEntry(trx, {
        subjectId: `visitor:${visitorIndex}`,
        recipient: 'google_analytics',
        purpose: 'analytics.site_improvement',
        recordId: null,
        categories: ['behaviour', 'device.browser_family', 'device.cookie_id'],
        fields: params,
        rules: ['visitor-measurement'],
        at,
      });
      await this.#ctx.audit.record(
        {
          actor: { type: 'system' },
          action: 'disclosure.sent',
          target: { type: 'visitor', id: visitorIndex },
          reason: 'site measurement forwarded to Google Analytics under the visitor’s consent',
          details: { recipient: 'google_analytics', event: event.type, params },
        },
        trx,
      );
    });
    return status;
  }
}
