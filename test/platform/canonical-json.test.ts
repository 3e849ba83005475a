// The text content hashes are computed over (audit chain, ledger details, policy versions): equal
// values give equal text whatever the order of their keys, and it is valid JSON of the same value.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalJson } from '../../src/platform/canonical-json.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth and leaves undefined members out', () => {
    const a = { b: 1, a: { d: [3, { z: true, y: null }], c: 'x' }, u: undefined };
    const b = { a: { c: 'x', d: [3, { y: null, z: true }] }, b: 1 };
    assert.equal(canonicalJson(a), '{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
    assert.equal(canonicalJson(a), canonicalJson(b));
    assert.deepEqual(JSON.parse(canonicalJson(a)), b);
  });

  it('keeps arrays in order and writes scalars, empties and odd keys as JSON does', () => {
    assert.equal(canonicalJson([2, 1, 'a"b', false]), '[2,1,"a\\"b",false]');
    assert.equal(canonicalJson({}), '{}');
    assert.equal(canonicalJson([]), '[]');
    assert.equal(canonicalJson({ only: undefined }), '{}');
    assert.equal(canonicalJson(null), 'null');
    assert.equal(canonicalJson('é\n'), '"é\\n"');
    // Keys sort by UTF-16 code units: "Z" < "a" < "é".
    assert.equal(canonicalJson({ é: 1, a: 2, Z: 3, 'q"': 4 }), '{"Z":3,"a":2,"q\\"":4,"é":1}');
  });
});
