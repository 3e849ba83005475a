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

describe('random bytes (drawn from the system 4 KB at a time)', () => {
  it('every draw is new, of its own memory, across many refills of the pool', () => {
    const draws = Array.from({ length: 20_000 }, (_, i) => cryptoRandom.bytes(1 + (i % 40)));
    for (const [i, d] of draws.entries()) assert.equal(d.length, 1 + (i % 40));
    const nonces = draws.filter((d) => d.length >= 12).map((d) => d.toString('hex'));
    assert.equal(new Set(nonces).size, nonces.length, 'no 12-byte (or longer) draw repeats');
    // A draw is a copy: changing it changes no other draw.
    const [a, b] = [cryptoRandom.bytes(16), cryptoRandom.bytes(16)];
    const bBefore = Buffer.from(b);
    a.fill(0xff);
    assert.deepEqual(b, bBefore);
    assert.notEqual(a.buffer, b.buffer);
  });

  it('are evenly spread (a pool handing out its zeroed or repeated bytes would not be)', () => {
    const counts = new Array<number>(256).fill(0);
    let total = 0;
    for (let i = 0; i < 8192; i++)
      for (const byte of cryptoRandom.bytes(32)) {
        counts[byte]!++;
        total++;
      }
    const expected = total / 256; // 1,024 each
    for (const [value, n] of counts.entries())
      assert.ok(
        Math.abs(n - expected) < expected * 0.25,
        `byte ${value} drawn ${n} times, expected about ${expected}`,
      );
    // Larger draws come straight from the system.
    const big = cryptoRandom.bytes(4096);
    assert.equal(big.length, 4096);
    assert.ok(new Set(big).size > 200);
    assert.equal(cryptoRandom.bytes(0).length, 0);
  });
});
