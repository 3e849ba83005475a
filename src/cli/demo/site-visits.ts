// The demo shop's site visits and its layout experiment. Most visitors come once in the last 90
// days. The experiment's visitors each have a habit (how long they read, how likely they buy) seen
// both before and after their first exposure: they visited in the weeks before it, saw the
// layout at a moment of the experiment's 28 days, and came back after it, so the experiment has
// results, and the pre-exposure visits give CUPED something to adjust with. Layout B (larger
// photos) keeps visitors reading a little longer and buying a little more often. Every choice comes
// from the seeded PRNG; consent and exposures are recorded through the services at the moments
// they happened (a clock set to each moment, as request-history.ts does for privacy requests).
import type { Insertable } from 'kysely';
import type { Services } from '../../app/services.js';
import { ConsentService } from '../../modules/consent/index.js';
import { CookieConsentService } from '../../modules/cookie-consent/index.js';
import { ExperimentService } from '../../modules/experiments/index.js';
import type { VowContext } from '../../modules/policy/index.js';
import { ManualClock } from '../../platform/clock.js';
import type { Database } from '../../platform/store/index.js';
import type { Prng } from './prng.js';

export const DEMO_EXPERIMENT_ID = 'demo-product-page';
/** The experiment ran for the last 28 days. */
const EXPERIMENT_DAYS = 28;
const DAY = 86_400_000;
const HOUR = 3_600_000;

export const SKUS: readonly { sku: string; cents: number }[] = [
  { sku: 'RING-SOL-14K', cents: 189_900 },
  { sku: 'BAND-PLAT-4MM', cents: 99_500 },
  { sku: 'EAR-PEARL-STUD', cents: 12_900 },
  { sku: 'NECK-HEART-SS', cents: 7_900 },
  { sku: 'BRAC-TENNIS-1CT', cents: 249_000 },
  { sku: 'RING-MENS-TI', cents: 34_900 },
  { sku: 'PEND-INITIAL-GLD', cents: 15_900 },
  { sku: 'EAR-HOOP-14K', cents: 21_500 },
];
const PATHS: readonly { area: string; path: string }[] = [
  { area: 'home', path: '/' },
  { area: 'catalog', path: '/rings' },
  { area: 'catalog', path: '/earrings' },
  { area: 'product', path: '/products/RING-SOL-14K' },
  { area: 'product', path: '/products/EAR-PEARL-STUD' },
  { area: 'search', path: '/search' },
  { area: 'cart', path: '/cart' },
  { area: 'content', path: '/guides/ring-size' },
];
const BROWSERS = ['chrome', 'safari', 'firefox', 'edge', 'other'];

type EventRow = Insertable<Database['analytics_events']>;

/** How one visit goes: its start, how long the visitor reads (× habit) and how likely they buy. */
interface VisitShape {
  readonly at: number;
  readonly stay: number;
  readonly buys: number;
}

export class SiteVisits {
  readonly #ctx: VowContext;
  readonly #services: Services;
  readonly #rng: Prng;
  readonly #seed: number;
  readonly #now: Date;
  readonly #clock: ManualClock;
  readonly #cookieConsent: CookieConsentService;
  readonly #experiments: ExperimentService;

  constructor(ctx: VowContext, services: Services, rng: Prng, seed: number, now: Date) {
    this.#ctx = ctx;
    this.#services = services;
    this.#rng = rng;
    this.#seed = seed;
    this.#now = now;
    this.#clock = new ManualClock(now);
    const then: VowContext = { ...ctx, clock: this.#clock };
    this.#cookieConsent = new CookieConsentService(then, new ConsentService(then));
    this.#experiments = new ExperimentService(then, this.#cookieConsent);
  }

  /** Defines the demo experiment, as marketing did when it started 28 days ago, with its plan. */
  async ensureExperiment(): Promise<void> {
    const exists = await this.#services.experiments.list();
    if (exists.some((e) => e.id === DEMO_EXPERIMENT_ID)) return;
    this.#clock.set(new Date(this.#now.getTime() - EXPERIMENT_DAYS * DAY));
    await this.#experiments.create(
      {
        id: DEMO_EXPERIMENT_ID,
        name: 'Product page: large photos',
        description: 'Variant B shows the product photos twice as large',
        variants: [
          { id: 'A', weight: 1, description: 'current layout' },
          { id: 'B', weight: 1, description: 'large photos' },
        ],
        minSamplePerArm: 50,
        plan: { metric: 'visit_duration_ms', baseline: 150_000, sd: 120_000, mde: 30_000 },
      },
      { type: 'system', id: 'vow-demo' },
    );
  }

