// The demo data generator (`vow demo --people N`): fills the store with N people of a jewelry shop
// and what they did: skewed order counts, gift recipients, contest entries, catalog requests, SMS
// sign-ups, registrations, unsubscribes, SMS STOPs, site visits with a layout experiment, and a
// few data subject requests left open near their deadline.
//
// It goes through the domain services so every value is sealed under its person's key, found
// again by blind index and enrolled by the policy's consent rules (subjects.link, vault.encrypt,
// consent.recordCollection / unsubscribe, rights.submit, cookie consent, experiments) — but it
// writes a whole batch of people in ONE transaction instead of one per request, which is what
// makes a million people take minutes rather than hours. The record rows it writes (orders,
// contest_entries, …) have exactly the shape the collection service writes.
//
// Reproducible: every choice comes from a seeded PRNG; with a seeded ctx.random (as `vow demo`
// uses) the same seed gives the same store.
import { createHash } from 'node:crypto';
import type { Insertable, Transaction } from 'kysely';
import type { VowContext } from '../context.js';
import { canonicalJson } from '../policy/model.js';
import type { Services } from '../services.js';
import type { Database } from '../store/schema.js';
import {
  normaliseAddress,
  normaliseEmail,
  normalisePhone,
  type PostalAddress,
  type PreparedIdentity,
  type SubjectLink,
} from '../subjects/index.js';
import { Prng } from './prng.js';

export interface DemoOptions {
  readonly people: number;
  readonly seed?: number;
  /** People written per transaction (default 500). */
  readonly batchSize?: number;
  /** Data subject requests left open near their deadline (default: 1 per 1,000 people, 3 to 20). */
  readonly openRequests?: number;
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
  seconds: number;
  peoplePerSecond: number;
}

export const DEMO_EXPERIMENT_ID = 'demo-product-page';
const SMS_CONSENT_TEXT =
  'Yes, send me marketing text messages from Aurora Jewelers at this number. Consent is not a condition of purchase. Msg & data rates may apply. Reply STOP to cancel, HELP for help.';

