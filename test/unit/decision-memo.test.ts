// Decisions about kinds are remembered by question (src/modules/decisions/decision-service.ts): the
// same question gets the same answer without deciding again, the answer cannot be changed by a
// caller, a new policy starts afresh, and a refused question (an unknown name) is never remembered.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Decision, DecisionService } from '../../src/modules/decisions/index.js';
import { loadPolicy, type Policy } from '../../src/modules/policy/index.js';

describe('decisions about kinds, remembered by question', () => {
  const question = {
    subject: { kind: 'customer' },
    purpose: 'order.fulfilment',
    categories: ['contact.email'],
  };

  it('answers the same question with the same frozen answer, observed every time', () => {
    let policy: Policy = loadPolicy();
    const seen: Decision[] = [];
    const service = new DecisionService(
      () => policy,
      (_purpose, d) => seen.push(d),
    );
    const first = service.decide(question) as Decision;
    const again = service.decide({ ...question, categories: ['contact.email'] }) as Decision;
    assert.equal(first.decision, 'allow');
    assert.equal(again, first, 'the remembered answer');
    assert.equal(seen.length, 2, 'every decision is still counted');
    assert.ok(Object.isFrozen(first) && Object.isFrozen(first.reasons) && Object.isFrozen(first.reasons[0]));
    assert.throws(() => {
      (first.reasons as unknown as unknown[]).push('x');
    });
    const other = service.decide({
      subject: { kinds: ['customer'] },
      purpose: 'order.fulfilment',
      categories: ['contact.email'],
    });
    assert.deepEqual(other, first, 'kind and kinds ask the same question');
    // A new policy: decided again under it.
    policy = loadPolicy();
    const fresh = service.decide(question) as Decision;
    assert.notEqual(fresh, first);
    assert.deepEqual(fresh, first);
  });

  it('never remembers a refused question', () => {
    const service = new DecisionService(() => loadPolicy());
    const unknown = { ...question, purpose: 'no.such.purpose' };
    assert.throws(() => service.decide(unknown), { code: 'VOW_UNKNOWN_PURPOSE' });
    assert.throws(() => service.decide(unknown), { code: 'VOW_UNKNOWN_PURPOSE' });
  });
});
