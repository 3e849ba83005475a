// Counts in words: "1 problem", "2 problems", never "problem(s)", in what a person reads (a command's
// refusal, a recipient's drafted email).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { draftText } from '../../src/modules/downstream/drafts.js';
import { counted, noun } from '../../src/platform/counts.js';

describe('counted words', () => {
  it('says one in the singular and any other count in the plural', () => {
    assert.equal(counted(1, 'problem'), '1 problem');
    assert.equal(counted(0, 'problem'), '0 problems');
    assert.equal(counted(2, 'key'), '2 keys');
    assert.equal(noun(2, 'Email address', 'Email addresses'), 'Email addresses');
  });

  it("words a recipient's drafted email by how many of each identifier it names", () => {
    const one = draftText('deletion', 'ref-1', { emails: ['ana@example.com'], phones: ['+14155550100'] });
    assert.match(one, /^Email address: ana@example\.com$/m);
    assert.match(one, /^Phone number: \+14155550100$/m);
    const two = draftText('deletion', 'ref-2', {
      emails: ['ana@example.com', 'ana@example.org'],
      phones: ['+14155550100', '+14155550101'],
    });
    assert.match(two, /^Email addresses: ana@example\.com, ana@example\.org$/m);
    assert.match(two, /^Phone numbers: /m);
    assert.doesNotMatch(one + two, /\((s|es)\)/);
  });
});