const FIRST = [
  'Olivia',
  'Liam',
  'Emma',
  'Noah',
  'Ava',
  'Elijah',
  'Sophia',
  'Mateo',
  'Isabella',
  'Lucas',
  'Mia',
  'Amara',
  'Hiro',
  'Priya',
  'Chen',
  'Fatima',
  'Diego',
  'Zoe',
  'Kwame',
  'Ingrid',
  'Rafael',
  'Yuki',
  'Leila',
  'Omar',
  'Grace',
  'Samuel',
  'Nora',
  'Arjun',
  'Elena',
  'Tomasz',
];
const LAST = [
  'Smith',
  'Johnson',
  'Garcia',
  'Brown',
  'Nguyen',
  'Patel',
  'Kim',
  'Okafor',
  'Rossi',
  'Müller',
  'Silva',
  'Cohen',
  'Haddad',
  'Larsen',
  'Tanaka',
  'Novak',
  'Dubois',
  'Martins',
  'Walker',
  'Reyes',
];
const STREETS = [
  'Maple Ave',
  'Oak St',
  'Cedar Ln',
  'Elm St',
  'Pine Rd',
  'Lakeview Dr',
  'Hillcrest Blvd',
  'Main St',
];
const CITIES: readonly { city: string; region: string; zip: string; area: string }[] = [
  { city: 'Springfield', region: 'IL', zip: '62704', area: '217' },
  { city: 'Portland', region: 'OR', zip: '97205', area: '503' },
  { city: 'Austin', region: 'TX', zip: '78701', area: '512' },
  { city: 'Boston', region: 'MA', zip: '02118', area: '617' },
  { city: 'Denver', region: 'CO', zip: '80202', area: '303' },
  { city: 'Seattle', region: 'WA', zip: '98101', area: '206' },
  { city: 'Atlanta', region: 'GA', zip: '30303', area: '404' },
  { city: 'Phoenix', region: 'AZ', zip: '85004', area: '602' },
  { city: 'Madison', region: 'WI', zip: '53703', area: '608' },
  { city: 'Richmond', region: 'VA', zip: '23219', area: '804' },
];
const AREA_CODES = [
  '217',
  '503',
  '512',
  '617',
  '303',
  '206',
  '404',
  '602',
  '608',
  '804',
  '212',
  '312',
  '415',
  '702',
  '305',
  '615',
  '919',
  '971',
  '763',
  '480',
];
const DOMAINS = ['example.com', 'example.org', 'example.net'];
const SKUS: readonly { sku: string; cents: number }[] = [
  { sku: 'RING-SOL-14K', cents: 189_900 },
  { sku: 'BAND-PLAT-4MM', cents: 99_500 },
  { sku: 'EAR-PEARL-STUD', cents: 12_900 },
  { sku: 'NECK-HEART-SS', cents: 7_900 },
  { sku: 'BRAC-TENNIS-1CT', cents: 249_000 },
  { sku: 'RING-MENS-TI', cents: 34_900 },
  { sku: 'PEND-INITIAL-GLD', cents: 15_900 },
  { sku: 'EAR-HOOP-14K', cents: 21_500 },
];
const JEWELRY = [
  'engagement_ring',
  'wedding_band',
  'mens_rings',
  'earrings',
  'bracelets',
  'necklaces_pendants',
  'just_browsing',
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
const DAY = 86_400_000;

type Kind = 'email' | 'phone' | 'address';
interface Who {
  readonly first: string;
  readonly last: string;
  readonly name: string;
  readonly email: string;
  readonly phone: string | undefined;
  readonly address: PostalAddress;
}
interface IdentifierPlan {
  readonly kind: Kind;
  readonly field: string;
  readonly normalised: string;
  readonly plain: string;
}

/** One collection record of one person, before it is sealed and written. */
interface RecordPlan {
  readonly point: string;
  readonly recordType: string;
  readonly kind: string;
  readonly at: Date;
  readonly identifiers: readonly IdentifierPlan[];
  readonly fields: readonly string[];
  readonly optIns: readonly string[];
  /** The value sealed into the record's own row (name etc.), or undefined for none. */
  readonly sealed?: unknown;
  readonly write: (
    trx: Transaction<Database>,
    rec: { id: string; subjectId: string; sealed: string | null; at: string },
  ) => Promise<void>;
  /** For an order: the gift recipient's record, linked in the same order. */
  readonly gift?: RecordPlan;
  /** For a gift recipient: their part of the order body (it goes into the order's request hash). */
  readonly body?: unknown;
}

interface PreparedGift {
  readonly plan: RecordPlan;
  readonly prepared: PreparedIdentity;
  readonly sealed: string;
  readonly subjectId: string;
}

interface PreparedRecord {
  readonly plan: RecordPlan;
  readonly prepared: PreparedIdentity;
  readonly sealed: string | null;
  readonly id: string;
  readonly gift?: PreparedGift;
}

interface PersonPlan {
  readonly subjectId: string;
  readonly records: RecordPlan[];
  readonly unsubscribe: { channel: string; at: Date }[];
  readonly smsStop?: Date;
}

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
    seconds: 0,
    peoplePerSecond: 0,
  };
  /** A few emails of people created, for the open requests. */
  readonly #sampleEmails: string[] = [];

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
    if (experimentLeft > 0) await this.#ensureExperiment();
    while (this.#stats.people < options.people) {
      const n = Math.min(batchSize, options.people - this.#stats.people);
      const people = await this.#planBatch(n);
      await this.#writeBatch(people);
      const visitors = Math.round(n * visitorsPerPerson);
      const cookies = await this.#writeVisits(visitors);
      const exposed = cookies.slice(0, experimentLeft);
      for (const cookie of exposed) await this.#exposeToExperiment(cookie);
      experimentLeft -= exposed.length;
      this.#tick(started);
      options.onProgress?.({ ...this.#stats });
    }
    const requests = options.openRequests ?? Math.min(20, Math.max(3, Math.round(options.people / 1000)));
    await this.#openRequests(Math.min(requests, this.#sampleEmails.length));
    this.#tick(started);
    return { ...this.#stats };
  }

  /** A seed fills a store once: a second run with it would give the same people again. */
  async #claimSeed(): Promise<void> {
    const key = `demo.seed.${this.#seed}`;
    const res = await this.#ctx.store.db
      .insertInto('vow_meta')
      .values({ key, value: 'used', updated_at: this.#now.toISOString() })
      .onConflict((oc) => oc.column('key').doNothing())
      .executeTakeFirst();
    if (Number(res.numInsertedOrUpdatedRows ?? 0) === 0) throw new DemoSeedUsed(this.#seed);
  }

  #tick(started: number): void {
    this.#stats.seconds = (performance.now() - started) / 1000;
    this.#stats.peoplePerSecond = this.#stats.people / Math.max(this.#stats.seconds, 1e-9);
  }

  // ---- planning (pure: PRNG only, no I/O) ---------------------------------------------------

  #fieldsOf(point: string, names: readonly string[]): SubjectLink['fields'] {
    const defs = this.#ctx.policy.doc.collection_points[point]?.fields ?? {};
    const out: Record<string, { category: string; purposes: readonly string[] }> = {};
    for (const name of names) {
      const def = Object.hasOwn(defs, name) ? defs[name] : undefined;
      if (def) out[name] = { category: def.category, purposes: [...def.purposes] };
    }
    return out;
  }

  #grantedBy(point: string): string[] {
    return Object.entries(this.#ctx.policy.doc.channels)
      .filter(([, ch]) => ch.granted_by?.includes(point))
      .map(([id]) => id);
  }

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
    const phone = normalisePhone(`+1${area}${exchange}${String(u % 10_000).padStart(4, '0')}`) ?? undefined;
    const address: PostalAddress = {
      line1: `${100 + (i % 9000)} ${r.pick(STREETS)}`,
      ...(r.chance(0.2) ? { line2: `Apt ${r.int(1, 40)}` } : {}),
      city: place.city,
      region: place.region,
      postal_code: place.zip,
      country: 'US',
    };
    return { first, last, name: `${first} ${last}`, email, phone, address };
  }

  #email(field: string, email: string): IdentifierPlan {
    const n = normaliseEmail(email);
    return { kind: 'email', field, normalised: n, plain: n };
  }

  #phone(field: string, phone: string): IdentifierPlan {
    return { kind: 'phone', field, normalised: phone, plain: phone };
  }

  #address(field: string, a: PostalAddress): IdentifierPlan {
    return { kind: 'address', field, normalised: normaliseAddress(a), plain: JSON.stringify(a) };
  }

  #after(at: Date, maxDays: number): Date {
    const t = at.getTime() + this.#rng.int(1, maxDays) * DAY + this.#rng.int(0, DAY - 1);
    return new Date(Math.min(t, this.#now.getTime() - 60_000));
  }

  async #planBatch(n: number): Promise<PersonPlan[]> {
    const r = this.#rng;
    const people: PersonPlan[] = [];
    let made = 0;
    while (made < n) {
      const i = this.#index++;
      const who = this.#identity(i);
      const subjectId = this.#ctx.random.uuid();
      const start = new Date(this.#now.getTime() - r.int(1, 730) * DAY - r.int(0, DAY - 1));
      const records: RecordPlan[] = [];
      const unsubscribe: PersonPlan['unsubscribe'] = [];
      let smsStop: Date | undefined;
      let at = start;
      const role = r.next();
      let emailMarketing = false;
      made++;
      if (role < 0.6) {
        // A customer: a skewed number of orders, a few of them gifts to someone else.
        this.#stats.customers++;
        emailMarketing = true;
        const orders = r.skewed(1.6, 40);
        const givesPhone = r.chance(0.4);
        for (let k = 0; k < orders; k++) {
          let gift: RecordPlan | undefined;
          if (made < n && r.chance(0.07)) {
            gift = this.#giftPlan(this.#index++, at);
            made++;
          }
          records.push(this.#orderPlan(i, k, who, givesPhone, at, gift));
          at = this.#after(at, 90);
        }
        if (r.chance(0.15)) records.push(this.#contestPlan(who, at));
        if (r.chance(0.08)) records.push(this.#catalogPlan(who, at));
        if (givesPhone && who.phone && r.chance(0.1)) {
          records.push(this.#smsPlan(who.phone, at));
          if (r.chance(0.1)) smsStop = this.#after(at, 60);
        }
      } else if (role < 0.75) {
        emailMarketing = true;
        records.push(this.#contestPlan(who, at));
        if (r.chance(0.3)) records.push(this.#contestPlan(who, this.#after(at, 30)));
      } else if (role < 0.87) {
        emailMarketing = true;
        records.push(this.#catalogPlan(who, at));
        if (r.chance(0.05)) unsubscribe.push({ channel: 'postal_marketing', at: this.#after(at, 120) });
      } else if (role < 0.94 && who.phone) {
        records.push(this.#smsPlan(who.phone, at));
        if (r.chance(0.1)) smsStop = this.#after(at, 60);
      } else {
        records.push(this.#registrationPlan(i, who, at));
      }
      // 10-20% of people unsubscribe from email marketing: ~17% of those enrolled.
      if (emailMarketing && r.chance(0.17)) {
        const last = records[records.length - 1]!.at;
        unsubscribe.push({ channel: 'email_marketing', at: this.#after(last, 60) });
      }
      if (this.#sampleEmails.length < 50 && r.chance(0.05)) this.#sampleEmails.push(who.email);
      people.push({ subjectId, records, unsubscribe, ...(smsStop ? { smsStop } : {}) });
    }
    return people;
  }

  #giftPlan(i: number, at: Date): RecordPlan {
    const who = this.#identity(i);
    const withEmail = this.#rng.chance(0.6);
    const identifiers = [
      this.#address('gift_recipient.shipping_address', who.address),
      ...(withEmail ? [this.#email('gift_recipient.email', who.email)] : []),
    ];
    return {
      point: 'checkout',
      recordType: 'order',
      kind: 'gift_recipient',
      at,
      identifiers,
      fields: [
        'gift_recipient.name',
        'gift_recipient.shipping_address',
        ...(withEmail ? ['gift_recipient.email'] : []),
      ],
      optIns: [],
      sealed: { name: who.name },
      write: async () => {},
      body: { name: who.name, shipping_address: who.address, ...(withEmail ? { email: who.email } : {}) },
    };
  }

  #orderPlan(
    i: number,
    k: number,
    who: Who,
    givesPhone: boolean,
    at: Date,
    gift: RecordPlan | undefined,
  ): RecordPlan {
    const r = this.#rng;
    const items = r
      .some(SKUS, 3)
      .map((s) => ({ sku: s.sku, quantity: r.chance(0.1) ? 2 : 1, unit_price_cents: s.cents }));
    const phone = givesPhone ? who.phone : undefined;
    const giftBody = gift?.body;
    const body = {
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
      ...(giftBody ? { gift_recipient: giftBody } : {}),
    };
    const requestHash = this.#ctx.vault.blindIndex('token', `order-request:${canonicalJson(body)}`);
    const policyVersion = this.#ctx.policy.version;
    return {
      point: 'checkout',
      recordType: 'order',
      kind: 'customer',
      at,
      identifiers: [
        this.#email('buyer.email', who.email),
        ...(phone ? [this.#phone('buyer.phone', phone)] : []),
        this.#address('buyer.billing_address', who.address),
        this.#address('buyer.shipping_address', who.address),
      ],
      fields: [
        'buyer.name',
        'buyer.email',
        ...(phone ? ['buyer.phone'] : []),
        'buyer.billing_address',
        'buyer.shipping_address',
        'order.items',
        'order.total',
      ],
      optIns: [],
      sealed: { name: who.name },
      ...(gift ? { gift } : {}),
      write: async (trx, rec) => {
        await trx
          .insertInto('orders')
          .values({
            id: rec.id,
            shop_order_id: body.shop_order_id,
            request_hash: requestHash,
            buyer_subject_id: rec.subjectId,
            buyer_sealed: rec.sealed!,
            gift_subject_id: null,
            gift_sealed: null,
            items: JSON.stringify(items),
            total_cents: body.total_cents,
            currency: 'USD',
            placed_at: body.placed_at,
            policy_version: policyVersion,
            collected_at: rec.at,
          })
          .execute();
      },
    };
  }

  #contestPlan(who: Who, at: Date): RecordPlan {
    const withName = this.#rng.chance(0.7);
    const contestId = `spree-${at.toISOString().slice(0, 7)}`;
    return {
      point: 'contest_entry',
      recordType: 'contest_entry',
      kind: 'contestant',
      at,
      identifiers: [this.#email('email', who.email)],
      fields: ['email', ...(withName ? ['name'] : [])],
      optIns: [],
      ...(withName ? { sealed: { name: who.name } } : {}),
      write: async (trx, rec) => {
        this.#stats.contestEntries++;
        await trx
          .insertInto('contest_entries')
          .values({
            id: rec.id,
            subject_id: rec.subjectId,
            contest_id: contestId,
            sealed: rec.sealed,
            policy_version: this.#ctx.policy.version,
            collected_at: rec.at,
          })
          .execute();
      },
    };
  }

  #catalogPlan(who: Who, at: Date): RecordPlan {
    const r = this.#rng;
    const answers = {
      relationship_status: r.pick(['single', 'in_a_relationship', 'engaged', 'married', 'no_labels']),
      jewelry_types: r.some(JEWELRY, 3),
      budget: r.pick(['under_500', '500_1000', '1000_2000', '2000_5000', 'over_5000']),
      age_range: r.pick(['18_24', '25_34', '35_44', '45_54', '55_64', '65_plus']),
      residence_type: r.pick(['urban', 'suburban', 'rural']),
      gender: r.chance(0.7) ? r.pick(['male', 'female', 'no_thanks']) : undefined,
    };
    return {
      point: 'catalog_request',
      recordType: 'catalog_request',
      kind: 'catalog_requester',
      at,
      identifiers: [this.#email('email', who.email), this.#address('postal_address', who.address)],
      fields: [
        'email',
        'first_name',
        'last_name',
        'postal_address',
        'relationship_status',
        'jewelry_types',
        'budget',
        'age_range',
        'residence_type',
        ...(answers.gender ? ['gender'] : []),
      ],
      optIns: [],
      sealed: { first_name: who.first, last_name: who.last },
      write: async (trx, rec) => {
        this.#stats.catalogRequests++;
        await trx
          .insertInto('catalog_requests')
          .values({
            id: rec.id,
            subject_id: rec.subjectId,
            sealed: rec.sealed!,
            relationship_status: answers.relationship_status,
            jewelry_types: JSON.stringify(answers.jewelry_types),
            budget: answers.budget,
            age_range: answers.age_range,
            residence_type: answers.residence_type,
            gender: answers.gender ?? null,
            policy_version: this.#ctx.policy.version,
            collected_at: rec.at,
          })
          .execute();
      },
    };
  }

  #smsPlan(phone: string, at: Date): RecordPlan {
    return {
      point: 'sms_signup',
      recordType: 'sms_signup',
      kind: 'sms_subscriber',
      at,
      identifiers: [this.#phone('phone', phone)],
      fields: ['phone'],
      optIns: this.#grantedBy('sms_signup'),
      write: async (trx, rec) => {
        this.#stats.smsSubscribers++;
        await trx
          .insertInto('sms_signups')
          .values({
            id: rec.id,
            subject_id: rec.subjectId,
            consent_text: SMS_CONSENT_TEXT,
            consent_text_sha256: createHash('sha256').update(SMS_CONSENT_TEXT, 'utf8').digest('hex'),
            policy_version: this.#ctx.policy.version,
            collected_at: rec.at,
          })
          .execute();
      },
    };
  }

  #registrationPlan(i: number, who: Who, at: Date): RecordPlan {
    const optIn = this.#rng.chance(0.4);
    const gender = this.#rng.chance(0.6) ? this.#rng.pick(['male', 'female', 'no_answer']) : null;
    return {
      point: 'registration',
      recordType: 'registration',
      kind: 'account_holder',
      at,
      identifiers: [
        {
          kind: 'email',
          field: 'email',
          normalised: normaliseEmail(who.email),
          plain: normaliseEmail(who.email),
        },
        this.#address('postal_address', who.address),
      ],
      fields: ['email', 'name', 'postal_address', ...(gender ? ['gender'] : []), 'catalog_opt_in'],
      optIns: optIn ? this.#grantedBy('registration') : [],
      sealed: { name: who.name },
      write: async (trx, rec) => {
        this.#stats.registrations++;
        await trx
          .insertInto('registrations')
          .values({
            id: rec.id,
            subject_id: rec.subjectId,
            sealed: rec.sealed!,
            gender,
            catalog_opt_in: optIn ? 1 : 0,
            registered_at: rec.at,
            policy_version: this.#ctx.policy.version,
            collected_at: rec.at,
          })
          .execute();
        void i;
      },
    };
  }

  // ---- writing ------------------------------------------------------------------------------

  /** Seals a record's identifiers under the person's key (outside the transaction: keys are made here). */
  async #prepare(subjectId: string, rec: RecordPlan, claimed: Set<string>): Promise<PreparedIdentity> {
    const vault = this.#ctx.vault;
    const identifiers = [];
    for (const id of rec.identifiers) {
      identifiers.push({
        kind: id.kind,
        field: id.field,
        blindIndex: vault.blindIndex(id.kind, id.normalised),
        sealed: await vault.encrypt(subjectId, id.plain),
      });
    }
    const lookups = identifiers.filter((x) => x.kind !== 'address');
    const addressOnly = lookups.length === 0;
    // Found again by an identifier an earlier record of theirs claimed (as the service's look-up would).
    const primary = (addressOnly ? identifiers : lookups).find((x) =>
      claimed.has(`${x.kind}:${x.blindIndex}`),
    );
    for (const x of addressOnly ? identifiers : lookups) claimed.add(`${x.kind}:${x.blindIndex}`);
    return {
      subjectId,
      isNew: !primary,
      foundBy: primary ? { kind: primary.kind, blindIndex: primary.blindIndex } : undefined,
      replaces: undefined,
      addressOnly,
      identifiers,
    };
  }

  async #writeBatch(people: PersonPlan[]): Promise<void> {
    const ctx = this.#ctx;
    const { subjects, consent } = this.#services;
    // Phase one, outside the transaction: ids, data keys and sealed values.
    const work: {
      person: PersonPlan;
      recs: {
        plan: RecordPlan;
        prepared: PreparedIdentity;
        sealed: string | null;
        id: string;
        gift?: { plan: RecordPlan; prepared: PreparedIdentity; sealed: string; subjectId: string };
      }[];
    }[] = [];
    // Every new person's data key in a few statements (instead of three round trips each).
    const giftIds = new Map<RecordPlan, string>();
    for (const person of people)
      for (const plan of person.records) if (plan.gift) giftIds.set(plan, ctx.random.uuid());
    await ctx.vault.createKeys([...people.map((p) => p.subjectId), ...giftIds.values()]);
    for (const person of people) {
      const recs: PreparedRecord[] = [];
      const claimed = new Set<string>();
      for (const plan of person.records) {
        const prepared = await this.#prepare(person.subjectId, plan, claimed);
        const sealed =
          plan.sealed === undefined
            ? null
            : await ctx.vault.encrypt(person.subjectId, JSON.stringify(plan.sealed));
        let gift: PreparedGift | undefined;
        if (plan.gift) {
          const giftId = giftIds.get(plan)!;
          gift = {
            plan: plan.gift,
            prepared: await this.#prepare(giftId, plan.gift, new Set()),
            sealed: await ctx.vault.encrypt(giftId, JSON.stringify(plan.gift.sealed)),
            subjectId: giftId,
          };
        }
        recs.push({ plan, prepared, sealed, id: ctx.random.uuid(), ...(gift ? { gift } : {}) });
      }
      work.push({ person, recs });
    }
    // Phase two: one transaction for the whole batch.
    await ctx.store.db.transaction().execute(async (trx) => {
      for (const { person, recs } of work) {
        for (const rec of recs) {
          const p = rec.plan;
          await subjects.link(trx, rec.prepared, {
            subjectKind: p.kind,
            collectionPoint: p.point,
            recordType: p.recordType,
            recordId: rec.id,
            fields: this.#fieldsOf(p.point, p.fields),
            at: p.at,
          });
          const atIso = p.at.toISOString();
          await p.write(trx, { id: rec.id, subjectId: person.subjectId, sealed: rec.sealed, at: atIso });
          if (rec.gift) {
            const g = rec.gift;
            await subjects.link(trx, g.prepared, {
              subjectKind: 'gift_recipient',
              collectionPoint: 'checkout',
              recordType: 'order',
              recordId: rec.id,
              fields: this.#fieldsOf('checkout', g.plan.fields),
              at: p.at,
            });
            await trx
              .updateTable('orders')
              .set({ gift_subject_id: g.subjectId, gift_sealed: g.sealed })
              .where('id', '=', rec.id)
              .execute();
          }
          await consent.recordCollection(trx, {
            subjectId: person.subjectId,
            collectionPoint: p.point,
            optIns: [...p.optIns],
            at: p.at,
            kinds: [p.kind],
            recordId: rec.id,
          });
          if (rec.gift) {
            await consent.recordCollection(trx, {
              subjectId: rec.gift.subjectId,
              collectionPoint: 'checkout',
              optIns: [],
              at: p.at,
              kinds: ['gift_recipient'],
              recordId: rec.id,
            });
            this.#stats.giftRecipients++;
            this.#stats.people++;
          }
          if (p.recordType === 'order') this.#stats.orders++;
        }
        for (const u of person.unsubscribe) {
          await consent.unsubscribe(trx, {
            subjectId: person.subjectId,
            channel: u.channel,
            cause: { type: 'link_click' },
            at: u.at,
          });
        }
        if (person.unsubscribe.length > 0) this.#stats.unsubscribed++;
        if (person.smsStop) {
          await consent.unsubscribe(trx, {
            subjectId: person.subjectId,
            channel: 'sms_marketing',
            cause: { type: 'sms_keyword', ref: 'STOP' },
            at: person.smsStop,
          });
          this.#stats.smsStopped++;
        }
        this.#stats.people++;
      }
    });
  }

  /** Visits of cookie-consenting visitors: page views, engagement, carts and orders. Returns the cookie ids. */
  async #writeVisits(visitors: number): Promise<string[]> {
    const r = this.#rng;
    const vault = this.#ctx.vault;
    const rows: Insertable<Database['analytics_events']>[] = [];
    const cookies: string[] = [];
    for (let v = 0; v < visitors; v++) {
      const cookie = `demo${this.#seed}v${this.#stats.visitors + v}x${Math.floor(r.next() * 1e9).toString(36)}`;
      cookies.push(cookie);
      const visitorId = vault.blindIndex('cookie', cookie);
      const browser = r.pick(BROWSERS);
      let at = this.#now.getTime() - r.int(0, 90) * DAY - r.int(0, DAY - 1);
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
        const stay = r.int(2_000, 180_000);
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
      if (r.chance(0.08)) {
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
    const db = this.#ctx.store.db;
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += 400)
        await trx
          .insertInto('analytics_events')
          .values(rows.slice(i, i + 400))
          .execute();
    });
    this.#stats.visitors += visitors;
    this.#stats.events += rows.length;
    return cookies;
  }

  async #ensureExperiment(): Promise<void> {
    const exists = await this.#services.experiments.list();
    if (exists.some((e) => e.id === DEMO_EXPERIMENT_ID)) return;
    await this.#services.experiments.create(
      {
        id: DEMO_EXPERIMENT_ID,
        name: 'Product page: large photos',
        description: 'Variant B shows the product photos twice as large',
        variants: [
          { id: 'A', weight: 1, description: 'current layout' },
          { id: 'B', weight: 1, description: 'large photos' },
        ],
      },
      { type: 'system', id: 'vow-demo' },
    );
  }

  /** The visitor accepts the banner through the cookie consent service, then sees the experiment. */
  async #exposeToExperiment(cookie: string): Promise<void> {
    const categories = Object.fromEntries(
      Object.entries(this.#ctx.policy.doc.cookie_categories)
        .filter(([, c]) => !c.required)
        .map(([id]) => [id, id !== 'advertising' || this.#rng.chance(0.5)]),
    );
    await this.#services.cookies.consent.recordChoice({
      visitor: cookie,
      categories,
      gpc: false,
      source: 'choose',
      consentVersion: this.#ctx.policy.consentVersion,
    });
    const exposure = await this.#services.experiments.recordExposure(DEMO_EXPERIMENT_ID, cookie);
    if (exposure.recorded) this.#stats.experimentExposures++;
  }

  /** A few requests left open, received long enough ago that their deadline is days away. */
  async #openRequests(n: number): Promise<void> {
    const types = ['access', 'deletion', 'correction', 'portability'] as const;
    for (let k = 0; k < n; k++) {
      const eea = this.#rng.chance(0.3);
      // CCPA: 45 days; GDPR: one month. Received 38-43 (or 24-28) days ago: due within days.
      const ago = eea ? this.#rng.int(24, 28) : this.#rng.int(38, 43);
      const receivedOn = new Date(this.#now.getTime() - ago * DAY).toISOString().slice(0, 10);
      const type = types[k % 2]!;
      await this.#services.rights.submit(
        { type, jurisdiction: eea ? 'eea' : 'us-ca', email: this.#sampleEmails[k]! },
        { channel: 'email', receivedOn },
      );
      this.#stats.openRequests++;
    }
  }
}

/** Fills the store with `people` demo people (see DemoGenerator); returns what was made. */
export function generateDemo(ctx: VowContext, services: Services, options: DemoOptions): Promise<DemoStats> {
  return new DemoGenerator(ctx, services, options.seed ?? 1).run(options);
}
