import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { channelsThatDecide, decide, type SubjectState } from '../../src/modules/decisions/index.js';
import { loadPolicy } from '../../src/modules/policy/index.js';
import { VowError } from '../../src/platform/errors.js';

const policy = loadPolicy();
const kind = (k: string, extra: Partial<SubjectState> = {}): SubjectState => ({ kinds: [k], ...extra });
const allPurposes = Object.keys(policy.doc.purposes);
const allCategories = Object.keys(policy.doc.categories);
const marketing = allPurposes.filter((p) => p.startsWith('marketing.') || p.startsWith('advertising.ad'));

describe('decide', () => {
  it("uses a gift recipient's address for order fulfilment (P3)", () => {
    const d = decide(policy, {
      subject: kind('gift_recipient'),
      purpose: 'order.fulfilment',
      categories: ['contact.postal_address'],
    });
    assert.equal(d.decision, 'allow');
    assert.equal(d.reasons[0]!.rule, 'gift-recipient-ship-and-confirm');
    assert.equal(d.reasons[0]!.promise, 'P3');
  });

  it("never uses a gift recipient's data for any marketing purpose (P3)", () => {
    for (const purpose of marketing) {
      for (const category of ['contact.postal_address', 'contact.email', 'contact.phone', 'identity.name']) {
        const d = decide(policy, { subject: kind('gift_recipient'), purpose, categories: [category] });
        assert.equal(d.decision, 'deny', `${purpose} ${category}`);
      }
    }
  });

  it("uses a correspondent's email only to reply (P4)", () => {
    for (const purpose of allPurposes) {
      const d = decide(policy, { subject: kind('correspondent'), purpose, categories: ['contact.email'] });
      const expected =
        purpose === 'support.reply' || purpose === 'rights.request_handling' ? 'allow' : 'deny';
      assert.equal(d.decision, expected, purpose);
    }
  });

  it("uses a buyer's email for order fulfilment (P2)", () => {
    const d = decide(policy, {
      subject: kind('customer'),
      purpose: 'order.fulfilment',
      categories: ['contact.email'],
    });
    assert.equal(d.decision, 'allow');
    assert.equal(d.reasons[0]!.code, 'necessary');
  });

  it('lets a buyer be emailed until they unsubscribe, then never (P9, P11)', () => {
    const enrolled = decide(policy, {
      subject: kind('customer', { channels: { email_marketing: 'enrolled' } }),
      purpose: 'marketing.email',
      categories: ['contact.email'],
    });
    assert.equal(enrolled.decision, 'allow');
    const withdrawn = decide(policy, {
      subject: kind('customer', { channels: { email_marketing: 'withdrawn' } }),
      purpose: 'marketing.email',
      categories: ['contact.email'],
    });
    assert.equal(withdrawn.decision, 'deny');
    assert.equal(withdrawn.reasons[0]!.code, 'objected');
    assert.equal(withdrawn.reasons[0]!.channel, 'email_marketing');
  });

  it('needs consent for an opt-in purpose (P5, SMS)', () => {
    const none = decide(policy, {
      subject: kind('sms_subscriber'),
      purpose: 'marketing.sms',
      categories: ['contact.phone'],
    });
    assert.equal(none.decision, 'deny');
    assert.equal(none.reasons[0]!.code, 'no_consent');
    const granted = decide(policy, {
      subject: kind('sms_subscriber', { channels: { sms_marketing: 'granted' } }),
      purpose: 'marketing.sms',
      categories: ['contact.phone'],
    });
    assert.equal(granted.decision, 'allow');
    const account = decide(policy, {
      subject: kind('account_holder'),
      purpose: 'marketing.postal',
      categories: ['contact.postal_address'],
    });
    assert.equal(account.decision, 'deny', 'registration without the catalog opt-in gets no catalog');
  });

  it('never enrolls an SMS-only subscriber in email marketing (deny by default)', () => {
    const d = decide(policy, {
      subject: kind('sms_subscriber', { channels: { sms_marketing: 'granted' } }),
      purpose: 'marketing.email',
      categories: ['contact.email'],
    });
    assert.equal(d.decision, 'deny');
    assert.equal(d.reasons[0]!.code, 'no_rule');
  });

  it('denies a purpose with no rule, and errors on unknown names', () => {
    const d = decide(policy, {
      subject: kind('site_visitor'),
      purpose: 'legal.record_keeping',
      categories: ['behaviour.browsing'],
    });
    assert.equal(d.decision, 'deny');
    assert.equal(d.reasons[0]!.code, 'no_rule');
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return e instanceof VowError ? e.code : 'other';
      }
      return 'none';
    };
    assert.equal(
      code(() =>
        decide(policy, {
          subject: kind('customer'),
          purpose: 'marketing.telepathy',
          categories: ['contact.email'],
        }),
      ),
      'VOW_UNKNOWN_PURPOSE',
    );
    assert.equal(
      code(() =>
        decide(policy, {
          subject: kind('customer'),
          purpose: 'marketing.email',
          categories: ['contact.aura'],
        }),
      ),
      'VOW_UNKNOWN_CATEGORY',
    );
    assert.equal(
      code(() =>
        decide(policy, { subject: kind('alien'), purpose: 'marketing.email', categories: ['contact.email'] }),
      ),
      'VOW_UNKNOWN_SUBJECT_KIND',
    );
    assert.equal(
      code(() =>
        decide(policy, {
          subject: kind('customer'),
          purpose: 'order.fulfilment',
          categories: ['contact.email'],
          recipient: 'nsa',
        }),
      ),
      'VOW_UNKNOWN_RECIPIENT',
    );
  });

  it('never gives aggregate reporting or advertisers an identifying category (P6)', () => {
    for (const category of allCategories.filter((c) => policy.isPersonal(c))) {
      for (const purpose of ['advertising.aggregate_reporting', 'analytics.aggregate_reporting']) {
        const d = decide(policy, { subject: kind('customer'), purpose, categories: [category] });
        assert.equal(d.decision, 'deny', `${purpose} ${category}`);
        assert.ok(d.reasons.some((r) => r.code === 'aggregate_only'));
      }
    }
    const ok = decide(policy, {
      subject: kind('account_holder'),
      purpose: 'advertising.aggregate_reporting',
      categories: ['aggregate.statistics'],
      recipient: 'advertisers',
    });
    assert.equal(ok.decision, 'allow');
  });

  it('limits each recipient to its categories and purposes (P2, P19)', () => {
    const carrier = decide(policy, {
      subject: kind('gift_recipient'),
      purpose: 'order.fulfilment',
      categories: ['identity.name', 'contact.postal_address'],
      recipient: 'carrier',
    });
    assert.equal(carrier.decision, 'allow');
    const carrierEmail = decide(policy, {
      subject: kind('customer'),
      purpose: 'order.fulfilment',
      categories: ['contact.email'],
      recipient: 'carrier',
    });
    assert.equal(carrierEmail.decision, 'deny');
    assert.equal(carrierEmail.reasons[0]!.code, 'recipient_category');
    const ga = decide(policy, {
      subject: kind('account_holder'),
      purpose: 'analytics.site_improvement',
      categories: ['contact.email'],
      recipient: 'google_analytics',
    });
    assert.equal(ga.decision, 'deny');
  });

  it('denies everything for a person known to be under 13 (P14)', () => {
    const d = decide(policy, {
      subject: kind('customer', { under13: true }),
      purpose: 'order.fulfilment',
      categories: ['contact.email'],
    });
    assert.equal(d.decision, 'deny');
    assert.ok(d.reasons.some((r) => r.code === 'under_13' && r.promise === 'P14'));
  });

  it('denies restricted purposes, but still lets the request itself be answered (P23)', () => {
    const restricted = kind('customer', { restriction: { all: false, purposes: ['marketing'] } });
    assert.equal(
      decide(policy, { subject: restricted, purpose: 'marketing.email', categories: ['contact.email'] })
        .decision,
      'deny',
    );
    assert.equal(
      decide(policy, { subject: restricted, purpose: 'order.fulfilment', categories: ['contact.email'] })
        .decision,
      'allow',
    );
    const all = kind('customer', { restriction: { all: true, purposes: [] } });
    assert.equal(
      decide(policy, { subject: all, purpose: 'order.fulfilment', categories: ['contact.email'] }).decision,
      'deny',
    );
    assert.equal(
      decide(policy, { subject: all, purpose: 'rights.request_handling', categories: ['contact.email'] })
        .decision,
      'allow',
    );
  });

  it('lets a person who is a buyer and a gift recipient be judged per category', () => {
    const subject: SubjectState = {
      kinds: ['customer', 'gift_recipient'],
      kindsByCategory: { 'contact.email': ['customer'], 'contact.postal_address': ['gift_recipient'] },
    };
    assert.equal(
      decide(policy, { subject, purpose: 'marketing.email', categories: ['contact.email'] }).decision,
      'allow',
    );
    assert.equal(
      decide(policy, { subject, purpose: 'marketing.postal', categories: ['contact.postal_address'] })
        .decision,
      'deny',
    );
  });

  it('gives every reason, each naming its rule and promise', () => {
    const d = decide(policy, {
      subject: kind('gift_recipient'),
      purpose: 'marketing.email',
      categories: ['contact.email', 'identity.name'],
    });
    assert.equal(d.decision, 'deny');
    assert.equal(d.reasons.length, 2);
    for (const r of d.reasons) {
      assert.equal(r.rule, 'gift-recipient-no-other-use');
      assert.equal(r.promise, 'P3');
    }
    assert.equal(d.policyVersion, policy.version);
  });

  it('property: no never-rule purpose is ever allowed, whatever the consent state', () => {
    const states = fc.constantFrom('enrolled', 'granted', 'withdrawn', 'unknown') as fc.Arbitrary<
      'enrolled' | 'granted' | 'withdrawn' | 'unknown'
    >;
    fc.assert(
      fc.property(
        fc.constantFrom('gift_recipient', 'correspondent'),
        fc.constantFrom(...marketing),
        fc.subarray(['contact.email', 'contact.phone', 'contact.postal_address', 'identity.name'], {
          minLength: 1,
        }),
        fc.dictionary(fc.constantFrom(...Object.keys(policy.doc.channels)), states),
        (k, purpose, categories, channels) => {
          const d = decide(policy, { subject: { kinds: [k], channels }, purpose, categories });
          return d.decision === 'deny';
        },
      ),
      { numRuns: 500 },
    );
  });

  it('property: no channel outside channelsThatDecide changes a decision (audiences read only those states)', () => {
    const channels = Object.keys(policy.doc.channels);
    const kinds = Object.keys(policy.doc.subject_kinds);
    const state = fc.constantFrom(
      'enrolled' as const,
      'granted' as const,
      'withdrawn' as const,
      'unknown' as const,
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...allPurposes),
        fc.constantFrom(...allCategories),
        fc.constantFrom(...kinds),
        fc.dictionary(fc.constantFrom(...channels), state),
        fc.constantFrom(...channels),
        state,
        (purpose, category, k, states, other, otherState) => {
          fc.pre(!channelsThatDecide(policy, purpose, [category]).has(other));
          const req = { purpose, categories: [category] };
          const before = decide(policy, { ...req, subject: kind(k, { channels: states }) });
          const after = decide(policy, {
            ...req,
            subject: kind(k, { channels: { ...states, [other]: otherState } }),
          });
          assert.deepEqual(after, before);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
