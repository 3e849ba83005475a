import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DataKeyCache } from '../../src/platform/crypto/key-cache.js';

describe('the cache of unwrapped data keys', () => {
  it('keeps at most its limit, dropping the least recently used first', () => {
    const cache = new DataKeyCache(3);
    const [a, b, c, d] = [randomBytes(32), randomBytes(32), randomBytes(32), randomBytes(32)];
    cache.set('a', a);
    cache.set('b', b);
    cache.set('c', c);
    assert.deepEqual(cache.get('a'), a); // a is now the most recent; b the least
    cache.set('d', d);
    assert.equal(cache.size, 3);
    assert.equal(cache.get('b'), undefined);
    assert.deepEqual(cache.get('a'), a);
    assert.deepEqual(cache.get('c'), c);
    assert.deepEqual(cache.get('d'), d);
  });

  it('hands out copies, so a key held across an await survives its slot being reused', () => {
    const cache = new DataKeyCache(1);
    const first = randomBytes(32);
    cache.set('a', first);
    const held = cache.get('a')!;
    cache.set('b', randomBytes(32));
    assert.deepEqual(held, first);
    assert.equal(cache.get('a'), undefined);
  });

  it('replaces a key in place and forgets deleted and cleared keys', () => {
    const cache = new DataKeyCache(2);
    cache.set('a', randomBytes(32));
    const next = randomBytes(32);
    cache.set('a', next);
    assert.equal(cache.size, 1);
    assert.deepEqual(cache.get('a'), next);
    cache.delete('a');
    assert.equal(cache.get('a'), undefined);
    cache.set('b', randomBytes(32));
    cache.set('c', randomBytes(32));
    assert.equal(cache.size, 2);
    cache.clear();
    assert.equal(cache.size, 0);
    assert.equal(cache.get('b'), undefined);
    cache.set('d', randomBytes(32));
    cache.set('e', randomBytes(32));
    assert.equal(cache.size, 2, 'every slot is free again after clear()');
  });

  it('holds no memory of its own per key beyond its buffer, whatever else allocates small buffers', () => {
    // 32-byte Buffers cut from Node's shared pool would keep an 8 KB slab alive each when other small
    // buffers are allocated between two keys; the cache copies keys into its own buffer instead.
    v8.setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const cache = new DataKeyCache(2000);
    gc();
    const before = process.memoryUsage().arrayBuffers;
    for (let i = 0; i < 2000; i++) {
      cache.set(`s${i}`, Buffer.from(randomBytes(32)));
      for (let j = 0; j < 20; j++) Buffer.from('x'.repeat(200));
    }
    gc();
    assert.ok(process.memoryUsage().arrayBuffers - before < 2 ** 20, 'under 1 MB held');
    assert.equal(cache.size, 2000);
  });

  it('agrees with a plain model of least-recently-used over a long mix of gets, sets and deletes', () => {
    // The order of use is a linked list through the slots; a model kept as an array of ids (most
    // recent last) says what the cache must hold after every step.
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const cache = new DataKeyCache(5);
    const model: string[] = [];
    const keys = new Map<string, Buffer>();
    for (let step = 0; step < 5000; step++) {
      const id = `s${next(12)}`;
      const op = next(10);
      if (op < 4) {
        const key = Buffer.alloc(32, next(256));
        cache.set(id, key);
        keys.set(id, key);
        const at = model.indexOf(id);
        if (at >= 0) model.splice(at, 1);
        else if (model.length === 5) keys.delete(model.shift()!);
        model.push(id);
      } else if (op < 9) {
        const got = cache.get(id);
        const at = model.indexOf(id);
        if (at < 0) assert.equal(got, undefined, `step ${step}`);
        else {
          assert.deepEqual(got, keys.get(id), `step ${step}`);
          model.splice(at, 1);
          model.push(id);
        }
      } else {
        cache.delete(id);
        const at = model.indexOf(id);
        if (at >= 0) model.splice(at, 1);
        keys.delete(id);
      }
      assert.equal(cache.size, model.length, `step ${step}`);
    }
  });

  it('refuses what is not a data key', () => {
    assert.throws(() => new DataKeyCache(0));
    assert.throws(() => new DataKeyCache(1).set('a', Buffer.alloc(16)));
  });
});
