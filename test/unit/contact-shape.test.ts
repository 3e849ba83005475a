// The one rule of every check of what staff and code write for keeping (audit entries, reasons,
// downstream evidence): an email address or a phone number is refused, however written; a ticket or
// order number named as one is not a phone, and neither is a date or an id.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { holdsContactShape } from '../../src/platform/strings.js';

describe('holdsContactShape', () => {
  it('finds email addresses and phone numbers, in compatibility forms too', () => {
    for (const text of [
      'ann@example.com asked us to stop',
      'ann＠example.com asked us to stop',
      'called (608) 265-4141 back',
      'called +1 608 265 4141 back',
      'called 608.265.4141 back',
      'called 0171/2345678 back',
      'called ６０８２６５４１４１ back',
      'customer 6082654141 deleted',
      // A phone written with separators or a `+` is a phone whatever names it.
      'ticket (608) 265-4141',
      'order +16082654141',
      'ref 608 265 4141',
    ])
      assert.equal(holdsContactShape(text), true, text);
  });

  it('passes reference numbers named as such, dates, short numbers and ids', () => {
    for (const text of [
      'Mailchimp confirmed the deletion (ticket 4521003317)',
      'Zendesk ticket #4521003317',
      'see #123456789',
      'case no. 123456789 closed',
      'Order: 100200300 refunded',
      'invoice nr 2026120700',
      'reference 9876543210',
      'deleted on 2026-12-07',
      'deleted on 07.12.2026',
      'batch 12345678',
      'REQ-123456789',
      '0f8fad5b-d9cb-469f-a165-70867728950e',
      'the signature does not match the one on file',
    ])
      assert.equal(holdsContactShape(text), false, text);
  });
});
