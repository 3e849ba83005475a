// Where personal data enters: orders, registrations, contest entries, catalog requests, SMS
// sign-ups and inbound customer-service email. Each collection is checked by the under-13 gate,
// stored with its collection point, the policy version in force and the purposes each field may
// serve, linked to the person with the kind they had there, and handed to the consent rules, all
// in one transaction.
//
// One code path writes every collection: each endpoint is a batch of one, and `collectBatch`
// (bulk imports, `vow demo`) writes many validated submissions in one transaction, each exactly as
// its endpoint would have (a person created earlier in the batch is found again, as a later
// request would find them).
import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import { canonicalJson } from '../../platform/canonical-json.js';
import { Vault } from '../../platform/crypto/index.js';
import { VowError } from '../../platform/errors.js';
import type { Database } from '../../platform/store/index.js';
import type { VowContext } from '../policy/index.js';
import {
  type IdentifierInput,
  type IndexedIdentifier,
  openSealed,
  type ResolutionRequest,
  type SubjectLink,
  type SubjectService,
} from '../subjects/index.js';
import { assertNotUnder13 } from './age-gate.js';
import { IdempotencyKeys, type IdempotencyScope } from './idempotency.js';
import {
  type CatalogRequestBody,
  type ContestEntryBody,
  DEFAULT_PHONE_COUNTRY,
  type InboundMessageBody,
  type OrderBody,
  type RegistrationBody,
  type SmsSignupBody,
} from './schemas.js';

/** What the collection module needs of the consent module (src/consent: ConsentService). */
export interface ConsentRecorder {
  recordCollection(
    trx: Transaction<Database>,
    input: {
      readonly subjectId: string;
      readonly collectionPoint: string;
      readonly optIns: readonly string[];
      readonly at: Date;
      readonly kinds: readonly string[];
      readonly recordId: string;
    },
  ): Promise<unknown>;
}

export interface Collected {
  readonly id: string;
  readonly subjectId: string;
}

export interface OrderCollected extends Collected {
  readonly giftRecipientSubjectId?: string;
}

/** The answer of a collection endpoint: 201 when stored, 200 when an idempotent replay. */
export interface CollectionResult<T extends Collected = Collected> {
  readonly status: 200 | 201;
  readonly body: T;
  /** True when this is the kept first answer to an Idempotency-Key, given again. */
  readonly replayed?: boolean;
}

/** Runs inside the batch's transaction once its rows are written, with the batch's answers. */
type OnWritten = (
  trx: Transaction<Database>,
  results: readonly CollectionResult<OrderCollected>[],
) => Promise<void>;

/**
 * One submission to a collection point, already validated by its endpoint's schema (the caller's
 * job: `orderSchema`, `registrationSchema(policy)`, ...). `collectedAt` (default: now) is when
 * the data came in, for imports of past collections; it dates the record, the person's links and
 * the consent events.
 */
export type Submission = { readonly collectedAt?: Date } & (
  | { readonly type: 'order'; readonly body: OrderBody }
  | { readonly type: 'registration'; readonly body: RegistrationBody }
  | { readonly type: 'contest_entry'; readonly body: ContestEntryBody }
  | { readonly type: 'catalog_request'; readonly body: CatalogRequestBody }
  | { readonly type: 'sms_signup'; readonly body: SmsSignupBody }
  | { readonly type: 'inbound_message'; readonly body: InboundMessageBody }
);

export interface BatchCollected {
  /** One answer per submission, in order (an order already recorded with the same body: 200). */
  readonly results: readonly CollectionResult<OrderCollected>[];
  /** The people the batch created (everyone else was found again). */
  readonly newSubjectIds: readonly string[];
}

/** Default kinds, used when a retailer's policy does not name a field's subject kind. */
const DEFAULT_KINDS: Readonly<Record<string, string>> = {
  checkout: 'customer',
  registration: 'account_holder',
  contest_entry: 'contestant',
  catalog_request: 'catalog_requester',
  sms_signup: 'sms_subscriber',
  inbound_email: 'correspondent',
};

/** Fields Vow records besides the policy's form fields (the shop's account id). */
const EXTRA_FIELDS: Readonly<Record<string, { category: string; purposes: string[] }>> = {
  'registration.account_id': { category: 'account.profile', purposes: ['account.service'] },
};

