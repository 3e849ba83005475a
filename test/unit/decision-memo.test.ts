// Decisions about kinds are remembered by question (src/modules/decisions/decision-service.ts): the
// same question gets the same answer without deciding again, the answer cannot be changed by a
// caller, a new policy starts afresh, and a refused question (an unknown name) is never remembered.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { questionKey } from '../../src/modules/decisions/decision-service.js';
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

  it('keys no two questions alike, whatever their names hold', () => {
    // Names that a key made by joining with a separator (or without lengths) would confuse.
    const questions: [string[], { purpose: string; categories: string[]; recipient?: string }][] = [
      [['a'], { purpose: 'p', categories: ['b', 'c'] }],
      [['a'], { purpose: 'p', categories: ['b,c'] }],
      [['a', 'b'], { purpose: 'p', categories: ['c'] }],
      [['a'], { purpose: 'p', categories: ['bc'] }],
      [['a'], { purpose: 'p', categories: ['1:b', 'c'] }],
      [['a'], { purpose: 'p', categories: ['1:b1:c'] }],
      [['a'], { purpose: 'p', categories: ['b', 'c'], recipient: 'r' }],
      [['a'], { purpose: 'p', categories: ['b', 'c'], recipient: '' }],
      [['a'], { purpose: 'p-', categories: ['b', 'c'] }],
      [['a'], { purpose: '1:p', categories: ['b', 'c'] }],
      [['ak1'], { purpose: 'p', categories: ['c'] }],
      [['a'], { purpose: 'p', categories: ['k1', 'c'] }],
      [[], { purpose: 'p', categories: ['a', 'c'] }],
    ];
    const keys = questions.map(([kinds, input]) => questionKey(kinds, { subject: { kinds }, ...input }));
    assert.equal(new Set(keys).size, questions.length, keys.join('\n'));
    // The same question, however its arrays were made, has one key.
    assert.equal(
      questionKey(['a'], { subject: { kind: 'a' }, purpose: 'p', categories: ['b', 'c'] }),
      questionKey([...'a'], { subject: { kinds: ['a'] }, purpose: 'p', categories: 'b c'.split(' ') }),
    );
  });
});
