// A policy file's schema problems in the words of the file, for a retailer writing its own
// (docs/policy.md): a missing required key says "missing", what kind of value it takes and where the
// policy's keys are documented; a value of the wrong kind names both kinds; the schema's own messages
// ("must be a date written YYYY-MM-DD") are kept. Each is located by path and line.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { DEFAULT_POLICY_PATH, type PolicyProblem, parsePolicy } from '../../src/modules/policy/index.js';

const source = readFileSync(DEFAULT_POLICY_PATH, 'utf8');

function problemsOf(text: string): PolicyProblem[] {
  const r = parsePolicy(text);
  assert.equal(r.ok, false, 'the broken policy must be refused');
  return r.ok ? [] : r.problems;
}

describe('policy problems in the words of the file', () => {
  it('says a missing top-level key is missing, what it takes, and where it is documented', () => {
    const p = problemsOf('vow_policy: 1\nname: Tiny shop\neffective_date: 2026-01-01\n');
    const controller = p.find((x) => x.path === 'controller');
    assert.equal(
      controller?.message,
      'missing: add this required key (a map of keys); see docs/policy.md, `controller`',
    );
    assert.equal(
      p.find((x) => x.path === 'rules')?.message.startsWith('missing: add this required key (a list)'),
      true,
    );
    assert.ok(!p.some((x) => x.message.includes('received undefined')), JSON.stringify(p));
  });

  it('points a missing nested key at its parent, with its section', () => {
    const broken = source.replace(/^ {2}requests_postal_address: .*\n/m, '');
    assert.notEqual(broken, source, 'the fixture has the key');
    const p = problemsOf(broken).find((x) => x.path === 'controller.requests_postal_address');
    assert.equal(p?.message, 'missing: add this required key (text); see docs/policy.md, `controller`');
    assert.ok(p?.line, 'located at the parent');
  });

  it('names the kind wanted and the kind found, and keeps the schema’s own words', () => {
    const phone = problemsOf(source.replace(/^( {2}phone: ).*$/m, '$15'));
    assert.equal(phone.find((x) => x.path === 'controller.phone')?.message, 'must be text, not a number');
    const date = problemsOf(source.replace(/^effective_date: .*$/m, 'effective_date: soon'));
    assert.match(date.find((x) => x.path === 'effective_date')?.message ?? '', /YYYY-MM-DD/);
  });
});