  /**
   * Writes `visitors` visitors (numbered from `first`); the first `exposed` of them take part in the
   * experiment. Returns how many events and exposures were written.
   */
  async write(
    first: number,
    visitors: number,
    exposed: number,
  ): Promise<{ events: number; exposures: number }> {
    const r = this.#rng;
    const rows: EventRow[] = [];
    const joining: { cookie: string; at: number }[] = [];
    for (let v = 0; v < visitors; v++) {
      const cookie = `demo${this.#seed}v${first + v}x${Math.floor(r.next() * 1e9).toString(36)}`;
      const visitorId = this.#ctx.vault.blindIndex('cookie', cookie);
      const browser = r.pick(BROWSERS);
      if (v >= exposed) {
        const at = this.#now.getTime() - r.int(0, 90) * DAY - r.int(0, DAY - 1);
        this.#visit(rows, visitorId, browser, { at, stay: 1, buys: 0.08 });
        continue;
      }
      // The experiment's visitors: a habit, visits before the exposure, the exposure visit, and
      // some after it, until now.
      const habit = 0.5 + r.next();
      const exposedAt =
        this.#now.getTime() - EXPERIMENT_DAYS * DAY + r.int(HOUR, (EXPERIMENT_DAYS - 1) * DAY);
      const variant = (await this.#services.experiments.assign(DEMO_EXPERIMENT_ID, cookie)).variant;
      const lift = variant === 'B' ? { stay: 1.15, buys: 1.25 } : { stay: 1, buys: 1 };
      for (let k = r.int(0, 3); k > 0; k--) {
        const at = exposedAt - r.int(1, EXPERIMENT_DAYS - 1) * DAY - r.int(0, DAY - 1);
        this.#visit(rows, visitorId, browser, { at, stay: habit, buys: 0.08 * habit });
      }
      const after = { stay: habit * lift.stay, buys: 0.08 * habit * lift.buys };
      this.#visit(rows, visitorId, browser, { at: exposedAt + 1_000, ...after });
      for (let k = r.int(0, 2); k > 0; k--) {
        const at = exposedAt + r.int(HOUR, Math.max(HOUR, this.#now.getTime() - exposedAt - HOUR));
        this.#visit(rows, visitorId, browser, { at, ...after });
      }
      joining.push({ cookie, at: exposedAt });
    }
    await this.#services.siteAnalytics.events.storeHistory(rows);
    let exposures = 0;
    for (const j of joining) if (await this.#join(j.cookie, new Date(j.at))) exposures++;
    return { events: rows.length, exposures };
  }

  /** One visit: page views with engaged time, and sometimes a cart and an order. */
  #visit(rows: EventRow[], visitorId: string, browser: string, shape: VisitShape): void {
    const r = this.#rng;
    let at = shape.at;
    const views = r.skewed(1.2, 12);
    for (let k = 0; k < views; k++) {
      const page = r.pick(PATHS);
      const base = { visitor_id: visitorId, area: page.area, path: page.path, browser_family: browser };
      rows.push({
        ...base,
        type: 'page_view',
        duration_ms: null,
        value_cents: null,
        currency: null,
        at: new Date(at).toISOString(),
      });
      const stay = Math.round(r.int(2_000, 180_000) * shape.stay);
      rows.push({
        ...base,
        type: 'engagement',
        duration_ms: stay,
        value_cents: null,
        currency: null,
        at: new Date(at + stay).toISOString(),
      });
      at += stay + r.int(1_000, 60_000);
    }
    if (r.chance(shape.buys)) {
      const item = r.pick(SKUS);
      const base = { visitor_id: visitorId, area: 'cart', path: '/cart', browser_family: browser };
      rows.push({
        ...base,
        type: 'add_to_cart',
        duration_ms: null,
        value_cents: item.cents,
        currency: 'USD',
        at: new Date(at).toISOString(),
      });
      if (r.chance(0.4))
        rows.push({
          ...base,
          area: 'checkout',
          path: '/checkout/done',
          type: 'order_completed',
          duration_ms: null,
          value_cents: item.cents,
          currency: 'USD',
          at: new Date(at + 120_000).toISOString(),
        });
    }
  }

  /** The visitor accepts the banner through the cookie consent service, then sees the experiment, at `at`. */
  async #join(cookie: string, at: Date): Promise<boolean> {
    this.#clock.set(at);
    const categories = Object.fromEntries(
      Object.entries(this.#ctx.policy.doc.cookie_categories)
        .filter(([, c]) => !c.required)
        .map(([id]) => [id, id !== 'advertising' || this.#rng.chance(0.5)]),
    );
    await this.#cookieConsent.recordChoice({
      visitor: cookie,
      categories,
      gpc: false,
      source: 'choose',
      consentVersion: this.#ctx.policy.consentVersion,
    });
    return (await this.#experiments.recordExposure(DEMO_EXPERIMENT_ID, cookie)).recorded;
  }
}
