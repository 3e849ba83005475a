// The "Orders" section of the console's person view: the orders a caller asks about, newest first,
// as a table at desktop widths and one card an order on a phone (class "stack"). As the buyer: the
// order number, when, how many items, the total; as a gift recipient: the number and the day only.
import { PERSON_ORDERS_SHOWN, type PersonOrder } from '../../modules/collection/index.js';
import { counted } from '../../platform/counts.js';
import { html, type SafeHtml } from '../../platform/html.js';
import { stamp } from './labels.js';

/** A total in its currency, in the console's English ($1,299.00; €45.00); the code if unknown. */
function money(cents: number, currency: string): string {
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(cents / 100);
  } catch {
    return `${(cents / 100).toFixed(2)} ${currency}`;
  }
}

export function ordersSection(orders: readonly PersonOrder[]): SafeHtml {
  const shown = orders.slice(0, PERSON_ORDERS_SHOWN);
  return html`<section aria-labelledby="orders-h">
<h2 id="orders-h">Orders</h2>
${
  shown.length
    ? html`<div class="scroll" tabindex="0"><table class="stack" data-testid="person-orders">
  <caption class="visually-hidden">Orders, newest first</caption>
  <thead><tr><th scope="col">Order number</th><th scope="col">Placed</th><th scope="col">As</th><th scope="col">Items</th><th scope="col">Total</th></tr></thead>
  <tbody>${shown.map((o) =>
    o.role === 'buyer'
      ? html`<tr data-testid="person-order"><th scope="row"><code>${o.shopOrderId}</code></th><td data-label="Placed">${stamp(o.placedAt)}</td><td data-label="As">buyer</td><td data-label="Items">${counted(o.items, 'item')}</td><td data-label="Total">${money(o.totalCents, o.currency)}</td></tr>`
      : html`<tr data-testid="person-order"><th scope="row"><code>${o.shopOrderId}</code></th><td data-label="Placed">${stamp(o.placedAt)}</td><td data-label="As">gift recipient</td><td data-label="Items"><span class="empty">the buyer's</span></td><td data-label="Total"><span class="empty">the buyer's</span></td></tr>`,
  )}</tbody>
</table></div>${orders.length > shown.length ? html`<p class="small" data-testid="person-orders-more">The ${PERSON_ORDERS_SHOWN} newest orders; there are more.</p>` : ''}`
    : html`<p class="empty">No orders.</p>`
}
</section>`;
}
