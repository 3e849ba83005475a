// The assignment hash against MurmurHash3's published x86_32 test vectors, and the assignment
// it drives: stable for a cookie id, balanced over many ids, and cut by the weights.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  assignmentHash,
  assignVariant,
  murmur3x86_32,
  pickVariant,
} from '../../src/modules/experiments/assignment-hash.js';
import { chiSquareGoodnessOfFit } from '../../src/modules/experiments/stats/tests.js';
import { seededRandom } from '../../src/platform/clock.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
// Random v4 UUIDs like real cookie ids, but reproducible from run to run.
const ids = seededRandom(20260115);
const randomUUID = (): string => ids.uuid();

describe('MurmurHash3 x86 32-bit', () => {
  it('matches the published test vectors', () => {
    const vectors: [Uint8Array, number, number][] = [
      [utf8(''), 0, 0],
      [utf8(''), 1, 0x514e28b7],
      [utf8(''), 0xffffffff, 0x81f16f39],
      [new Uint8Array([0xff, 0xff, 0xff, 0xff]), 0, 0x76293b50],
      [new Uint8Array([0, 0, 0, 0]), 0, 0x2362f9de],
      [utf8('aaaa'), 0x9747b28c, 0x5a97808a],
      [utf8('aaa'), 0x9747b28c, 0x283e0130],
      [utf8('aa'), 0x9747b28c, 0x5d211726],
      [utf8('a'), 0x9747b28c, 0x7fa09ea6],
      [utf8('abcd'), 0x9747b28c, 0xf0478627],
      [utf8('abc'), 0x9747b28c, 0xc84a62dd],
      [utf8('ab'), 0x9747b28c, 0x74875592],
      [utf8('Hello, world!'), 0x9747b28c, 0x24884cba],
      [utf8('The quick brown fox jumps over the lazy dog'), 0x9747b28c, 0x2fa826cd],
    ];
    for (const [data, seed, expected] of vectors) {
      assert.equal(murmur3x86_32(data, seed), expected, `${Buffer.from(data).toString('hex')} seed ${seed}`);
    }
  });

  it('hashes the UTF-8 bytes of experimentId:cookieId with seed 0 (the README worked example)', () => {
    const h = assignmentHash('homepage-hero', 'c0ffee00-0000-4000-8000-000000000001');
    assert.equal(h, murmur3x86_32(utf8('homepage-hero:c0ffee00-0000-4000-8000-000000000001'), 0));
    assert.equal(h, 663393135);
    assert.equal(
      assignVariant('homepage-hero', 'c0ffee00-0000-4000-8000-000000000001', [
        { id: 'A', weight: 1 },
        { id: 'B', weight: 1 },
      ]).id,
      'A',
    );
  });
});

describe('assignment by cumulative weights', () => {
  const ab = [
    { id: 'A', weight: 1 },
    { id: 'B', weight: 1 },
  ];

  it('cuts [0, 2^32) at the cumulative weights, exactly at the boundaries', () => {
    const v = [
      { id: 'A', weight: 1 },
      { id: 'B', weight: 3 },
    ];
    assert.equal(pickVariant(0, v).id, 'A');
    assert.equal(pickVariant(2 ** 30 - 1, v).id, 'A');
    assert.equal(pickVariant(2 ** 30, v).id, 'B');
    assert.equal(pickVariant(2 ** 32 - 1, v).id, 'B');
  });

  it('gives the same cookie the same layout every time, and depends on the experiment', () => {
    const cookie = randomUUID();
    const first = assignVariant('exp-1', cookie, ab).id;
    for (let i = 0; i < 50; i++) assert.equal(assignVariant('exp-1', cookie, ab).id, first);
    // Across many cookies, two experiments do not assign in lock-step.
    let same = 0;
    for (let i = 0; i < 2000; i++) {
      const c = randomUUID();
      if (assignVariant('exp-1', c, ab).id === assignVariant('exp-2', c, ab).id) same++;
    }
    assert.ok(same > 850 && same < 1150, `independent experiments agree about half the time (${same}/2000)`);
  });

  it('is balanced over 100k cookie ids (chi-square, 50/50 and 20/30/50)', () => {
    const weights3 = [
      { id: 'A', weight: 2 },
      { id: 'B', weight: 3 },
      { id: 'C', weight: 5 },
    ];
    const counts2 = [0, 0];
    const counts3 = [0, 0, 0];
    for (let i = 0; i < 100_000; i++) {
      const cookie = randomUUID();
      counts2[assignVariant('balance-test', cookie, ab).id === 'A' ? 0 : 1]!++;
      counts3[weights3.findIndex((w) => w.id === assignVariant('balance-3', cookie, weights3).id)]!++;
    }
    const fit2 = chiSquareGoodnessOfFit(counts2, [1, 1]);
    const fit3 = chiSquareGoodnessOfFit(counts3, [2, 3, 5]);
    // A false alarm at this level happens once in 100,000 runs.
    assert.ok(fit2.pValue > 1e-5, `50/50 split ${counts2} (p = ${fit2.pValue})`);
    assert.ok(fit3.pValue > 1e-5, `20/30/50 split ${counts3} (p = ${fit3.pValue})`);
    // And the check has power: a 51/49 split of 100k is flagged.
    assert.ok(chiSquareGoodnessOfFit([51_000, 49_000], [1, 1]).pValue < 1e-5);
  });
});
