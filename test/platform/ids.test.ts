// Record ids: time-ordered UUIDv7 in production (RFC 9562, section 5.7), so indexes keyed by them
// grow at their ends; the demo's seeded ids are ordered the same way and reproducible.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cryptoRandom, seededRandom } from '../../src/platform/clock.js';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** The creation millisecond of a UUIDv7: its first 48 bits. */
const millisecond = (id: string) => Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16);

describe('record ids', () => {
  it('are UUIDv7 carrying the millisecond they were made, each one new', () => {
    const before = Date.now();
    const ids = Array.from({ length: 5000 }, () => cryptoRandom.uuid());
    const after = Date.now();
    for (const id of ids) {
      assert.match(id, V7);
      assert.ok(millisecond(id) >= before && millisecond(id) <= after, id);
    }
    assert.equal(new Set(ids).size, ids.length);
  });

  it('sort in the order they were made, within one millisecond too', () => {
    const ids = Array.from({ length: 5000 }, () => cryptoRandom.uuid());
    assert.deepEqual([...ids].sort(), ids);
  });

  it('seeded and ordered (the demo): the same seed gives the same ids, in order', () => {
    const a = seededRandom(7, { ordered: true });
    const b = seededRandom(7, { ordered: true });
    const ids = Array.from({ length: 1000 }, () => a.uuid());
    assert.deepEqual(
      Array.from({ length: 1000 }, () => b.uuid()),
      ids,
    );
    for (const id of ids) assert.match(id, V7);
    assert.deepEqual([...ids].sort(), ids);
    assert.equal(new Set(ids).size, ids.length);
    assert.notDeepEqual(seededRandom(8, { ordered: true }).uuid(), ids[0]);
  });
});
