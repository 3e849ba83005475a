// A measurement's page path drops personal query parameters by name (`email`, `first_name`,
// `phone`, …) and any value that looks like an email address or a phone number. Both checks
// missed the usual variants: a name nested the way shops' forms name their fields
// (`customer[first_name]=Ann`, `billing_last_name=Smith`, `customerEmail`, `email[]`) kept its
// value, and so did an address written with the full-width at sign or a number in full-width
// digits (what some phone keyboards type). Now a key counts as personal when any part of it does
// (brackets, dots, underscores and camelCase split it), and values are compared in NFKC form.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { scrubPath } from '../../src/modules/site-analytics/scrub.js';

it('drops personal parameters however the shop nests or spells their names', () => {
  for (const key of [
    'customer[first_name]',
    'checkout[billing_address][last_name]',
    'billing_last_name',
    'shipping_phone',
    'customerEmail',
    'contactPhone',
    'email[]',
    'user.email',
    'Customer[Zip]',
  ]) {
    assert.equal(scrubPath(`/p?${encodeURIComponent(key)}=Ann&color=white`), '/p?color=white', key);
    assert.equal(scrubPath(`/p?${key}=Ann&color=white`), '/p?color=white', `${key} (as typed)`);
  }
});

it('sees an email address or a phone number written in full-width characters', () => {
  for (const value of ['ann＠example.com', '４１５５５５０１００', '+１ (４１５) ５５５-０１００'])
    assert.equal(scrubPath(`/p?q=${encodeURIComponent(value)}&color=white`), '/p?color=white', value);
  assert.equal(scrubPath(`/u/${encodeURIComponent('ann＠example.com')}/x`), '/u/:redacted/x');
});

it('keeps the ordinary parameters of a shop', () => {
  const kept = '/rings?color=white&size=7&sort=price&page=2&product_id=123&category=bridal&q=solitaire';
  assert.equal(scrubPath(kept), kept);
});
