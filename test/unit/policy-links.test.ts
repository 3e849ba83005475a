import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { DEFAULT_POLICY_PATH, parsePolicy } from '../../src/modules/policy/index.js';

// A regulator's or an attorney general's address is a link shoppers follow from the notice,
// complaint answers and mails: only web addresses are accepted.
const source = readFileSync(DEFAULT_POLICY_PATH, 'utf8');

function problemsWith(edited: string): string[] {
  assert.notEqual(edited, source, 'the edit applies');
  const result = parsePolicy(edited);
  return result.ok ? [] : result.problems.map((p) => `${p.path} ${p.message}`);
}

describe('links in a policy', () => {
  it('accepts the shipped regulators and attorneys general', () => {
    assert.deepEqual(problemsWith(`${source}\n# unchanged\n`), []);
  });

  for (const link of [
    'javascript:alert(document.cookie)',
    'data:text/html,<b>x</b>',
    'mailto:ag@example.com',
  ]) {
    it(`refuses a regulator's url of ${link.split(':')[0]}:`, () => {
      const problems = problemsWith(
        source.replace('url: https://ico.org.uk/make-a-complaint/', `url: "${link}"`),
      );
      assert.equal(problems.length, 1, problems.join('\n'));
      assert.match(problems[0] ?? '', /regulators.*url.*must be a web address/);
    });

    it(`refuses an attorney general's url of ${link.split(':')[0]}:`, () => {
      const problems = problemsWith(source.replace('url: "https://coag.gov/"', `url: "${link}"`));
      assert.equal(problems.length, 1, problems.join('\n'));
      assert.match(problems[0] ?? '', /attorney_general.*url.*must be a web address/);
    });
  }
});
