import type { Insertable } from 'kysely';
// Site measurements (POST /v1/collect): stored only under the visitor's analytics consent as the
// server's ledger records it (not the page's word), scrubbed before storage and before any
// forward; without consent the event is dropped and counted, and the page never notices.

import { GroupQueue } from '../../platform/group-queue.js';
import { QueryShapes } from '../../platform/store/index.js';
import {
  ANALYTICS_CHANNEL,
  type CookieConsentService,
  GA_CHANNEL,
  grantKey,
  VISITOR_ID_PATTERN,
} from '../cookie-consent/index.js';
import type { VowContext } from '../policy/index.js';
import type { GaForwarder } from './ga-forwarder.js';
import { browserFamily, scrubPath, siteArea } from './scrub.js';
import type { SiteAnalyticsTables } from './tables.js';

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

/** The most measurements written in one transaction. */
export const MAX_BATCH = 256;
/** Rows per INSERT statement (9 columns each: well under every driver's parameter limit). */
const ROWS_PER_INSERT = 100;

/** A scrubbed measurement as stored. */
type EventRow = Readonly<Omit<SiteAnalyticsTables['analytics_events'], 'id'>>;

/** The stored columns, in the order the INSERT takes its parameters (the order collect() builds a row in). */
const EVENT_COLUMNS = [
  'visitor_id',
  'type',
  'area',
  'path',
  'duration_ms',
  'value_cents',
  'currency',
  'browser_family',
  'at',
] as const satisfies readonly (keyof EventRow)[];

/** A measurement waiting for its batch: answered once the batch is committed (or failed). */
interface Pending {
  /** The visitor's consent ledger ref; undefined when the page sent no usable visitor id. */
  readonly ref: string | undefined;
  readonly visitor: string | undefined;
  readonly row: EventRow;
  readonly resolve: (outcome: CollectOutcome | StoredPending) => void;
  readonly reject: (err: unknown) => void;
}

/**
 * Measurements are written by group commit: each request joins the batch being gathered, the
 * batch reads the consent of all its visitors, inserts the consented rows and adds to the counters
 * in ONE transaction, and only then is each request answered. Nothing is acknowledged before it is
 * committed (a crash loses only unanswered requests), and under load one transaction carries many
 * measurements instead of two transactions each.
 */
