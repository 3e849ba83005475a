// What each family of checks covers (covers.ts: id, title, covers) lives apart from how it runs, so
// `vow policy check` reads it without the checks' code or the store (light.ts). The monitor runs
// FAMILIES; the warnings read FAMILY_COVERS: the two must name the same families, in the same order,
// with the same titles and the same covers().
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FAMILIES, FAMILY_COVERS } from '../../src/modules/promises/index.js';

describe('promise monitor: what each family covers, apart from its checks', () => {
  it('FAMILY_COVERS is every family of FAMILIES, in its order, with its title and covers()', () => {
    assert.deepEqual(
      FAMILY_COVERS.map((c) => c.id),
      FAMILIES.map((f) => f.id),
    );
    FAMILIES.forEach((f, i) => {
      const c = FAMILY_COVERS[i]!;
      assert.equal(c.title, f.title, f.id);
      assert.equal(c.covers, f.covers, f.id);
    });
  });
});
