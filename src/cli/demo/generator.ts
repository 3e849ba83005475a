// The demo data generator (`vow demo --people N`): fills the store with N people of a jewelry shop
// and what they did: skewed order counts, gift recipients, contest entries, catalog requests, SMS
// sign-ups, registrations, unsubscribes, SMS STOPs, site visits with a layout experiment, and a
// few data subject requests: some answered on time months ago, some open within their deadline.
//
// It makes the bodies the shop backend would send (orders, contest entries, ...) and hands each
// batch of them to the collection service's `collectBatch`: the same code as the endpoints seals
// every value under its person's key, finds people again by blind index, applies the policy's
// consent rules and audits, so a generated record is exactly what POST /v1/orders (...) would have
// written for the same body at the same time. A batch of people is one transaction instead of one
// per request, which is what makes a million people take minutes rather than hours. Unsubscribes,
// STOPs, visits and the experiment go through their own services (site-visits.ts), and the privacy
// requests through the rights service at the moments they happened (request-history.ts).
//
// Reproducible: every choice comes from a seeded PRNG and record ids from ctx.random's uuid(), so
// with a seeded uuid() (as `vow demo` uses) the same seed gives the same people. Keys, tokens and
// the reports' noise come from ctx.random's bytes(), which `vow demo` keeps cryptographic.
import type { Services } from '../../app/services.js';
import type { OrderBody, Submission } from '../../modules/collection/index.js';
import type { VowContext } from '../../modules/policy/index.js';
import { normalisePhone, type PostalAddress } from '../../modules/subjects/index.js';
import { claimMeta } from '../../platform/store/index.js';
import { Prng } from './prng.js';
import { RequestHistory, type RequestPerson } from './request-history.js';
import { AREA_CODES, CITIES, DOMAINS, FIRST, JEWELRY, LAST, SMS_CONSENT_TEXT, STREETS } from './shop-data.js';
import { SiteVisits, SKUS } from './site-visits.js';

export { DEMO_EXPERIMENT_ID } from './site-visits.js';

export interface DemoOptions {
  readonly people: number;
  readonly seed?: number;
  /** People written per transaction (default 500). */
  readonly batchSize?: number;
  /**
   * Data subject requests left open, within their deadline (due in 2-7 days), each waiting for
   * staff (default: 1 per 1,000 people, 4 to 20).
   */
  readonly openRequests?: number;
  /** Data subject requests answered on time months ago (default: 1 per 1,000 people, 4 to 12). */
  readonly answeredRequests?: number;
  /** Site visitors per person (default 0.5). */
  readonly visitorsPerPerson?: number;
  /** Visitors who accept the cookie banner and see the layout experiment (default up to 300). */
  readonly experimentVisitors?: number;
  readonly onProgress?: (stats: DemoStats) => void;
}

export interface DemoStats {
  people: number;
  customers: number;
  giftRecipients: number;
  orders: number;
  registrations: number;
  contestEntries: number;
  catalogRequests: number;
  smsSubscribers: number;
  /** People who unsubscribed from at least one marketing channel. */
  unsubscribed: number;
  smsStopped: number;
  visitors: number;
  events: number;
  experimentExposures: number;
  openRequests: number;
  answeredRequests: number;
  seconds: number;
  peoplePerSecond: number;
}

const DAY = 86_400_000;

type GiftRecipient = NonNullable<OrderBody['gift_recipient']>;

interface Who {
  readonly first: string;
  readonly last: string;
  readonly name: string;
  readonly email: string;
  /** The phone in E.164, or undefined when not a valid number (checked only when it is used). */
  readonly phone: () => string | undefined;
  readonly address: PostalAddress;
}

/** One person of a batch: what they submitted (in order), then what they did afterwards. */
interface PersonPlan {
  readonly submissions: Submission[];
  readonly unsubscribe: { channel: string; at: Date }[];
  readonly smsStop?: Date;
}

const latest = (dates: readonly (Date | undefined)[]): Date =>
  new Date(Math.max(...dates.map((d) => d?.getTime() ?? 0)));

/** The store already holds the people of this seed. */
export class DemoSeedUsed extends Error {
  constructor(readonly seed: number) {
    super(`This store already holds the demo people of seed ${seed}; use another --seed`);
    this.name = 'DemoSeedUsed';
  }
}

