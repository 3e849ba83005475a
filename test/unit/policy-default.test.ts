import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  DEFAULT_POLICY_PATH,
  loadPolicy,
  normaliseSentence,
  parsePolicy,
} from '../../src/modules/policy/index.js';

// The seed policy text, copied into the repo (Vow never reads ../shared at run or test time).
const seed = normaliseSentence(
  readFileSync(new URL('../fixtures/seed-privacy-policy.txt', import.meta.url), 'utf8').replace(
    /\(i\.e\. i\.e\./g,
    '(i.e.',
  ),
);
const policy = loadPolicy();

describe('the default policy', () => {
  it('is the shipped file and validates', () => {
    const result = parsePolicy(readFileSync(DEFAULT_POLICY_PATH, 'utf8'));
    assert.equal(result.ok, true, result.ok ? '' : JSON.stringify(result.problems));
  });

  it('holds every promise P1..P26, each quoting a sentence of the seed policy', () => {
    const ids = Object.keys(policy.doc.promises);
    assert.deepEqual(
      ids.sort((a, b) => Number(a.slice(1)) - Number(b.slice(1))),
      Array.from({ length: 26 }, (_, i) => `P${i + 1}`),
    );
    for (const [id, p] of Object.entries(policy.doc.promises)) {
      assert.ok(
        seed.includes(normaliseSentence(p.source)),
        `${id}'s source is not a sentence of the seed policy: ${p.source}`,
      );
      assert.ok(p.enforcement.length > 20, `${id} says how it is enforced`);
    }
  });

  it('quotes the seed word for word in every rule and exemption', () => {
    for (const r of policy.doc.rules) {
      assert.ok(
        seed.includes(normaliseSentence(r.source)),
        `rule ${r.id} quotes text that is not in the seed`,
      );
    }
    for (const [id, e] of Object.entries(policy.doc.exemptions)) {
      assert.ok(
        seed.includes(normaliseSentence(e.source)),
        `exemption ${id} quotes text that is not in the seed`,
      );
    }
  });

  it('carries every paragraph of the seed policy into its notice', () => {
    for (const s of policy.doc.notice.sections) {
      for (const p of s.paragraphs) {
        // Sentence by sentence, so a reworded or invented sentence fails.
        for (const sentence of p.split(/(?<=[.!?])\s+(?=[A-Z"])/)) {
          const n = normaliseSentence(sentence)
            .replace(/^"cookies"/, '“cookies”')
            .replace(/diamond nexus'/, 'diamond nexus’')
            .replace(/children's/, 'children’s');
          assert.ok(
            seed.includes(n) || seed.includes(normaliseSentence(sentence)),
            `section ${s.id}: "${sentence}" is not in the seed`,
          );
        }
      }
    }
    const headings = policy.doc.notice.sections.map((s) => normaliseSentence(s.heading));
    for (const h of [
      'our commitment to privacy',
      'the way we use our information',
      'our commitment to data security',
      'how can you access or correct your information',
      'cookies',
      'google analytics',
      'european & california consumer privacy rights & personal data protection',
      'complaints',
      'how to contact us',
    ]) {
      assert.ok(headings.includes(h), `the notice has a section "${h}"`);
    }
  });

  it('links every collection point to a notice section (P1)', () => {
    const sections = new Set(policy.doc.notice.sections.map((s) => s.id));
    const points = Object.keys(policy.doc.collection_points);
    for (const id of [
      'checkout',
      'registration',
      'contest_entry',
      'catalog_request',
      'sms_signup',
      'inbound_email',
      'cookie_banner',
    ]) {
      assert.ok(points.includes(id), `collection point ${id}`);
      assert.ok(sections.has(policy.doc.collection_points[id]!.notice));
    }
  });

  it('offers the catalog form exactly the seed form values', () => {
    const f = policy.doc.collection_points.catalog_request!.fields;
    assert.equal(f.relationship_status!.values!.length, 5);
    assert.equal(f.jewelry_types!.values!.length, 7);
    assert.equal(f.budget!.values!.length, 5);
    assert.equal(f.age_range!.values!.length, 7);
    assert.equal(f.residence_type!.values!.length, 3);
    assert.deepEqual(f.gender!.values, ['male', 'female', 'no_thanks']);
    assert.equal(f.gender!.required, false);
  });

  it('has a content-hash version that changes with content, not with formatting', () => {
    const src = readFileSync(DEFAULT_POLICY_PATH, 'utf8');
    const reformatted = parsePolicy(`# a comment\n${src}\n\n`);
    assert.ok(reformatted.ok);
    assert.equal(reformatted.policy.version, policy.version);
    const changed = parsePolicy(src.replace('effective_date: 2023-02-01', 'effective_date: 2023-02-02'));
    assert.ok(changed.ok);
    assert.notEqual(changed.policy.version, policy.version);
    assert.equal(
      changed.policy.consentVersion,
      policy.consentVersion,
      'a new date alone does not need new consent',
    );
    assert.match(policy.version, /^[0-9a-f]{16}$/);
  });

  it('keeps order history and account information on deletion (P22)', () => {
    const exempt = policy.doc.exemptions.service_customers!;
    assert.ok(exempt.categories.includes('commerce.order_history'));
    assert.ok(exempt.categories.some((c) => c.startsWith('account')));
  });
});
