// Site measurements (POST /v1/collect): stored only under the visitor's analytics consent as the
// server's ledger records it (not the page's word), scrubbed before storage and before any
// forward; without consent the event is dropped and counted, and the page never notices.
import type { VowContext } from '../context.js';
import { ANALYTICS_CHANNEL, GA_CHANNEL } from './consent-model.js';
import { type CookieConsentService, VISITOR_ID_PATTERN } from './consent-service.js';
import type { GaForwarder } from './ga-forwarder.js';
import { browserFamily, scrubPath, siteArea } from './scrub.js';

export const EVENT_TYPES = ['page_view', 'engagement', 'add_to_cart', 'order_completed'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface CollectInput {
  /** The consent cookie's random id. */
  readonly visitor?: string | undefined;
  readonly type: EventType;
  /** The page's path (or URL); scrubbed before anything else sees it. */
  readonly path: string;
  readonly area?: string | undefined;
  readonly durationMs?: number | undefined;
  readonly valueCents?: number | undefined;
  readonly currency?: string | undefined;
}

export interface CollectMeta {
  readonly userAgent?: string | undefined;
}

export type CollectOutcome =
  | { readonly outcome: 'stored'; readonly forwarded: 'sent' | 'failed' | 'off' | 'not_consented' }
  | { readonly outcome: 'dropped'; readonly reason: 'no_visitor' | 'no_consent' };

export const COUNTER_STORED = 'events.stored';
export const COUNTER_DROPPED_NO_CONSENT = 'events.dropped.no_consent';
export const COUNTER_DROPPED_NO_VISITOR = 'events.dropped.no_visitor';

export class EventsService {
  readonly #ctx: VowContext;
  readonly #consent: CookieConsentService;
  readonly #ga: GaForwarder;

  constructor(ctx: VowContext, consent: CookieConsentService, ga: GaForwarder) {
    this.#ctx = ctx;
    this.#consent = consent;
    this.#ga = ga;
  }

  async collect(input: CollectInput, meta: CollectMeta = {}): Promise<CollectOutcome> {
    const visitor = input.visitor;
    if (!visitor || !VISITOR_ID_PATTERN.test(visitor)) {
      await this.#count(COUNTER_DROPPED_NO_VISITOR);
      return { outcome: 'dropped', reason: 'no_visitor' };
    }
    if (!(await this.#consent.granted(visitor, ANALYTICS_CHANNEL))) {
      await this.#count(COUNTER_DROPPED_NO_CONSENT);
      return { outcome: 'dropped', reason: 'no_consent' };
    }
    const path = scrubPath(input.path);
    const commerce = input.type === 'add_to_cart' || input.type === 'order_completed';
    const row = {
      visitor_id: this.#consent.visitorIndex(visitor),
      type: input.type,
      area: siteArea(input.area, path),
      path,
      duration_ms: input.type === 'engagement' ? (input.durationMs ?? null) : null,
      value_cents: commerce ? (input.valueCents ?? null) : null,
      currency: commerce ? (input.currency ?? null) : null,
      browser_family: browserFamily(meta.userAgent),
      at: this.#ctx.clock.now().toISOString(),
    };
    await this.#ctx.store.db.insertInto('analytics_events').values(row).execute();
    await this.#count(COUNTER_STORED);
    let forwarded: 'sent' | 'failed' | 'off' | 'not_consented' = 'off';
    if (this.#ga.enabled) {
      try {
        forwarded = (await this.#consent.granted(visitor, GA_CHANNEL))
          ? await this.#ga.forward(visitor, row.visitor_id, {
              type: row.type,
              area: row.area,
              durationMs: row.duration_ms,
              valueCents: row.value_cents,
              currency: row.currency,
              browserFamily: row.browser_family,
            })
          : 'not_consented';
      } catch (err) {
        // The measurement is stored; a failed forward must not fail the page's beacon.
        this.#ctx.logger.error(
          { err: { type: (err as Error).name } },
          'Google Analytics forward not recorded',
        );
        forwarded = 'failed';
      }
    }
    return { outcome: 'stored', forwarded };
  }

  /** The counters (stored, dropped for each reason), for the operator and the tests. */
  async counters(): Promise<Record<string, number>> {
    const rows = await this.#ctx.store.db
      .selectFrom('analytics_counters')
      .select(['name', 'count'])
      .execute();
    return Object.fromEntries(rows.map((r) => [r.name, Number(r.count)]));
  }

  async #count(name: string): Promise<void> {
    const at = this.#ctx.clock.now().toISOString();
    await this.#ctx.store.db
      .insertInto('analytics_counters')
      .values({ name, count: 1, updated_at: at })
      .onConflict((oc) =>
        oc
          .column('name')
          .doUpdateSet((eb) => ({ count: eb('analytics_counters.count', '+', 1), updated_at: at })),
      )
      .execute();
  }
}
