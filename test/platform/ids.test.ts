// Record ids: time-ordered UUIDv7 in production (RFC 9562, section 5.7), so indexes keyed by them
// grow at their ends; the demo's seeded ids are ordered the same way and reproducible.
import assert from 'node:assert/strict';
import { PerformanceObserver } from 'node:perf_hooks';
import { describe, it } from 'node:test';
import { v7 as uuidv7 } from 'uuid';
import { cryptoRandom, seededRandom, uuidText } from '../../src/platform/clock.js';

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

describe('the text of an id (uuidText)', () => {
  it("is the uuid package's v7() text for the same millisecond, counter and random bytes", () => {
    const random = seededRandom(11);
    const edges = [0, 1, 2 ** 31 - 1, -(2 ** 31), -1, 0x3fff, 0x4000];
    const times = [0, 1, 2 ** 48 - 1, Date.UTC(2026, 0, 1), Date.UTC(2099, 11, 31, 23, 59, 59, 999)];
    for (let n = 0; n < 5000; n++) {
      const bytes = random.bytes(40);
      const at = n % 25;
      const msecs = n < times.length ? times[n]! : bytes.readUIntBE(0, 6);
      const seq = n < edges.length ? edges[n]! : bytes.readInt32BE(6);
      const expected = uuidv7({ msecs, seq, random: Uint8Array.from(bytes.subarray(at, at + 16)) });
      assert.equal(uuidText(msecs, seq, bytes, at), expected, `msecs ${msecs}, seq ${seq}`);
    }
  });

  it('seeded ordered ids are the ones v7() made of the same seeded bytes (tests and the demo unchanged)', () => {
    const ids = seededRandom(7, { ordered: true });
    const bytes = seededRandom(7);
    for (let seq = 0; seq < 2000; seq++)
      assert.equal(ids.uuid(), uuidv7({ msecs: Date.UTC(2026, 0, 1), seq, random: bytes.bytes(16) }));
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
  });

  it('small draws are views of shared slabs, each byte handed out once; seeded ones too, same bytes', () => {
    for (const random of [cryptoRandom, seededRandom(5)]) {
      const draws = Array.from({ length: 3_000 }, (_, i) => random.bytes([12, 32, 16, 1, 128][i % 5]!));
      // Far fewer memory blocks than draws: no ArrayBuffer per draw (the import made six a person).
      const blocks = new Set(draws.map((d) => d.buffer));
      assert.ok(blocks.size < draws.length / 3, `${blocks.size} blocks for ${draws.length} draws`);
      // No two draws share a byte of a block.
      const spans = new Map<ArrayBufferLike, [number, number][]>();
      for (const d of draws) {
        const list = spans.get(d.buffer) ?? [];
        for (const [from, to] of list) assert.ok(d.byteOffset >= to || d.byteOffset + d.length <= from);
        list.push([d.byteOffset, d.byteOffset + d.length]);
        spans.set(d.buffer, list);
      }
      const [a, b] = [random.bytes(16), random.bytes(16)];
      const bBefore = Buffer.from(b);
      a.fill(0xff);
      assert.deepEqual(b, bBefore);
      // Larger draws have their own memory.
      const big = random.bytes(200);
      assert.equal(big.byteLength, big.buffer.byteLength);
    }
    // The seeded stream is the same whatever the draws' sizes: tests and the demo stay reproducible.
    const one = seededRandom(9);
    const whole = Buffer.concat(Array.from({ length: 50 }, (_, i) => one.bytes(1 + (i % 200))));
    const other = seededRandom(9);
    let joined = Buffer.alloc(0);
    while (joined.length < whole.length) joined = Buffer.concat([joined, other.bytes(7)]);
    assert.deepEqual(joined.subarray(0, whole.length), whole);
    // The bytes each seed gives, as before the state was kept signed (tests' and the demo's data).
    assert.equal(
      seededRandom(1).bytes(24).toString('hex'),
      '2101c54fd1d01ab22574cb378aaef5b10808911933b9eb4f',
    );
    assert.equal(
      seededRandom(0xdeadbeef).bytes(24).toString('hex'),
      'b742583b481b5cb3f6b53ae4d31300694c9b388795ada515',
    );
  });

  it('seeded bytes are drawn without a heap number a step (their state stays a small integer)', async () => {
    const random = seededRandom(3);
    random.bytes(100_000); // warm: optimised
    let seen = 0;
    const collections = new PerformanceObserver((list) => {
      seen += list.getEntries().length;
    });
    collections.observe({ entryTypes: ['gc'] });
    // 20,000,000 bytes: the old unsigned state made about three 16-byte heap numbers a byte (~1 GB,
    // dozens of collections of the young generation); now nothing of the heap but 200 buffers.
    for (let i = 0; i < 200; i++) random.bytes(100_000);
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    seen += collections.takeRecords().length;
    collections.disconnect();
    assert.ok(seen <= 6, `${seen} garbage collections while drawing 20,000,000 bytes`);
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
