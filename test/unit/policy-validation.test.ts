import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { main } from '../../src/cli/main.js';
import { DEFAULT_POLICY_PATH, type PolicyProblem, parsePolicy } from '../../src/modules/policy/index.js';

const source = readFileSync(DEFAULT_POLICY_PATH, 'utf8');

function problemsOf(text: string): PolicyProblem[] {
  const r = parsePolicy(text);
  assert.equal(r.ok, false, 'the broken policy must be refused');
  return r.ok ? [] : r.problems;
}

/** 1-based line of the first occurrence of `needle` in `text`. */
function lineOf(text: string, needle: string): number {
  const i = text.indexOf(needle);
  assert.ok(i >= 0, `fixture contains ${needle}`);
  return text.slice(0, i).split('\n').length;
}

describe('policy validation', () => {
  it('locates an unknown category in a rule by path and line', () => {
    const broken = source.replace(
      'categories: [identity.name, contact, commerce]\n    basis: necessary',
      'categories: [identity.name, contact, commerce.nonsense]\n    basis: necessary',
    );
    const p = problemsOf(broken).find((x) => x.path === 'rules[0].categories[2]');
    assert.ok(p);
    assert.match(p!.message, /unknown category "commerce.nonsense"/);
    assert.equal(p!.line, lineOf(broken, 'commerce.nonsense'));
  });

  it('locates a YAML syntax error', () => {
    const broken = source.replace('vow_policy: 1', 'vow_policy: [1');
    const [p] = problemsOf(broken);
    assert.equal(p!.path, '(yaml)');
    assert.ok(p!.line !== undefined && p!.line > 0);
  });

  it('names an unknown key at its own line', () => {
    const broken = source.replace('locale: en-US', 'locale: en-US\nlocal: typo');
    const [p] = problemsOf(broken);
    assert.match(p!.message, /unknown key "local"/);
    assert.equal(p!.line, lineOf(broken, 'local: typo'));
  });

  it('refuses an opt-out rule without a channel to opt out through (P7)', () => {
    const broken = source.replace(
      '    basis: opt_out\n    channel: email_marketing\n  - id: gift',
      '    basis: opt_out\n  - id: gift',
    );
    const problems = problemsOf(broken);
    assert.ok(
      problems.some((p) => p.path.endsWith('.channel') && /needs the consent channel/.test(p.message)),
    );
  });

  it('refuses a rule whose source sentence is not in the notice', () => {
    const broken = source.replace(
      'source: We use return email addresses to answer the email we receive.\n',
      'source: We may use return email addresses for anything.\n',
    );
    const problems = problemsOf(broken);
    assert.ok(problems.some((p) => /source sentence is not in the notice/.test(p.message)));
  });

  it('refuses giving identifying data to a recipient that may never receive it (P19)', () => {
    const broken = source.replace(
      'categories: [behaviour, device.cookie_id, device.browser_family]',
      'categories: [behaviour, device.cookie_id, device.browser_family, contact.email]',
    );
    const problems = problemsOf(broken);
    const p = problems.find((x) => x.path.startsWith('recipients.google_analytics'));
    assert.ok(p, JSON.stringify(problems));
    assert.match(p.message, /identifying/);
  });

  it('refuses an aggregate-only purpose over personal data (P6)', () => {
    const broken = source.replace(
      '    categories: [aggregate]\n    basis: necessary',
      '    categories: [aggregate, contact.email]\n    basis: necessary',
    );
    const problems = problemsOf(broken);
    assert.ok(problems.some((p) => /aggregate-only/.test(p.message)));
  });

  it('refuses a collection field claiming a purpose no rule allows', () => {
    const broken = source.replace(
      'gift_recipient.email: { category: contact.email, subject_kind: gift_recipient, required: false, purposes: [order.delivery_confirmation] }',
      'gift_recipient.email: { category: contact.email, subject_kind: gift_recipient, required: false, purposes: [order.delivery_confirmation, marketing.email] }',
    );
    const problems = problemsOf(broken);
    assert.ok(problems.some((p) => /no rule allows "marketing.email" for gift_recipient/.test(p.message)));
  });

  it('locates a correctable flag that is not true or false, and one on what a person cannot correct', () => {
    const wrong = source.replace(
      'contact.phone: { description: "Telephone number", identifying: true, correctable: true }',
      'contact.phone: { description: "Telephone number", identifying: true, correctable: "yes" }',
    );
    const p = problemsOf(wrong).find((x) => x.path === 'categories["contact.phone"].correctable');
    assert.ok(p, 'the flag is pointed at');
    assert.match(p!.message, /must be true or false/);
    assert.equal(p!.line, lineOf(wrong, 'correctable: "yes"'));
    const contradicted = source
      .replace(/(account\.credentials: \{[^}]*correctable: )false/, '$1true')
      .replace(/(aggregate\.statistics: \{[^}]*correctable: )false/, '$1true');
    const problems = problemsOf(contradicted).map((x) => `${x.path}: ${x.message}`);
    assert.ok(
      problems.some((x) => /^categories\["account\.credentials"\]\.correctable: .*password reset/.test(x)),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((x) =>
        /^categories\["aggregate\.statistics"\]\.correctable: .*not personal data/.test(x),
      ),
      problems.join('\n'),
    );
  });

  it('loads a policy written without correctable flags: names, addresses, emails and phones can be corrected, nothing else', () => {
    const r = parsePolicy(source.replace(/, correctable: (true|false) ?\}/g, ' }'));
    if (!r.ok) throw new Error(r.problems.map((x) => x.message).join('\n'));
    const policy = r.policy;
    assert.equal(policy.doc.categories['contact.email']?.correctable, undefined, 'no flag left');
    for (const id of ['identity.name', 'contact.email', 'contact.postal_address', 'contact.phone'])
      assert.equal(policy.isCorrectable(id), true, id);
    for (const id of [
      'consent.history',
      'device.cookie_id',
      'account.credentials',
      'identity.collection_trace',
      'aggregate.statistics',
      'no.such',
    ])
      assert.equal(policy.isCorrectable(id), false, id);
  });

  it('reports a wrong type with its path', () => {
    const broken = source.replace('effective_date: 2023-02-01', 'effective_date: yesterday');
    const [p] = problemsOf(broken);
    assert.equal(p!.path, 'effective_date');
    assert.equal(p!.line, lineOf(broken, 'effective_date: yesterday'));
  });
});

describe('vow policy check', () => {
  const captured = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
  };

  it('accepts the default policy with exit 0', async () => {
    const c = captured();
    const code = await main(['node', 'vow', 'policy', 'check', DEFAULT_POLICY_PATH], c.io);
    assert.equal(code, 0);
    assert.match(c.out.join('\n'), /valid\. Version [0-9a-f]{16}/);
  });

  it('rejects a broken policy with exit 1 and file:line problems', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vow-policy-'));
    const file = path.join(dir, 'broken.yaml');
    const broken = source.replace('basis: never', 'basis: sometimes');
    writeFileSync(file, broken);
    const c = captured();
    const code = await main(['node', 'vow', 'policy', 'check', file], c.io);
    assert.equal(code, 1);
    const text = c.err.join('\n');
    assert.match(
      text,
      new RegExp(`broken\\.yaml:${lineOf(broken, 'basis: sometimes')}:\\d+ rules\\[\\d+\\]\\.basis:`),
    );
  });
});
