// The policy's Spanish: the default policy translates every name a shopper reads and every notice
// section, marked as a translation; a translation naming something the policy lacks is refused
// with its location, like every other policy mistake.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { DEFAULT_POLICY_PATH, loadPolicy, parsePolicy } from '../../src/modules/policy/index.js';

describe('policy translations', () => {
  it('the default policy has es-US for every category, purpose, exemption, channel, cookie category, regulator and notice section', () => {
    const { doc } = loadPolicy();
    const es = doc.translations['es-US'];
    assert.ok(es, 'es-US is there');
    assert.equal(es.status, 'translation', 'marked as a translation: the English prevails');
    const missing = (what: string, ids: string[], have: Record<string, unknown>) =>
      ids.filter((id) => !(id in have)).map((id) => `${what} ${id}`);
    assert.deepEqual(
      [
        ...missing('category', Object.keys(doc.categories), es.categories),
        ...missing('purpose', Object.keys(doc.purposes), es.purposes),
        ...missing('exemption', Object.keys(doc.exemptions), es.exemptions),
        ...missing('channel', Object.keys(doc.channels), es.channels),
        ...missing('cookie category', Object.keys(doc.cookie_categories), es.cookie_categories),
        ...missing('regulator', Object.keys(doc.regulators), es.regulators),
      ],
      [],
    );
    assert.deepEqual(
      es.notice?.sections.map((s) => s.id),
      doc.notice.sections.map((s) => s.id),
      'the notice, section by section',
    );
  });

  it('refuses a translation of a category the policy does not have, at its place in the file', () => {
    const source = readFileSync(DEFAULT_POLICY_PATH, 'utf8').replace(
      '      identity.name: "Nombre y apellido"',
      '      identity.nickname: "Apodo"',
    );
    const r = parsePolicy(source);
    assert.equal(r.ok, false);
    if (r.ok) return;
    const p = r.problems.find((x) => x.message.includes('identity.nickname'));
    assert.ok(p, JSON.stringify(r.problems));
    assert.equal(p.path, 'translations["es-US"].categories["identity.nickname"]');
    assert.ok((p.line ?? 0) > 0, 'located in the file');
  });
});
