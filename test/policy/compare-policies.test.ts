// comparePolicies: what putting a policy in force would change against the one in force, part by
// part, and whether what people consented to changes (consentVersion).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import { comparePolicies, type Policy, parsePolicy } from '../../src/modules/policy/index.js';

const DEFAULT = readFileSync(new URL('../../policies/default.yaml', import.meta.url), 'utf8');

function policyOf(source: string): Policy {
  const r = parsePolicy(source);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.policy;
}

// biome-ignore lint/suspicious/noExplicitAny: a policy document edited as plain YAML data
function edited(change: (doc: any) => void): Policy {
  const doc = parse(DEFAULT);
  change(doc);
  return policyOf(stringify(doc));
}

describe('comparePolicies', () => {
  const current = policyOf(DEFAULT);

  it('finds nothing between a policy and itself (comments and layout do not count)', () => {
    const c = comparePolicies(current, policyOf(`# a comment\n${DEFAULT}`));
    assert.equal(c.same, true);
    assert.equal(c.consentVersion.changed, false);
    assert.deepEqual(c.parts, []);
  });

  it('lists added, removed and changed entries, retention by category and kinds', () => {
    const next = edited((d) => {
      d.purposes['loyalty.points'] = { description: 'Counting loyalty points' };
      d.purposes['marketing.sms'].description = 'Texts about sales';
      d.retention.find(
        (r: { category: string; subject_kinds?: string[] }) =>
          r.category === 'contact' && r.subject_kinds?.[0] === 'gift_recipient',
      ).keep_for = 'P6M';
      d.rules.push({
        id: 'loyalty-points',
        promise: 'P2',
        source:
          'We use the information you provide about yourself when placing an order only to complete that order.',
        subject_kinds: ['customer'],
        purposes: ['loyalty.points'],
        categories: ['commerce'],
        basis: 'necessary',
      });
    });
    const c = comparePolicies(current, next);
    assert.equal(c.same, false);
    const part = (id: string) => c.parts.find((p) => p.part === id);
    assert.deepEqual(part('purposes')?.added, ['loyalty.points']);
    assert.deepEqual(part('purposes')?.changed, [
      { id: 'marketing.sms', changes: ['description: Marketing text messages → Texts about sales'] },
    ]);
    assert.deepEqual(part('retention')?.changed, [
      { id: 'contact (gift_recipient)', changes: ['keep_for: 1 year (P1Y) → 6 months (P6M)'] },
    ]);
    assert.deepEqual(part('rules')?.added, ['loyalty-points']);
    const back = comparePolicies(next, current);
    assert.deepEqual(back.parts.find((p) => p.part === 'purposes')?.removed, ['loyalty.points']);
    assert.deepEqual(back.parts.find((p) => p.part === 'rules')?.removed, ['loyalty-points']);
    assert.equal(c.parts[0]?.part, 'purposes', 'what people are told first');
  });

  it('says when consent must be asked again: a channel, a cookie category, a consent rule or a recipient', () => {
    const recipient = edited((d) => {
      d.recipients.carrier.categories.push('contact.email');
    });
    assert.equal(comparePolicies(current, recipient).consentVersion.changed, true);
    const wording = edited((d) => {
      d.purposes['order.payment'].description = 'Payment for an order';
      d.effective_date = '2027-01-01';
    });
    const c = comparePolicies(current, wording);
    assert.equal(c.consentVersion.changed, false, 'a purpose reworded asks nobody again');
    assert.deepEqual(c.effectiveDate, { from: '2023-02-01', to: '2027-01-01' });
  });

  it('names a reworded long sentence by its key instead of repeating it', () => {
    const next = edited((d) => {
      d.promises.P13.enforcement =
        'Everything is encrypted, and every staff action is recorded in a chained trail.';
    });
    const promises = comparePolicies(current, next).parts.find((p) => p.part === 'promises');
    assert.deepEqual(promises?.changed, [{ id: 'P13', changes: ['enforcement reworded'] }]);
  });
});