export class EventsService {
  readonly #ctx: VowContext;
  readonly #consent: CookieConsentService;
  readonly #ga: GaForwarder;
  readonly #queue = new GroupQueue<Pending>(MAX_BATCH, async (batch) => {
    try {
      const outcomes = await this.#write(batch);
      for (const [i, p] of batch.entries()) p.resolve(outcomes[i]!);
    } catch (err) {
      for (const p of batch) p.reject(err);
    }
  });
  /** The batch's queries, compiled once per shape (number of rows, of visitors). */
  readonly #shapes = new QueryShapes();

  constructor(ctx: VowContext, consent: CookieConsentService, ga: GaForwarder) {
    this.#ctx = ctx;
    this.#consent = consent;
    this.#ga = ga;
  }

  async collect(input: CollectInput, meta: CollectMeta = {}): Promise<CollectOutcome> {
    const visitor = input.visitor && VISITOR_ID_PATTERN.test(input.visitor) ? input.visitor : undefined;
    const visitorId = visitor ? this.#consent.visitorIndex(visitor) : '';
    const path = scrubPath(input.path);
    const commerce = input.type === 'add_to_cart' || input.type === 'order_completed';
    const row: EventRow = {
      visitor_id: visitorId,
      type: input.type,
      area: siteArea(input.area, path),
      path,
      duration_ms: input.type === 'engagement' ? (input.durationMs ?? null) : null,
      value_cents: commerce ? (input.valueCents ?? null) : null,
      currency: commerce ? (input.currency ?? null) : null,
      browser_family: browserFamily(meta.userAgent),
      at: this.#ctx.clock.now().toISOString(),
    };
    const outcome = await new Promise<CollectOutcome | StoredPending>((resolve, reject) => {
      this.#queue.push({ ref: visitor ? `visitor:${visitorId}` : undefined, visitor, row, resolve, reject });
    });
    if (outcome.outcome === 'stored' && outcome.forwarded === 'pending')
      return { outcome: 'stored', forwarded: await this.#forward(visitor!, row) };
    return outcome;
  }

  /** The counters (stored, dropped for each reason), for the operator and the tests. */
  /**
   * Stores measurements of the past that were already scrubbed and consented elsewhere (the demo
   * shop's generated history): no consent check, no counters, no forwarding. In batches of 400 rows.
   */
  async storeHistory(rows: readonly Insertable<SiteAnalyticsTables['analytics_events']>[]): Promise<void> {
    await this.#ctx.store.db.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += 400)
        await trx
          .insertInto('analytics_events')
          .values(rows.slice(i, i + 400))
          .execute();
    });
  }

  async counters(): Promise<Record<string, number>> {
    const rows = await this.#ctx.store.db
      .selectFrom('analytics_counters')
      .select(['name', 'count'])
      .execute();
    return Object.fromEntries(rows.map((r) => [r.name, Number(r.count)]));
  }

  async #write(batch: readonly Pending[]): Promise<(CollectOutcome | StoredPending)[]> {
    const refs = [...new Set(batch.flatMap((p) => (p.ref ? [p.ref] : [])))];
    const channels = this.#ga.enabled ? [ANALYTICS_CHANNEL, GA_CHANNEL] : [ANALYTICS_CHANNEL];
    const at = this.#ctx.clock.now().toISOString();
    return this.#ctx.store.db.transaction().execute(async (trx) => {
      const granted = await this.#consent.grantedMany(trx, refs, channels);
      const outcomes: (CollectOutcome | StoredPending)[] = [];
      const rows: EventRow[] = [];
      const counts = new Map<string, number>();
      const count = (name: string) => counts.set(name, (counts.get(name) ?? 0) + 1);
      for (const p of batch) {
        if (!p.ref) {
          count(COUNTER_DROPPED_NO_VISITOR);
          outcomes.push({ outcome: 'dropped', reason: 'no_visitor' });
        } else if (!granted.has(grantKey(p.ref, ANALYTICS_CHANNEL))) {
          count(COUNTER_DROPPED_NO_CONSENT);
          outcomes.push({ outcome: 'dropped', reason: 'no_consent' });
        } else {
          count(COUNTER_STORED);
          rows.push(p.row);
          const forwarded = !this.#ga.enabled
            ? 'off'
            : granted.has(grantKey(p.ref, GA_CHANNEL))
              ? 'pending'
              : 'not_consented';
          outcomes.push({ outcome: 'stored', forwarded });
        }
      }
      for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
        const chunk = rows.slice(i, i + ROWS_PER_INSERT);
        await this.#shapes.execute(trx, `insert:${chunk.length}`, insertParameters(chunk), () =>
          trx.insertInto('analytics_events').values(chunk),
        );
      }
      for (const [name, n] of counts)
        await this.#shapes.execute(trx, 'count', [name, n, at, n, at], () =>
          trx
            .insertInto('analytics_counters')
            .values({ name, count: n, updated_at: at })
            .onConflict((oc) =>
              oc
                .column('name')
                .doUpdateSet((eb) => ({ count: eb('analytics_counters.count', '+', n), updated_at: at })),
            ),
        );
      return outcomes;
    });
  }

  /** Forwards a stored measurement to Google Analytics (the visitor granted that channel too). */
  async #forward(visitor: string, row: EventRow): Promise<'sent' | 'failed' | 'off'> {
    try {
      return await this.#ga.forward(visitor, row.visitor_id, {
        type: row.type,
        area: row.area,
        durationMs: row.duration_ms,
        valueCents: row.value_cents,
        currency: row.currency,
        browserFamily: row.browser_family,
      });
    } catch (err) {
      // The measurement is stored; a failed forward must not fail the page's beacon.
      this.#ctx.logger.error({ err: { type: (err as Error).name } }, 'Google Analytics forward not recorded');
      return 'failed';
    }
  }
}

/** The rows' values in the compiled INSERT's order: row after row, each in EVENT_COLUMNS order. */
function insertParameters(rows: readonly EventRow[]): unknown[] {
  const out: unknown[] = [];
  for (const row of rows) for (const column of EVENT_COLUMNS) out.push(row[column]);
  return out;
}

/** Stored, with the Google Analytics forward still to make once the batch is committed. */
type StoredPending = { readonly outcome: 'stored'; readonly forwarded: 'pending' };