export class DemoGenerator {
  readonly #ctx: VowContext;
  readonly #services: Services;
  readonly #rng: Prng;
  readonly #seed: number;
  #index = 0;
  readonly #now: Date;
  readonly #stats: DemoStats = {
    people: 0,
    customers: 0,
    giftRecipients: 0,
    orders: 0,
    registrations: 0,
    contestEntries: 0,
    catalogRequests: 0,
    smsSubscribers: 0,
    unsubscribed: 0,
    smsStopped: 0,
    visitors: 0,
    events: 0,
    experimentExposures: 0,
    openRequests: 0,
    answeredRequests: 0,
    seconds: 0,
    peoplePerSecond: 0,
  };
  /** A few people whose email Vow holds, for the privacy requests. */
  readonly #requesters: RequestPerson[] = [];

  constructor(ctx: VowContext, services: Services, seed = 1) {
    this.#ctx = ctx;
    this.#services = services;
    this.#seed = seed;
    this.#rng = new Prng(seed);
    this.#now = ctx.clock.now();
  }

  async run(options: DemoOptions): Promise<DemoStats> {
    const started = performance.now();
    await this.#claimSeed();
    const batchSize = Math.max(1, options.batchSize ?? 500);
    const visitorsPerPerson = options.visitorsPerPerson ?? 0.5;
    let experimentLeft = Math.min(
      options.experimentVisitors ?? 300,
      Math.round(options.people * visitorsPerPerson),
    );
    const site = new SiteVisits(this.#ctx, this.#services, this.#rng, this.#seed, this.#now);
    if (experimentLeft > 0) await site.ensureExperiment();
    while (this.#stats.people < options.people) {
      const n = Math.min(batchSize, options.people - this.#stats.people);
      const people = await this.#planBatch(n);
      await this.#writeBatch(people);
      const visitors = Math.round(n * visitorsPerPerson);
      const exposed = Math.min(experimentLeft, visitors);
      const made = await site.write(this.#stats.visitors, visitors, exposed);
      this.#stats.visitors += visitors;
      this.#stats.events += made.events;
      this.#stats.experimentExposures += made.exposures;
      experimentLeft -= exposed;
      this.#tick(started);
      options.onProgress?.({ ...this.#stats });
    }
    const perThousand = Math.round(options.people / 1000);
    const made = await new RequestHistory(this.#ctx, this.#services, this.#rng, this.#now).write(
      this.#requesters,
      {
        open: options.openRequests ?? Math.min(20, Math.max(4, perThousand)),
        answered: options.answeredRequests ?? Math.min(12, Math.max(4, perThousand)),
      },
    );
    this.#stats.openRequests += made.open;
    this.#stats.answeredRequests += made.answered;
    this.#tick(started);
    return { ...this.#stats };
  }

  /** A seed fills a store once: a second run with it would give the same people again. */
  async #claimSeed(): Promise<void> {
    const key = `demo.seed.${this.#seed}`;
    if (!(await claimMeta(this.#ctx.store.db, key, 'used', this.#now))) throw new DemoSeedUsed(this.#seed);
  }

  #tick(started: number): void {
    this.#stats.seconds = (performance.now() - started) / 1000;
    this.#stats.peoplePerSecond = this.#stats.people / Math.max(this.#stats.seconds, 1e-9);
  }

  // ---- planning (pure: PRNG only, no I/O) ---------------------------------------------------

  #identity(i: number): Who {
    const r = this.#rng;
    const first = r.pick(FIRST);
    const last = r.pick(LAST);
    const place = CITIES[i % CITIES.length]!;
    // Unique per person and seed: the running number is part of the email, the phone and the
    // street number (two runs into one store need different seeds; phones stay apart up to ~140
    // seeds of a million people each).
    const email = `${first}.${last}.${this.#seed}.${i}@${r.pick(DOMAINS)}`
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^\x20-\x7e]/g, '');
    const u = i + this.#seed * 1_000_000;
    const area = AREA_CODES[Math.floor(u / 7_000_000) % AREA_CODES.length]!;
    const exchange = 200 + (Math.floor(u / 10_000) % 700);
    // libphonenumber's check is costly: only for the third of the people who give a phone.
    let phone: string | null | undefined;
    const phoneOf = () => {
      phone ??= normalisePhone(`+1${area}${exchange}${String(u % 10_000).padStart(4, '0')}`) ?? null;
      return phone ?? undefined;
    };
    const address: PostalAddress = {
      line1: `${100 + (i % 9000)} ${r.pick(STREETS)}`,
      ...(r.chance(0.2) ? { line2: `Apt ${r.int(1, 40)}` } : {}),
      city: place.city,
      region: place.region,
      postal_code: place.zip,
      country: 'US',
    };
    return { first, last, name: `${first} ${last}`, email, phone: phoneOf, address };
  }

  #after(at: Date, maxDays: number): Date {
    const t = at.getTime() + this.#rng.int(1, maxDays) * DAY + this.#rng.int(0, DAY - 1);
    return new Date(Math.min(t, this.#now.getTime() - 60_000));
  }

  /** People (and their gift recipients) of one batch: `n` at most, fewer if a gift recipient is found again. */
  #planBatch(n: number): PersonPlan[] {
    const r = this.#rng;
    const people: PersonPlan[] = [];
    let made = 0;
    while (made < n) {
      const i = this.#index++;
      const who = this.#identity(i);
      const start = new Date(this.#now.getTime() - r.int(1, 730) * DAY - r.int(0, DAY - 1));
      const submissions: Submission[] = [];
      const unsubscribe: PersonPlan['unsubscribe'] = [];
      let smsStop: Date | undefined;
      let at = start;
      const role = r.next();
      let emailMarketing = false;
      let emailKnown = true;
      made++;
      if (role < 0.6) {
        // A customer: a skewed number of orders, a few of them gifts to someone else.
        this.#stats.customers++;
        emailMarketing = true;
        const orders = r.skewed(1.6, 40);
        const givesPhone = r.chance(0.4);
        for (let k = 0; k < orders; k++) {
          let gift: GiftRecipient | undefined;
          if (made < n && r.chance(0.07)) {
            gift = this.#giftRecipient(this.#index++);
            made++;
          }
          // A gift is given in the last year: the policy keeps a gift recipient's contact one year from
          // the order (P3), and Vow has no job yet that erases it then (the promise monitor would
          // report it); the date moves, nothing random is drawn, so a seed makes the same shop.
          const placed = gift ? new Date(Math.max(at.getTime(), this.#now.getTime() - 330 * DAY)) : at;
          submissions.push(this.#order(i, k, who, givesPhone, placed, gift));
          at = this.#after(at, 90);
        }
        if (r.chance(0.15)) submissions.push(this.#contestEntry(who, at));
        if (r.chance(0.08)) submissions.push(this.#catalogRequest(who, at));
        const phone = givesPhone ? who.phone() : undefined;
        if (phone && r.chance(0.1)) {
          submissions.push(this.#smsSignup(phone, at));
          if (r.chance(0.1)) smsStop = this.#after(at, 60);
        }
      } else if (role < 0.75) {
        emailMarketing = true;
        submissions.push(this.#contestEntry(who, at));
        if (r.chance(0.3)) submissions.push(this.#contestEntry(who, this.#after(at, 30)));
      } else if (role < 0.87) {
        emailMarketing = true;
        submissions.push(this.#catalogRequest(who, at));
        if (r.chance(0.05)) unsubscribe.push({ channel: 'postal_marketing', at: this.#after(at, 120) });
      } else if (role < 0.94 && who.phone()) {
        emailKnown = false;
        submissions.push(this.#smsSignup(who.phone()!, at));
        if (r.chance(0.1)) smsStop = this.#after(at, 60);
      } else {
        submissions.push(this.#registration(i, who, at));
      }
      // 10-20% of people unsubscribe from email marketing: ~17% of those enrolled.
      if (emailMarketing && r.chance(0.17)) {
        const last = submissions[submissions.length - 1]!.collectedAt!;
        unsubscribe.push({ channel: 'email_marketing', at: this.#after(last, 60) });
      }
      if (this.#requesters.length < 50 && r.chance(0.05) && emailKnown) {
        const lastAt = latest([
          ...submissions.map((s) => s.collectedAt),
          ...unsubscribe.map((u) => u.at),
          smsStop,
        ]);
        this.#requesters.push({ name: who.name, email: who.email, lastAt });
      }
      people.push({ submissions, unsubscribe, ...(smsStop ? { smsStop } : {}) });
    }
    return people;
  }

  #giftRecipient(i: number): GiftRecipient {
    const who = this.#identity(i);
    const withEmail = this.#rng.chance(0.6);
    return { name: who.name, shipping_address: who.address, ...(withEmail ? { email: who.email } : {}) };
  }

  #order(i: number, k: number, who: Who, givesPhone: boolean, at: Date, gift?: GiftRecipient): Submission {
    const r = this.#rng;
    const items = r
      .some(SKUS, 3)
      .map((s) => ({ sku: s.sku, quantity: r.chance(0.1) ? 2 : 1, unit_price_cents: s.cents }));
    const phone = givesPhone ? who.phone() : undefined;
    return {
      type: 'order',
      collectedAt: at,
      body: {
        shop_order_id: `demo-${this.#seed}-${i}-${k}`,
        placed_at: at.toISOString(),
        currency: 'USD',
        total_cents: items.reduce((s, it) => s + it.quantity * it.unit_price_cents, 0),
        items,
        buyer: {
          name: who.name,
          email: who.email,
          ...(phone ? { phone } : {}),
          billing_address: who.address,
          shipping_address: who.address,
        },
        ...(gift ? { gift_recipient: gift } : {}),
      },
    };
  }

  #contestEntry(who: Who, at: Date): Submission {
    const withName = this.#rng.chance(0.7);
    return {
      type: 'contest_entry',
      collectedAt: at,
      body: {
        email: who.email,
        ...(withName ? { name: who.name } : {}),
        contest_id: `spree-${at.toISOString().slice(0, 7)}`,
      },
    };
  }

  #catalogRequest(who: Who, at: Date): Submission {
    const r = this.#rng;
    const relationship_status = r.pick(['single', 'in_a_relationship', 'engaged', 'married', 'no_labels']);
    const jewelry_types = r.some(JEWELRY, 3);
    const budget = r.pick(['under_500', '500_1000', '1000_2000', '2000_5000', 'over_5000']);
    const age_range = r.pick(['18_24', '25_34', '35_44', '45_54', '55_64', '65_plus']);
    const residence_type = r.pick(['urban', 'suburban', 'rural']);
    const gender = r.chance(0.7) ? r.pick(['male', 'female', 'no_thanks']) : undefined;
    return {
      type: 'catalog_request',
      collectedAt: at,
      body: {
        first_name: who.first,
        last_name: who.last,
        email: who.email,
        postal_address: who.address,
        relationship_status,
        jewelry_types,
        budget,
        age_range,
        residence_type,
        gender,
      },
    };
  }

  #smsSignup(phone: string, at: Date): Submission {
    return { type: 'sms_signup', collectedAt: at, body: { phone, consent_text: SMS_CONSENT_TEXT } };
  }

  #registration(i: number, who: Who, at: Date): Submission {
    const optIn = this.#rng.chance(0.4);
    const gender = this.#rng.chance(0.6) ? this.#rng.pick(['male', 'female', 'no_answer']) : undefined;
    return {
      type: 'registration',
      collectedAt: at,
      body: {
        account_id: `demo-${this.#seed}-${i}`,
        name: who.name,
        email: who.email,
        postal_address: who.address,
        ...(gender ? { gender } : {}),
        catalog_opt_in: optIn,
        registered_at: at.toISOString(),
      },
    };
  }

  // ---- writing ------------------------------------------------------------------------------

  /**
   * The batch's submissions through the collection service, in one transaction (the same code
   * as the endpoints), then what the people did afterwards (unsubscribes, STOPs) in a second one.
   */
  async #writeBatch(people: PersonPlan[]): Promise<void> {
    const { collection, consent } = this.#services;
    const submissions = people.flatMap((p) => p.submissions);
    const { results, newSubjectIds } = await collection.collectBatch(submissions);
    const created = new Set(newSubjectIds);
    for (const [k, s] of submissions.entries()) {
      if (s.type === 'order') {
        this.#stats.orders++;
        const gift = results[k]!.body.giftRecipientSubjectId;
        if (gift && created.has(gift)) this.#stats.giftRecipients++;
      } else if (s.type === 'contest_entry') this.#stats.contestEntries++;
      else if (s.type === 'catalog_request') this.#stats.catalogRequests++;
      else if (s.type === 'sms_signup') this.#stats.smsSubscribers++;
      else if (s.type === 'registration') this.#stats.registrations++;
    }
    this.#stats.people += created.size;
    let first = 0;
    await this.#ctx.store.db.transaction().execute(async (trx) => {
      for (const person of people) {
        const subjectId = results[first]!.body.subjectId;
        first += person.submissions.length;
        for (const u of person.unsubscribe) {
          await consent.unsubscribe(trx, {
            subjectId,
            channel: u.channel,
            cause: { type: 'link_click' },
            at: u.at,
          });
        }
        if (person.unsubscribe.length > 0) this.#stats.unsubscribed++;
        if (person.smsStop) {
          await consent.unsubscribe(trx, {
            subjectId,
            channel: 'sms_marketing',
            cause: { type: 'sms_keyword', ref: 'STOP' },
            at: person.smsStop,
          });
          this.#stats.smsStopped++;
        }
      }
    });
  }
}

/** Fills the store with `people` demo people (see DemoGenerator); returns what was made. */
export function generateDemo(ctx: VowContext, services: Services, options: DemoOptions): Promise<DemoStats> {
  return new DemoGenerator(ctx, services, options.seed ?? 1).run(options);
}
