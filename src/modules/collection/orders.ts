// Checkout: the order's richer shape (line items, a gift recipient as a second person, the shop's
// order id) and its idempotency on that id: the same id with the same body answers the first answer
// again (200), another body is refused (VOW_ORDER_CONFLICT).
import { canonicalJson } from '../../platform/canonical-json.js';
import { Vault } from '../../platform/crypto/index.js';
import { VowError } from '../../platform/errors.js';
import { isIn, listChunks } from '../../platform/store/index.js';
import type { VowContext } from '../policy/index.js';
import type { IdentifierInput } from '../subjects/index.js';
import { assertNotUnder13 } from './age-gate.js';
import { assertPlausibleInstants } from './instants.js';
import type { CollectionResult, OrderCollected, Party, Plan, PlanDeps } from './plan.js';
import { assertPoint, fieldsOf, kindOf } from './point-fields.js';
import type { OrderBody } from './schemas.js';

/** A submission's answer decided before writing: a stored answer, or the index of the batch's first. */
export type Replays = ReadonlyMap<number, CollectionResult<OrderCollected> | number>;

/** POST /v1/orders: the buyer and, optionally, a gift recipient (only to ship and confirm delivery, P3). */
export function planOrder({ ctx, subjects }: PlanDeps, body: OrderBody, at: Date): Plan {
  const point = 'checkout';
  const policy = ctx.policy;
  assertPoint(policy, point);
  assertNotUnder13([body.buyer, body.gift_recipient], ctx.clock.now());
  assertPlausibleInstants({ placed_at: body.placed_at }, ctx.clock.now());
  const { birth_date: _b1, age: _a1, ...buyer } = body.buyer;
  const gift = body.gift_recipient
    ? (({ birth_date: _b2, age: _a2, ...g }) => g)(body.gift_recipient)
    : undefined;
  // The gate's fields are not part of the order: they change neither its hash nor its record.
  const requestHash = ctx.vault.blindIndex(
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
      identifiers: subjects.index(buyerIds),
      kind: kindOf(policy, point, 'buyer.email'),
      fields: fieldsOf(policy, point, buyerFields),
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
      identifiers: subjects.index(giftIds),
      kind: kindOf(policy, point, 'gift_recipient.name'),
      fields: fieldsOf(policy, point, giftFields),
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
    rows: (rec) => [
      {
        table: 'orders',
        values: {
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
          policy_version: policy.version,
          collected_at: rec.at,
        },
      },
    ],
  };
}

/**
 * Orders already recorded (or twice in the batch): the same body answers 200 with the first
 * answer (a stored answer, or the index of the batch's first submission of it); another body
 * is refused with VOW_ORDER_CONFLICT. With `stored` false, only the batch's own repeats are found
 * (no read): an order recorded before then fails the batch's insert (shop_order_id is unique), and
 * the caller reads the stored orders and writes the batch again (CollectionService.writePrepared).
 */
export async function orderReplays(ctx: VowContext, plans: readonly Plan[], stored = true): Promise<Replays> {
  const out = new Map<number, CollectionResult<OrderCollected> | number>();
  const orders = plans.flatMap((p, n) => (p.order ? [{ ...p.order, n }] : []));
  if (orders.length === 0) return out;
  const recorded = stored
    ? await storedOrders(
        ctx,
        orders.map((o) => o.shopOrderId),
      )
    : new Map<string, never>();
  const firstOf = new Map<string, { n: number; requestHash: string }>();
  for (const o of orders) {
    const existing = recorded.get(o.shopOrderId);
    const earlier = firstOf.get(o.shopOrderId);
    const hash = existing?.request_hash ?? earlier?.requestHash;
    if (hash !== undefined && !Vault.equal(hash, o.requestHash)) {
      throw new VowError(
        'VOW_ORDER_CONFLICT',
        'This shop order id was already recorded with a different body',
        {
          shop_order_id: o.shopOrderId,
        },
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
export async function ordersStoredMeanwhile(
  ctx: VowContext,
  plans: readonly Plan[],
  replays: Replays,
): Promise<boolean> {
  const ids = plans.flatMap((p, n) => (p.order && !replays.has(n) ? [p.order.shopOrderId] : []));
  return ids.length > 0 && (await storedOrders(ctx, ids)).size > 0;
}

async function storedOrders(ctx: VowContext, shopOrderIds: readonly string[]) {
  const out = new Map<
    string,
    { id: string; request_hash: string; buyer_subject_id: string; gift_subject_id: string | null }
  >();
  const unique = [...new Set(shopOrderIds)];
  const dialect = ctx.store.dialect;
  for (const chunk of listChunks(dialect, unique)) {
    const rows = await ctx.store.db
      .selectFrom('orders')
      .select(['id', 'shop_order_id', 'request_hash', 'buyer_subject_id', 'gift_subject_id'])
      .where((eb) => isIn(eb, dialect, 'shop_order_id', chunk))
      .execute();
    for (const r of rows) out.set(r.shop_order_id, r);
  }
  return out;
}

/** The values of one person in one order, by field: the buyer's or the gift recipient's part. */
export async function orderValues(
  ctx: VowContext,
  subjectId: string,
  recordId: string,
  open: (sealed: string | null) => Promise<Record<string, unknown>>,
): Promise<Record<string, unknown>> {
  const o = await ctx.store.db.selectFrom('orders').selectAll().where('id', '=', recordId).executeTakeFirst();
  if (!o) return {};
  if (o.buyer_subject_id === subjectId) {
    const v = await open(o.buyer_sealed);
    return {
      'buyer.name': v.name,
      'order.items': JSON.parse(o.items),
      'order.total': { total_cents: Number(o.total_cents), currency: o.currency, placed_at: o.placed_at },
    };
  }
  if (o.gift_subject_id === subjectId) return { 'gift_recipient.name': (await open(o.gift_sealed)).name };
  return {};
}