/** One person of one collection: found by their identifiers, linked under their kind. */
interface Party {
  readonly identifiers: readonly IndexedIdentifier[];
  readonly kind: string;
  readonly fields: SubjectLink['fields'];
  /** Channels the person explicitly ticked on the form. */
  readonly optIns: readonly string[];
  /** The value sealed under this person's key into the record's own row (a name...), if any. */
  readonly sealed?: unknown;
  /** A gift recipient: the buyer (the first party) when they share an email or phone. */
  readonly maybeFirstParty?: boolean;
}

/** One collection, checked and ready to write: its people and how its row is written. */
interface Plan {
  readonly point: string;
  readonly recordType: string;
  readonly at: Date;
  readonly parties: readonly [Party, ...Party[]];
  /** An order: idempotent on the shop's order id (same body: the first answer again). */
  readonly order?: { readonly shopOrderId: string; readonly requestHash: string };
  readonly insert: (
    trx: Transaction<Database>,
    rec: {
      readonly id: string;
      readonly at: string;
      /** Per party, in order. */
      readonly subjectIds: readonly string[];
      readonly sealed: readonly (string | null)[];
    },
  ) => Promise<void>;
}

export class CollectionService {
  readonly #ctx: VowContext;
  readonly #subjects: SubjectService;
  readonly #consent: () => ConsentRecorder | undefined;
  readonly #keys: IdempotencyKeys;

  constructor(ctx: VowContext, subjects: SubjectService, consent: () => ConsentRecorder | undefined) {
    this.#ctx = ctx;
    this.#subjects = subjects;
    this.#consent = consent;
    this.#keys = new IdempotencyKeys(ctx);
  }

  /**
   * One collection, as its endpoint receives it; with an Idempotency-Key (`scope`), the key's first
   * answer is given again (`replayed`) to a retry with the same body, kept for a day, and a reuse
   * with another body is refused (VOW_IDEMPOTENCY_CONFLICT). The key is kept in the collection's own
   * transaction; of two requests racing with one key, one stores and the other answers as its retry.
   */
  async collect(s: Submission, scope?: IdempotencyScope): Promise<CollectionResult<OrderCollected>> {
    if (!scope) return this.#one(s);
    const point = this.#plan(s).point;
    const hashes = this.#keys.hashes(scope, point, s.body);
    for (let attempt = 1; ; attempt++) {
      const kept = await this.#keys.answerOf<OrderCollected>(hashes);
      if (kept) return { ...kept, replayed: true };
      try {
        const { results } = await this.collectBatch([s], (trx, answers) =>
          this.#keys.keep(trx, hashes, answers[0]!),
        );
        return results[0]!;
      } catch (err) {
        // The other request of a race kept the key first: answer as its retry.
        if (attempt === 1 && (await this.#keys.answerOf(hashes).catch(() => 'conflict'))) continue;
        throw err;
      }
    }
  }

  /** The policy's { category, purposes } of the named fields of one collection point. */
  #fields(point: string, names: readonly string[]): SubjectLink['fields'] {
    const defs = this.#ctx.policy.doc.collection_points[point]?.fields ?? {};
    const out: Record<string, { category: string; purposes: readonly string[] }> = {};
    for (const name of names) {
      const def = Object.hasOwn(defs, name) ? defs[name] : EXTRA_FIELDS[`${point}.${name}`];
      if (def) out[name] = { category: def.category, purposes: [...def.purposes] };
    }
    return out;
  }

  #kindOf(point: string, field: string): string {
    const defs = this.#ctx.policy.doc.collection_points[point]?.fields ?? {};
    return (Object.hasOwn(defs, field) ? defs[field]?.subject_kind : undefined) ?? DEFAULT_KINDS[point]!;
  }

  /** Channels whose `granted_by` lists this point: what an explicit yes on its form grants. */
  #grantedBy(point: string): string[] {
    return Object.entries(this.#ctx.policy.doc.channels)
      .filter(([, ch]) => ch.granted_by?.includes(point))
      .map(([id]) => id);
  }

  #assertPoint(point: string): void {
    if (!Object.hasOwn(this.#ctx.policy.doc.collection_points, point)) {
      throw new VowError('VOW_NOT_FOUND', `The policy in force has no collection point "${point}"`);
    }
  }

