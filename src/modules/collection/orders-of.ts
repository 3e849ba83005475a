// A person's orders, newest first: what the staff console's person view lists, so customer service
// sees the orders a caller asks about. As the buyer: the shop's order number, when it was placed, how
// many items and the total. As a gift recipient: the order number and the day only, which is all
// their part of it is for (shipping and confirming delivery, P3); what the buyer paid is not theirs.
import type { VowContext } from '../policy/index.js';

/** At most this many orders are listed (the newest); the view says when there are more. */
export const PERSON_ORDERS_SHOWN = 100;

export type PersonOrder =
  | {
      readonly role: 'buyer';
      /** Vow's id of the order (what an identifier's record names). */
      readonly id: string;
      readonly shopOrderId: string;
      readonly placedAt: string;
      /** The quantities of its lines, added up. */
      readonly items: number;
      readonly totalCents: number;
      readonly currency: string;
    }
  | {
      readonly role: 'gift_recipient';
      readonly id: string;
      readonly shopOrderId: string;
      readonly placedAt: string;
    };

/** The number of items of an order's stored lines (JSON of { quantity }); 0 for lines it cannot read. */
function itemCount(stored: string): number {
  try {
    const lines: unknown = JSON.parse(stored);
    if (!Array.isArray(lines)) return 0;
    return lines.reduce(
      (n: number, l: unknown) =>
        n +
        (typeof (l as { quantity?: unknown })?.quantity === 'number'
          ? (l as { quantity: number }).quantity
          : 0),
      0,
    );
  } catch {
    return 0;
  }
}

/** The person's newest orders (PERSON_ORDERS_SHOWN + 1 read, so a caller knows there are more). */
export async function ordersOf(ctx: VowContext, subjectId: string): Promise<PersonOrder[]> {
  const rows = await ctx.store.db
    .selectFrom('orders')
    .select(['id', 'shop_order_id', 'buyer_subject_id', 'placed_at', 'items', 'total_cents', 'currency'])
    .where((eb) => eb.or([eb('buyer_subject_id', '=', subjectId), eb('gift_subject_id', '=', subjectId)]))
    .orderBy('placed_at', 'desc')
    .orderBy('shop_order_id', 'desc')
    .limit(PERSON_ORDERS_SHOWN + 1)
    .execute();
  return rows.map((r) =>
    r.buyer_subject_id === subjectId
      ? {
          role: 'buyer',
          id: r.id,
          shopOrderId: r.shop_order_id,
          placedAt: r.placed_at,
          items: itemCount(r.items),
          totalCents: r.total_cents,
          currency: r.currency,
        }
      : { role: 'gift_recipient', id: r.id, shopOrderId: r.shop_order_id, placedAt: r.placed_at },
  );
}
