// Vault.encrypt with the person's key at hand (cached, or made for a batch by makeKeys) seals in the
// call itself: a collection seals every value of its people this way, and reading the key through
// #dataKey's awaits cost two promises and two turns of the microtask queue a value. Whatever has to
// be read or looked for (a key not cached, a look for keys destroyed elsewhere that is due) still
// goes the long way: test/erasure/destroyed-keys.test.ts has the destroyed keys.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock, seededRandom } from '../../src/platform/clock.js';
import { Vault } from '../../src/platform/crypto/index.js';
import { DESTROYED_KEYS_CHECK_MS } from '../../src/platform/crypto/vault.js';
import type { Store } from '../../src/platform/store/open-store.js';
import { createTestStore, testDialects } from '../helpers/env.js';

const MASTER = Buffer.alloc(32, 5);

/** Whether `p` has settled after one turn of the microtask queue. */
async function settledInOneTurn(p: Promise<unknown>): Promise<boolean> {
  let settled = false;
  p.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  await Promise.resolve();
  return settled;
}

for (const dialect of testDialects()) {
  describe(`Vault.encrypt with the key at hand [${dialect}]`, () => {
    let store: Store;
    let drop: () => Promise<void>;
    before(async () => {
      ({ store, drop } = await createTestStore(dialect, { migrated: true }));
    });
    after(() => drop());

    it("seals a cached person's value and a batch's new person's value in the call itself", async () => {
      const clock = new ManualClock();
      const vault = new Vault(store, MASTER, seededRandom(7), clock);
      await vault.init();
      // A key made for a batch, not yet stored.
      vault.makeKeys(['new-person']);
      const fresh = vault.encrypt('new-person', 'ann@example.com');
      assert.equal(await settledInOneTurn(fresh), true, "a batch's key seals at once");
      assert.equal(await vault.decrypt('new-person', await fresh), 'ann@example.com');
      vault.settleKeys(['new-person'], false);

      // A key read once (created and stored by the long way), then cached.
      const first = await vault.encrypt('known-person', 'bo@example.com');
      const again = vault.encrypt('known-person', 'bo.new@example.com');
      assert.equal(await settledInOneTurn(again), true, 'a cached key seals at once');
      assert.equal(await vault.decrypt('known-person', first), 'bo@example.com');
      assert.equal(await vault.decrypt('known-person', await again), 'bo.new@example.com');
      assert.notEqual(await again, first);
    });

    it('looks for keys destroyed elsewhere first once a look is due, even with the key cached', async () => {
      const clocks = [new ManualClock(), new ManualClock()] as const;
      const [one, two] = [
        new Vault(store, MASTER, seededRandom(11), clocks[0]),
        new Vault(store, MASTER, seededRandom(12), clocks[1]),
      ];
      await one.init();
      await two.init();
      const sealed = await one.encrypt('person-x', 'x@example.com');
      assert.equal(await two.decrypt('person-x', sealed), 'x@example.com');
      // Cached in the second process: within the interval it seals at once, as before the erasure.
      assert.equal(await settledInOneTurn(two.encrypt('person-x', 'still')), true);
      await one.destroyKey('person-x');
      clocks[1].advance(DESTROYED_KEYS_CHECK_MS);
      await assert.rejects(two.encrypt('person-x', 'after'), { code: 'VOW_SUBJECT_SHREDDED' });
    });
  });
}
