import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RecentValues } from '../../src/platform/recent-values.js';

describe('RecentValues, the bounded memo of the keys stored last', () => {
  it('holds at most its limit and forgets the oldest stored first', () => {
    const recent = new RecentValues<number>(3);
    for (const [k, v] of [
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ] as const)
      recent.set(k, v);
    assert.equal(recent.get('a'), 1, 'reading does not renew a key');
    recent.set('d', 4);
    assert.equal(recent.size, 3);
    assert.equal(recent.get('a'), undefined);
    assert.deepEqual(
      ['b', 'c', 'd'].map((k) => recent.get(k)),
      [2, 3, 4],
    );
    recent.set('e', 5);
    assert.equal(recent.get('b'), undefined);
  });

  it('a key stored again takes the new value and keeps its place in the order', () => {
    const recent = new RecentValues<string>(2);
    recent.set('a', 'x');
    recent.set('b', 'y');
    recent.set('a', 'z');
    assert.equal(recent.size, 2);
    assert.equal(recent.get('a'), 'z');
    recent.set('c', 'w');
    assert.equal(recent.get('a'), undefined, 'a was still the oldest');
    assert.equal(recent.get('b'), 'y');
  });

  it('agrees with a plain first-in-first-out model over a long run, and clears', () => {
    const recent = new RecentValues<number>(7);
    const model: [string, number][] = [];
    let seed = 11;
    for (let step = 0; step < 4000; step++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const key = `k${seed % 20}`;
      const at = model.findIndex(([k]) => k === key);
      if (at >= 0) model[at]![1] = step;
      else {
        if (model.length === 7) model.shift();
        model.push([key, step]);
      }
      recent.set(key, step);
      assert.equal(recent.size, model.length);
      for (let k = 0; k < 20; k++)
        assert.equal(recent.get(`k${k}`), model.find(([m]) => m === `k${k}`)?.[1], `step ${step}, k${k}`);
    }
    recent.clear();
    assert.equal(recent.size, 0);
    for (let i = 0; i < 7; i++) recent.set(`n${i}`, i);
    assert.equal(recent.size, 7, 'every place is free again after clear()');
  });

  it('refuses a limit below one', () => {
    assert.throws(() => new RecentValues(0));
    assert.throws(() => new RecentValues(1.5));
  });
});
