import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planCollection } from '../../src/modules/consent/collection-rules.js';
import type { StoredChannelState } from '../../src/modules/consent/ledger.js';
import { loadPolicy } from '../../src/modules/policy/index.js';

const policy = loadPolicy(undefined);

function plan(
  collectionPoint: string,
  kinds: string[],
  current: Record<string, StoredChannelState> = {},
  optIns: string[] = [],
) {
  return planCollection(policy, { collectionPoint, kinds, current, optIns }).map(
    (p) => `${p.channel}:${p.event}`,
  );
}

const unsubscribed: StoredChannelState = { state: 'withdrawn', lastEvent: 'unsubscribed' };
const suppressed: StoredChannelState = { state: 'withdrawn', lastEvent: 'suppressed' };

describe('consent rules driven by the policy channels', () => {
  it('enrolls a contest entrant in email marketing (P8)', () => {
    assert.deepEqual(plan('contest_entry', ['contestant']), ['email_marketing:enrolled']);
  });

  it('enrolls a catalog requester in email and postal marketing (P8, P12)', () => {
    assert.deepEqual(plan('catalog_request', ['catalog_requester']), [
      'email_marketing:enrolled',
      'postal_marketing:enrolled',
    ]);
  });

  it('enrolls every buyer (P9) but never the gift recipient of the same order', () => {
    assert.deepEqual(plan('checkout', ['customer']), ['email_marketing:enrolled']);
    assert.deepEqual(plan('checkout', ['gift_recipient']), []);
  });

  it('never enrolls a correspondent or an SMS-only subscriber in email marketing', () => {
    assert.deepEqual(plan('inbound_email', ['correspondent']), []);
    assert.deepEqual(plan('sms_signup', ['sms_subscriber'], {}, ['sms_marketing']), [
      'sms_marketing:consented',
    ]);
  });

  it('keeps an unsubscribe after a purchase or registration (P11)', () => {
    assert.deepEqual(plan('checkout', ['customer'], { email_marketing: unsubscribed }), []);
    assert.deepEqual(plan('registration', ['account_holder'], { email_marketing: unsubscribed }), []);
  });

  it('re-enrolls after an unsubscribe on a new contest entry or catalog request (P11)', () => {
    assert.deepEqual(plan('contest_entry', ['contestant'], { email_marketing: unsubscribed }), [
      'email_marketing:re_enrolled',
    ]);
    assert.deepEqual(
      plan('catalog_request', ['catalog_requester'], {
        email_marketing: unsubscribed,
        postal_marketing: { state: 'enrolled', lastEvent: 'enrolled' },
      }),
      ['email_marketing:re_enrolled'],
    );
  });

  it('keeps a staff removal from postal mail across later catalog requests unless asked again explicitly', () => {
    const current = {
      postal_marketing: suppressed,
      email_marketing: { state: 'enrolled', lastEvent: 'enrolled' },
    } as const;
    assert.deepEqual(plan('catalog_request', ['catalog_requester'], current), []);
    assert.deepEqual(plan('catalog_request', ['catalog_requester'], current, ['postal_marketing']), [
      'postal_marketing:re_enrolled',
    ]);
  });

  it('does not re-enroll a suppressed email on a contest entry without an explicit ask', () => {
    assert.deepEqual(plan('contest_entry', ['contestant'], { email_marketing: suppressed }), []);
  });

  it('grants opt-in channels only on an explicit yes at a point listed in granted_by (P5)', () => {
    assert.deepEqual(plan('registration', ['account_holder']), []);
    // postal_marketing is not granted by registration: its rule covers catalog requesters only.
    assert.deepEqual(plan('registration', ['account_holder'], {}, ['account_updates', 'postal_marketing']), [
      'account_updates:consented',
    ]);
    // a tick for a channel the form does not grant does nothing
    assert.deepEqual(plan('contest_entry', ['contestant'], {}, ['sms_marketing']), [
      'email_marketing:enrolled',
    ]);
  });

  it('does not repeat an event for a person already enrolled', () => {
    assert.deepEqual(
      plan('checkout', ['customer'], { email_marketing: { state: 'enrolled', lastEvent: 'enrolled' } }),
      [],
    );
  });

  it('refuses an unknown collection point or channel with stable codes', () => {
    assert.throws(() => plan('nope', ['customer']), { code: 'VOW_CONSENT_UNKNOWN_COLLECTION_POINT' });
    assert.throws(() => plan('checkout', ['customer'], {}, ['carrier_pigeon']), {
      code: 'VOW_CONSENT_UNKNOWN_CHANNEL',
    });
  });
});