  /** One person, one record: the shape of every collection point but checkout. */
  #single(opts: {
    point: string;
    recordType: string;
    at: Date;
    identifiers: IdentifierInput[];
    fieldNames: string[];
    optIns: string[];
    sealed?: unknown;
    insert: (
      trx: Transaction<Database>,
      rec: { id: string; subjectId: string; sealed: string | null; at: string },
    ) => Promise<void>;
  }): Plan {
    this.#assertPoint(opts.point);
    return {
      point: opts.point,
      recordType: opts.recordType,
      at: opts.at,
      parties: [
        {
          identifiers: this.#subjects.index(opts.identifiers),
          kind: this.#kindOf(opts.point, opts.fieldNames[0]!),
          fields: this.#fields(opts.point, opts.fieldNames),
          optIns: opts.optIns,
          ...(opts.sealed === undefined ? {} : { sealed: opts.sealed }),
        },
      ],
      insert: (trx, rec) =>
        opts.insert(trx, { id: rec.id, subjectId: rec.subjectIds[0]!, sealed: rec.sealed[0]!, at: rec.at }),
    };
  }

  /** Checks one submission (point in the policy, under-13 gate, phone numbers) and plans its write. */
  #plan(s: Submission): Plan {
    const at = s.collectedAt ?? this.#ctx.clock.now();
    switch (s.type) {
      case 'order':
        return this.#planOrder(s.body, at);
      case 'registration':
        return this.#planRegistration(s.body, at);
      case 'contest_entry':
        return this.#planContestEntry(s.body, at);
      case 'catalog_request':
        return this.#planCatalogRequest(s.body, at);
      case 'sms_signup':
        return this.#planSmsSignup(s.body, at);
      case 'inbound_message':
        return this.#planInboundMessage(s.body, at);
    }
  }

  /** POST /v1/orders: the buyer and, optionally, a gift recipient. Idempotent on shop_order_id. */
  order(body: OrderBody): Promise<CollectionResult<OrderCollected>> {
    return this.#one({ type: 'order', body });
  }

  /** POST /v1/registrations: an account holder; the catalog box grants the policy's channels (P5). */
  registration(body: RegistrationBody): Promise<CollectionResult> {
    return this.#one({ type: 'registration', body });
  }

  /** POST /v1/contest-entries: enrolls the entrant in email marketing (P8, by the consent rules). */
  contestEntry(body: ContestEntryBody): Promise<CollectionResult> {
    return this.#one({ type: 'contest_entry', body });
  }

  /** POST /v1/catalog-requests: the catalog form, every answer within the policy's values. */
  catalogRequest(body: CatalogRequestBody): Promise<CollectionResult> {
    return this.#one({ type: 'catalog_request', body });
  }

  /** POST /v1/sms-signups: prior express written consent, its wording kept as proof. */
  smsSignup(body: SmsSignupBody): Promise<CollectionResult> {
    return this.#one({ type: 'sms_signup', body });
  }

  /** POST /v1/inbound-messages: a return address for support.reply only (P4); enrolls nothing. */
  inboundMessage(body: InboundMessageBody): Promise<CollectionResult> {
    return this.#one({ type: 'inbound_message', body });
  }

  async #one(s: Submission): Promise<CollectionResult<OrderCollected>> {
    const { results } = await this.collectBatch([s]);
    return results[0]!;
  }

  /**
   * Many validated submissions written in ONE transaction, each through the same code as its
   * endpoint (the endpoints are batches of one): same checks, rows, consent events and audit
   * entries. All or nothing: one refused submission (under 13, an order id recorded with another
   * body, a point the policy lacks) refuses the batch and stores nothing of it.
   */
  async collectBatch(submissions: readonly Submission[], onWritten?: OnWritten): Promise<BatchCollected> {
    if (submissions.length === 0) return { results: [], newSubjectIds: [] };
    const plans = submissions.map((s) => this.#plan(s));
    const identifiers = plans.flatMap((p) => p.parties.flatMap((party) => party.identifiers));
    for (let attempt = 1; ; attempt++) {
      const replays = await this.#replays(plans);
      await this.#subjects.assertNoneMarked(identifiers);
      try {
        return await this.#write(plans, replays, identifiers, onWritten);
      } catch (err) {
        // Two requests with the same order id at once: the loser answers as a replay would.
        if (attempt === 1 && (await this.#newlyStored(plans, replays))) continue;
        throw err;
      }
    }
  }

  async #write(
    plans: readonly Plan[],
    replays: ReadonlyMap<number, CollectionResult<OrderCollected> | number>,
    identifiers: readonly IndexedIdentifier[],
    onWritten?: OnWritten,
  ): Promise<BatchCollected> {
    const todo = plans.flatMap((plan, n) => (replays.has(n) ? [] : [{ plan, n }]));
    return this.#subjects.withResolution(async () => {
      // Phase one, outside the transaction: the people (data keys are made here), sealed values, ids.
      const requests: ResolutionRequest[] = [];
      const first: number[] = [];
      for (const { plan } of todo) {
        first.push(requests.length);
        const buyer = requests.length;
        for (const [k, party] of plan.parties.entries())
          requests.push({
            identifiers: party.identifiers,
            ...(k > 0 && party.maybeFirstParty ? { sameAs: buyer } : {}),
          });
      }
      const prepared = await this.#subjects.prepareAll(requests);
      const sealed: (string | null)[] = [];
      for (const [t, { plan }] of todo.entries())
        for (const [k, party] of plan.parties.entries())
          sealed.push(
            party.sealed === undefined
              ? null
              : await this.#subjects.seal(prepared[first[t]! + k]!, party.sealed),
          );
      const ids = todo.map(() => this.#ctx.random.uuid());
      const consent = this.#consent();
      // Phase two: one transaction for every submission.
      const written = await this.#ctx.store.db.transaction().execute(async (trx) => {
        // Again inside the transaction: staff may have marked the person meanwhile (P14).
        await this.#subjects.assertNoneMarked(identifiers, trx);
        const out: string[][] = [];
        for (const [t, { plan }] of todo.entries()) {
          const id = ids[t]!;
          const subjectIds: string[] = [];
          for (const [k, party] of plan.parties.entries())
            subjectIds.push(
              await this.#subjects.link(trx, prepared[first[t]! + k]!, {
                subjectKind: party.kind,
                collectionPoint: plan.point,
                recordType: plan.recordType,
                recordId: id,
                fields: party.fields,
                at: plan.at,
              }),
            );
          await plan.insert(trx, {
            id,
            at: plan.at.toISOString(),
            subjectIds,
            sealed: plan.parties.map((_, k) => sealed[first[t]! + k]!),
          });
          if (consent)
            for (const [k, party] of plan.parties.entries())
              await consent.recordCollection(trx, {
                subjectId: subjectIds[k]!,
                collectionPoint: plan.point,
                optIns: [...party.optIns],
                at: plan.at,
                kinds: [party.kind],
                recordId: id,
              });
          out.push(subjectIds);
        }
        const results: CollectionResult<OrderCollected>[] = [];
        for (const [t, { n }] of todo.entries()) {
          const [subjectId, giftId] = out[t]!;
          results[n] = {
            status: 201,
            body: {
              id: ids[t]!,
              subjectId: subjectId!,
              ...(giftId ? { giftRecipientSubjectId: giftId } : {}),
            },
          };
        }
        for (const [n, replay] of replays) {
          results[n] = typeof replay === 'number' ? { status: 200, body: results[replay]!.body } : replay;
        }
        await onWritten?.(trx, results);
        return results;
      });
      return { results: written, newSubjectIds: prepared.filter((p) => p.isNew).map((p) => p.subjectId) };
    });
  }

  /**
   * Orders already recorded (or twice in the batch): the same body answers 200 with the first
   * answer (a stored answer, or the index of the batch's first submission of it); another body
   * is refused with VOW_ORDER_CONFLICT.
   */
  async #replays(plans: readonly Plan[]): Promise<Map<number, CollectionResult<OrderCollected> | number>> {
    const out = new Map<number, CollectionResult<OrderCollected> | number>();
    const orders = plans.flatMap((p, n) => (p.order ? [{ ...p.order, n }] : []));
    if (orders.length === 0) return out;
    const stored = await this.#storedOrders(orders.map((o) => o.shopOrderId));
    const firstOf = new Map<string, { n: number; requestHash: string }>();
    for (const o of orders) {
      const existing = stored.get(o.shopOrderId);
      const earlier = firstOf.get(o.shopOrderId);
      const hash = existing?.request_hash ?? earlier?.requestHash;
      if (hash !== undefined && !Vault.equal(hash, o.requestHash)) {
        throw new VowError(
          'VOW_ORDER_CONFLICT',
          'This shop order id was already recorded with a different body',
          { shop_order_id: o.shopOrderId },
        );
      }
      if (existing) {
        out.set(o.n, {
          status: 200,
          body: {
            id: existing.id,
            subjectId: existing.buyer_subject_id,
            ...(existing.gift_subject_id ? { giftRecipientSubjectId: existing.gift_subject_id } : {}),
          },
        });
      } else if (earlier) out.set(o.n, earlier.n);
      else firstOf.set(o.shopOrderId, { n: o.n, requestHash: o.requestHash });
    }
    return out;
  }

  /** Whether an order of the batch that was not a replay has been recorded meanwhile. */
  async #newlyStored(
    plans: readonly Plan[],
    replays: ReadonlyMap<number, CollectionResult<OrderCollected> | number>,
  ): Promise<boolean> {
    const ids = plans.flatMap((p, n) => (p.order && !replays.has(n) ? [p.order.shopOrderId] : []));
    return ids.length > 0 && (await this.#storedOrders(ids)).size > 0;
  }

  async #storedOrders(shopOrderIds: readonly string[]) {
    const out = new Map<
      string,
      { id: string; request_hash: string; buyer_subject_id: string; gift_subject_id: string | null }
    >();
    const unique = [...new Set(shopOrderIds)];
    for (let i = 0; i < unique.length; i += 500) {
      const rows = await this.#ctx.store.db
        .selectFrom('orders')
        .select(['id', 'shop_order_id', 'request_hash', 'buyer_subject_id', 'gift_subject_id'])
        .where('shop_order_id', 'in', unique.slice(i, i + 500))
        .execute();
      for (const r of rows) out.set(r.shop_order_id, r);
    }
    return out;
  }

  #planOrder(body: OrderBody, at: Date): Plan {
    const point = 'checkout';
    this.#assertPoint(point);
    assertNotUnder13([body.buyer, body.gift_recipient], this.#ctx.clock.now());
    const { birth_date: _b1, age: _a1, ...buyer } = body.buyer;
    const gift = body.gift_recipient
      ? (({ birth_date: _b2, age: _a2, ...g }) => g)(body.gift_recipient)
      : undefined;
    // The gate's fields are not part of the order: they change neither its hash nor its record.
    const requestHash = this.#ctx.vault.blindIndex(
      'token',
      `order-request:${canonicalJson({ ...body, buyer, gift_recipient: gift })}`,
    );
    const buyerIds: IdentifierInput[] = [
      { kind: 'email', field: 'buyer.email', value: buyer.email },
      ...(buyer.phone
        ? [
            {
              kind: 'phone' as const,
              field: 'buyer.phone',
              value: buyer.phone,
              defaultCountry: buyer.billing_address.country,
            },
          ]
        : []),
      { kind: 'address', field: 'buyer.billing_address', value: buyer.billing_address },
      { kind: 'address', field: 'buyer.shipping_address', value: buyer.shipping_address },
    ];
    const buyerFields = [
      'buyer.name',
      'buyer.email',
      ...(buyer.phone ? ['buyer.phone'] : []),
      'buyer.billing_address',
      'buyer.shipping_address',
      'order.items',
      'order.total',
    ];
    const parties: [Party, ...Party[]] = [
      {
        identifiers: this.#subjects.index(buyerIds),
        kind: this.#kindOf(point, 'buyer.email'),
        fields: this.#fields(point, buyerFields),
        optIns: [],
        sealed: { name: buyer.name },
      },
    ];
    if (gift) {
      const giftIds: IdentifierInput[] = [
        { kind: 'address', field: 'gift_recipient.shipping_address', value: gift.shipping_address },
        ...(gift.email ? [{ kind: 'email' as const, field: 'gift_recipient.email', value: gift.email }] : []),
        ...(gift.phone
          ? [
              {
                kind: 'phone' as const,
                field: 'gift_recipient.phone',
                value: gift.phone,
                defaultCountry: gift.shipping_address.country,
              },
            ]
          : []),
      ];
      const giftFields = [
        'gift_recipient.name',
        'gift_recipient.shipping_address',
        ...(gift.email ? ['gift_recipient.email'] : []),
        ...(gift.phone ? ['gift_recipient.phone'] : []),
      ];
      parties.push({
        identifiers: this.#subjects.index(giftIds),
        kind: this.#kindOf(point, 'gift_recipient.name'),
        fields: this.#fields(point, giftFields),
        optIns: [],
        sealed: { name: gift.name },
        maybeFirstParty: true,
      });
    }
    return {
      point,
      recordType: 'order',
      at,
      parties,
      order: { shopOrderId: body.shop_order_id, requestHash },
      insert: async (trx, rec) => {
        await trx
          .insertInto('orders')
          .values({
            id: rec.id,
            shop_order_id: body.shop_order_id,
            request_hash: requestHash,
            buyer_subject_id: rec.subjectIds[0]!,
            buyer_sealed: rec.sealed[0]!,
            gift_subject_id: rec.subjectIds[1] ?? null,
            gift_sealed: rec.sealed[1] ?? null,
            items: JSON.stringify(body.items),
            total_cents: body.total_cents,
            currency: body.currency,
            placed_at: new Date(body.placed_at).toISOString(),
            policy_version: this.#ctx.policy.version,
            collected_at: rec.at,
          })
          .execute();
      },
    };
  }

  #planRegistration(body: RegistrationBody, at: Date): Plan {
    const point = 'registration';
    assertNotUnder13([body], this.#ctx.clock.now());
    return this.#single({
      point,
      recordType: 'registration',
      at,
      identifiers: [
        { kind: 'account', field: 'account_id', value: body.account_id },
        { kind: 'email', field: 'email', value: body.email },
        ...(body.postal_address
          ? [{ kind: 'address' as const, field: 'postal_address', value: body.postal_address }]
          : []),
      ],
      fieldNames: [
        'email',
        'account_id',
        'name',
        ...(body.postal_address ? ['postal_address'] : []),
        ...(body.gender ? ['gender'] : []),
        'catalog_opt_in',
      ],
      optIns: body.catalog_opt_in === true ? this.#grantedBy(point) : [],
      sealed: { name: body.name },
      insert: async (trx, rec) => {
        await trx
          .insertInto('registrations')
          .values({
            id: rec.id,
            subject_id: rec.subjectId,
            sealed: rec.sealed!,
            gender: body.gender ?? null,
            catalog_opt_in: body.catalog_opt_in === true ? 1 : 0,
            registered_at: body.registered_at ? new Date(body.registered_at).toISOString() : rec.at,
            policy_version: this.#ctx.policy.version,
            collected_at: rec.at,
          })
          .execute();
      },
    });
  }

  #planContestEntry(body: ContestEntryBody, at: Date): Plan {
    assertNotUnder13([body], this.#ctx.clock.now());
    return this.#single({
      point: 'contest_entry',
      recordType: 'contest_entry',
      at,
      identifiers: [{ kind: 'email', field: 'email', value: body.email }],
      fieldNames: ['email', ...(body.name ? ['name'] : [])],
      optIns: [],
      ...(body.name ? { sealed: { name: body.name } } : {}),
      insert: async (trx, rec) => {
        await trx
          .insertInto('contest_entries')
          .values({
            id: rec.id,
            subject_id: rec.subjectId,
            contest_id: body.contest_id ?? null,
            sealed: rec.sealed,
            policy_version: this.#ctx.policy.version,
            collected_at: rec.at,
          })
          .execute();
      },
    });
  }

  #planCatalogRequest(body: CatalogRequestBody, at: Date): Plan {
    assertNotUnder13([body], this.#ctx.clock.now());
    const answers = [
      'relationship_status',
      'jewelry_types',
      'budget',
      'age_range',
      'residence_type',
      'gender',
    ] as const;
    return this.#single({
      point: 'catalog_request',
      recordType: 'catalog_request',
      at,
      identifiers: [
        { kind: 'email', field: 'email', value: body.email },
        { kind: 'address', field: 'postal_address', value: body.postal_address },
      ],
      fieldNames: [
        'email',
        'first_name',
        'last_name',
        'postal_address',
        ...answers.filter((a) => body[a] !== undefined),
      ],
      optIns: [],
      sealed: { first_name: body.first_name, last_name: body.last_name },
      insert: async (trx, rec) => {
        await trx
          .insertInto('catalog_requests')
          .values({
            id: rec.id,
            subject_id: rec.subjectId,
            sealed: rec.sealed!,
            relationship_status: body.relationship_status ?? '',
            jewelry_types: JSON.stringify(body.jewelry_types ?? []),
            budget: body.budget ?? '',
            age_range: body.age_range ?? '',
            residence_type: body.residence_type ?? '',
            gender: body.gender ?? null,
            policy_version: this.#ctx.policy.version,
            collected_at: rec.at,
          })
          .execute();
      },
    });
  }

  #planSmsSignup(body: SmsSignupBody, at: Date): Plan {
    const point = 'sms_signup';
    assertNotUnder13([body], this.#ctx.clock.now());
    return this.#single({
      point,
      recordType: 'sms_signup',
      at,
      identifiers: [
        {
          kind: 'phone',
          field: 'phone',
          value: body.phone,
          defaultCountry: body.country ?? DEFAULT_PHONE_COUNTRY,
        },
      ],
      fieldNames: ['phone'],
      optIns: this.#grantedBy(point),
      insert: async (trx, rec) => {
        await trx
          .insertInto('sms_signups')
          .values({
            id: rec.id,
            subject_id: rec.subjectId,
            consent_text: body.consent_text,
            consent_text_sha256: createHash('sha256').update(body.consent_text, 'utf8').digest('hex'),
            policy_version: this.#ctx.policy.version,
            collected_at: rec.at,
          })
          .execute();
      },
    });
  }

  #planInboundMessage(body: InboundMessageBody, at: Date): Plan {
    assertNotUnder13([body], this.#ctx.clock.now());
    return this.#single({
      point: 'inbound_email',
      recordType: 'inbound_message',
      at,
      identifiers: [{ kind: 'email', field: 'from', value: body.from }],
      fieldNames: ['from', 'subject'],
      optIns: [],
      sealed: { subject: body.subject },
      insert: async (trx, rec) => {
        await trx
          .insertInto('inbound_messages')
          .values({
            id: rec.id,
            subject_id: rec.subjectId,
            sealed: rec.sealed!,
            received_at: new Date(body.received_at).toISOString(),
            policy_version: this.#ctx.policy.version,
            collected_at: rec.at,
          })
          .execute();
      },
    });
  }

  /** Decrypted values of one person in one record, by field (for disclosures and exports). */
  async recordValues(
    subjectId: string,
    recordType: string,
    recordId: string,
  ): Promise<Record<string, unknown>> {
    const db = this.#ctx.store.db;
    const open = async (sealed: string | null | undefined): Promise<Record<string, unknown>> => {
      if (!sealed) return {};
      const plain = await openSealed(this.#ctx.vault, subjectId, sealed ?? null);
      return plain === null ? {} : (JSON.parse(plain) as Record<string, unknown>);
    };
    switch (recordType) {
      case 'order': {
        const o = await db.selectFrom('orders').selectAll().where('id', '=', recordId).executeTakeFirst();
        if (!o) return {};
        if (o.buyer_subject_id === subjectId) {
          const v = await open(o.buyer_sealed);
          return {
            'buyer.name': v.name,
            'order.items': JSON.parse(o.items),
            'order.total': {
              total_cents: Number(o.total_cents),
              currency: o.currency,
              placed_at: o.placed_at,
            },
          };
        }
        if (o.gift_subject_id === subjectId)
          return { 'gift_recipient.name': (await open(o.gift_sealed)).name };
        return {};
      }
      case 'registration': {
        const r = await db
          .selectFrom('registrations')
          .selectAll()
          .where('id', '=', recordId)
          .executeTakeFirst();
        if (!r) return {};
        return {
          name: (await open(r.sealed)).name,
          ...(r.gender ? { gender: r.gender } : {}),
          catalog_opt_in: r.catalog_opt_in === 1,
        };
      }
      case 'contest_entry': {
        const r = await db
          .selectFrom('contest_entries')
          .selectAll()
          .where('id', '=', recordId)
          .executeTakeFirst();
        if (!r) return {};
        const v = await open(r.sealed);
        return v.name === undefined ? {} : { name: v.name };
      }
      case 'catalog_request': {
        const r = await db
          .selectFrom('catalog_requests')
          .selectAll()
          .where('id', '=', recordId)
          .executeTakeFirst();
        if (!r) return {};
        const v = await open(r.sealed);
        return {
          first_name: v.first_name,
          last_name: v.last_name,
          relationship_status: r.relationship_status,
          jewelry_types: JSON.parse(r.jewelry_types),
          budget: r.budget,
          age_range: r.age_range,
          residence_type: r.residence_type,
          ...(r.gender ? { gender: r.gender } : {}),
        };
      }
      case 'inbound_message': {
        const r = await db
          .selectFrom('inbound_messages')
          .selectAll()
          .where('id', '=', recordId)
          .executeTakeFirst();
        if (!r) return {};
        return { subject: (await open(r.sealed)).subject };
      }
      default:
        return {};
    }
  }
}
