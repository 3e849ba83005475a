// Where personal data enters: orders, registrations, contest entries, catalog requests, SMS
// sign-ups and inbound customer-service email. Each collection is checked by the under-13 gate,
// stored with its collection point, the policy version in force and the purposes each field may
// serve, linked to the person with the kind they had there, and handed to the consent rules, all
// in one transaction.
import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { VowContext } from '../context.js';
import { VowError } from '../errors.js';
import { canonicalJson } from '../policy/model.js';
import { Vault } from '../security/vault.js';
import type { Database } from '../store/schema.js';
import {
  type IdentifierInput,
  openSealed,
  type PreparedIdentity,
  type SubjectLink,
  type SubjectService,
} from '../subjects/index.js';
import { assertNotUnder13 } from './age-gate.js';
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

export class CollectionService {
  readonly #ctx: VowContext;
  readonly #subjects: SubjectService;
  readonly #consent: () => ConsentRecorder | undefined;

  constructor(ctx: VowContext, subjects: SubjectService, consent: () => ConsentRecorder | undefined) {
    this.#ctx = ctx;
    this.#subjects = subjects;
    this.#consent = consent;
    subjects.addEraser((trx, subjectId) => this.#erase(trx, subjectId));
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

  async #recordConsent(
    trx: Transaction<Database>,
    input: { subjectId: string; point: string; kind: string; optIns: string[]; at: Date; recordId: string },
  ): Promise<void> {
    const consent = this.#consent();
    if (!consent) return;
    await consent.recordCollection(trx, {
      subjectId: input.subjectId,
      collectionPoint: input.point,
      optIns: input.optIns,
      at: input.at,
      kinds: [input.kind],
      recordId: input.recordId,
    });
  }

  /** One person, one record: the shape of every collection point but checkout. */
  async #collectOne(opts: {
    point: string;
    recordType: string;
    identifiers: IdentifierInput[];
    fieldNames: string[];
    optIns: string[];
    sealed?: unknown;
    insert: (
      trx: Transaction<Database>,
      rec: { id: string; subjectId: string; sealed: string | null; at: string },
    ) => Promise<void>;
  }): Promise<CollectionResult> {
    this.#assertPoint(opts.point);
    await this.#subjects.assertNotMarked(opts.identifiers);
    const kind = this.#kindOf(opts.point, opts.fieldNames[0]!);
    return this.#subjects.withResolution(async () => {
      const prepared = await this.#subjects.prepare(opts.identifiers);
      const sealed = opts.sealed === undefined ? null : await this.#subjects.seal(prepared, opts.sealed);
      const at = this.#ctx.clock.now();
      const id = this.#ctx.random.uuid();
      const subjectId = await this.#ctx.store.db.transaction().execute(async (trx) => {
        // Again inside the transaction: staff may have marked the person meanwhile (P14).
        await this.#subjects.assertNotMarked(opts.identifiers, trx);
        const subjectId = await this.#subjects.link(trx, prepared, {
          subjectKind: kind,
          collectionPoint: opts.point,
          recordType: opts.recordType,
          recordId: id,
          fields: this.#fields(opts.point, opts.fieldNames),
          at,
        });
        await opts.insert(trx, { id, subjectId, sealed, at: at.toISOString() });
        await this.#recordConsent(trx, {
          subjectId,
          point: opts.point,
          kind,
          optIns: opts.optIns,
          at,
          recordId: id,
        });
        return subjectId;
      });
      return { status: 201 as const, body: { id, subjectId } };
    });
  }

  /** POST /v1/orders: the buyer and, optionally, a gift recipient. Idempotent on shop_order_id. */
  async order(body: OrderBody): Promise<CollectionResult<OrderCollected>> {
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
    const replay = await this.#replay(body.shop_order_id, requestHash);
    if (replay) return replay;

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
    const giftIds: IdentifierInput[] = gift
      ? [
          { kind: 'address', field: 'gift_recipient.shipping_address', value: gift.shipping_address },
          ...(gift.email
            ? [{ kind: 'email' as const, field: 'gift_recipient.email', value: gift.email }]
            : []),
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
        ]
      : [];
    await this.#subjects.assertNotMarked([...buyerIds, ...giftIds]);

    const buyerFields = [
      'buyer.name',
      'buyer.email',
      ...(buyer.phone ? ['buyer.phone'] : []),
      'buyer.billing_address',
      'buyer.shipping_address',
      'order.items',
      'order.total',
    ];
    const giftFields = gift
      ? [
          'gift_recipient.name',
          'gift_recipient.shipping_address',
          ...(gift.email ? ['gift_recipient.email'] : []),
          ...(gift.phone ? ['gift_recipient.phone'] : []),
        ]
      : [];
    const buyerKind = this.#kindOf(point, 'buyer.email');
    const giftKind = this.#kindOf(point, 'gift_recipient.name');

    try {
      return await this.#subjects.withResolution(async () => {
        const buyerP = await this.#subjects.prepare(buyerIds);
        const giftP: PreparedIdentity | undefined = gift
          ? await this.#subjects.prepare(giftIds, { sameAs: buyerP })
          : undefined;
        const buyerSealed = await this.#subjects.seal(buyerP, { name: buyer.name });
        const giftSealed = gift && giftP ? await this.#subjects.seal(giftP, { name: gift.name }) : null;
        const at = this.#ctx.clock.now();
        const id = this.#ctx.random.uuid();
        const result = await this.#ctx.store.db.transaction().execute(async (trx) => {
          await this.#subjects.assertNotMarked([...buyerIds, ...giftIds], trx);
          const buyerId = await this.#subjects.link(trx, buyerP, {
            subjectKind: buyerKind,
            collectionPoint: point,
            recordType: 'order',
            recordId: id,
            fields: this.#fields(point, buyerFields),
            at,
          });
          const giftId = giftP
            ? await this.#subjects.link(trx, giftP, {
                subjectKind: giftKind,
                collectionPoint: point,
                recordType: 'order',
                recordId: id,
                fields: this.#fields(point, giftFields),
                at,
              })
            : undefined;
          await trx
            .insertInto('orders')
            .values({
              id,
              shop_order_id: body.shop_order_id,
              request_hash: requestHash,
              buyer_subject_id: buyerId,
              buyer_sealed: buyerSealed,
              gift_subject_id: giftId ?? null,
              gift_sealed: giftSealed,
              items: JSON.stringify(body.items),
              total_cents: body.total_cents,
              currency: body.currency,
              placed_at: new Date(body.placed_at).toISOString(),
              policy_version: this.#ctx.policy.version,
              collected_at: at.toISOString(),
            })
            .execute();
          await this.#recordConsent(trx, {
            subjectId: buyerId,
            point,
            kind: buyerKind,
            optIns: [],
            at,
            recordId: id,
          });
          if (giftId)
            await this.#recordConsent(trx, {
              subjectId: giftId,
              point,
              kind: giftKind,
              optIns: [],
              at,
              recordId: id,
            });
          return { buyerId, giftId };
        });
        return {
          status: 201 as const,
          body: {
            id,
            subjectId: result.buyerId,
            ...(result.giftId ? { giftRecipientSubjectId: result.giftId } : {}),
          },
        };
      });
    } catch (err) {
      // Two requests with the same order id at once: the loser answers as a replay would.
      const again = await this.#replay(body.shop_order_id, requestHash);
      if (again) return again;
      throw err;
    }
  }

  async #replay(
    shopOrderId: string,
    requestHash: string,
  ): Promise<CollectionResult<OrderCollected> | undefined> {
    const existing = await this.#ctx.store.db
      .selectFrom('orders')
      .select(['id', 'request_hash', 'buyer_subject_id', 'gift_subject_id'])
      .where('shop_order_id', '=', shopOrderId)
      .executeTakeFirst();
    if (!existing) return undefined;
    if (!Vault.equal(existing.request_hash, requestHash)) {
      throw new VowError(
        'VOW_ORDER_CONFLICT',
        'This shop order id was already recorded with a different body',
        {
          shop_order_id: shopOrderId,
        },
      );
    }
    return {
      status: 200,
      body: {
        id: existing.id,
        subjectId: existing.buyer_subject_id,
        ...(existing.gift_subject_id ? { giftRecipientSubjectId: existing.gift_subject_id } : {}),
      },
    };
  }

  /** POST /v1/registrations: an account holder; the catalog box grants the policy's channels (P5). */
  async registration(body: RegistrationBody): Promise<CollectionResult> {
    const point = 'registration';
    assertNotUnder13([body], this.#ctx.clock.now());
    return this.#collectOne({
      point,
      recordType: 'registration',
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

  /** POST /v1/contest-entries: enrolls the entrant in email marketing (P8, by the consent rules). */
  async contestEntry(body: ContestEntryBody): Promise<CollectionResult> {
    assertNotUnder13([body], this.#ctx.clock.now());
    return this.#collectOne({
      point: 'contest_entry',
      recordType: 'contest_entry',
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

  /** POST /v1/catalog-requests: the catalog form, every answer within the policy's values. */
  async catalogRequest(body: CatalogRequestBody): Promise<CollectionResult> {
    assertNotUnder13([body], this.#ctx.clock.now());
    const answers = [
      'relationship_status',
      'jewelry_types',
      'budget',
      'age_range',
      'residence_type',
      'gender',
    ] as const;
    return this.#collectOne({
      point: 'catalog_request',
      recordType: 'catalog_request',
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

  /** POST /v1/sms-signups: prior express written consent, its wording kept as proof. */
  async smsSignup(body: SmsSignupBody): Promise<CollectionResult> {
    const point = 'sms_signup';
    assertNotUnder13([body], this.#ctx.clock.now());
    return this.#collectOne({
      point,
      recordType: 'sms_signup',
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

  /** POST /v1/inbound-messages: a return address for support.reply only (P4); enrolls nothing. */
  async inboundMessage(body: InboundMessageBody): Promise<CollectionResult> {
    assertNotUnder13([body], this.#ctx.clock.now());
    return this.#collectOne({
      point: 'inbound_email',
      recordType: 'inbound_message',
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

  /** Deletes one person's collection records (the under-13 marking). */
  async #erase(trx: Transaction<Database>, subjectId: string): Promise<void> {
    await trx.deleteFrom('orders').where('buyer_subject_id', '=', subjectId).execute();
    await trx
      .updateTable('orders')
      .set({ gift_subject_id: null, gift_sealed: null })
      .where('gift_subject_id', '=', subjectId)
      .execute();
    await trx.deleteFrom('registrations').where('subject_id', '=', subjectId).execute();
    await trx.deleteFrom('contest_entries').where('subject_id', '=', subjectId).execute();
    await trx.deleteFrom('catalog_requests').where('subject_id', '=', subjectId).execute();
    await trx.deleteFrom('sms_signups').where('subject_id', '=', subjectId).execute();
    await trx.deleteFrom('inbound_messages').where('subject_id', '=', subjectId).execute();
  }
}
