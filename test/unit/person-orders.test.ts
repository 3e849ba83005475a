// The person view's Orders section shows the newest PERSON_ORDERS_SHOWN orders and says when there
// are more (ordersOf reads one more than it shows, so the view knows).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ordersSection } from '../../src/http/console/person-orders.js';
import { PERSON_ORDERS_SHOWN, type PersonOrder } from '../../src/modules/collection/index.js';

const order = (n: number): PersonOrder => ({
  role: 'buyer',
  id: `id-${n}`,
  shopOrderId: `SO-${n}`,
  placedAt: '2026-01-15T11:00:00.000Z',
  items: 1,
  totalCents: 4500,
  currency: 'EUR',
});

describe('the Orders section of the person view', () => {
  it('shows at most the newest orders and says there are more', () => {
    const all = Array.from({ length: PERSON_ORDERS_SHOWN + 1 }, (_, n) => order(n));
    const many = String(ordersSection(all));
    assert.equal(many.match(/data-testid="person-order"/g)?.length, PERSON_ORDERS_SHOWN);
    assert.match(many, /data-testid="person-orders-more">The 100 newest orders; there are more\./);
    const few = String(ordersSection(all.slice(0, 2)));
    assert.equal(few.match(/data-testid="person-order"/g)?.length, 2);
    assert.doesNotMatch(few, /person-orders-more/);
  });

  it('writes a total in its own currency', () => {
    assert.match(String(ordersSection([order(1)])), /<td data-label="Total">€45\.00<\/td>/);
  });
});
