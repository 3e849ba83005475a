// A store opened without its master key, run as the real command: with no key set (outside
// production), or with another key. One line saying which, and no key file left in the data folder,
// where both said "A value could not be decrypted (wrong key or tampered data)" and the first left
// a newly generated data/master.key behind, which every later start without a key read as the
// store's key.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '../helpers/env.js';
import { assertOneLine, type CommandStore, commandStore, runVow } from '../helpers/vow-command.js';

for (const dialect of testDialects()) {
  describe(`vow on a store without its master key [${dialect}]`, () => {
    let store: CommandStore;
    before(async () => {
      store = await commandStore(dialect);
      const made = await runVow(['staff', 'add', 'ann', '--roles', 'admin'], store.env);
      assert.equal(made.code, 0, made.stderr);
    });
    after(async () => {
      await store.drop();
    });

    it('no key set: VOW_MASTER_KEY_MISSING, and no key generated into the data folder', async () => {
      const { VOW_MASTER_KEY: _key, ...withoutKey } = store.env;
      for (let i = 0; i < 2; i++) {
        const r = await runVow(['staff', 'list'], withoutKey);
        assertOneLine(
          r,
          /^VOW_MASTER_KEY_MISSING: No master key is set \(VOW_MASTER_KEY or VOW_MASTER_KEY_FILE\), and this store was made with one/,
        );
        assert.equal(existsSync(path.join(store.dataDir, 'master.key')), false);
      }
    });

    it('another key: VOW_DECRYPTION_FAILED saying the store was made with another key', async () => {
      const other = Buffer.alloc(32, 8).toString('base64');
      const r = await runVow(['staff', 'add', 'bob', '--roles', 'admin'], {
        ...store.env,
        VOW_MASTER_KEY: other,
      });
      assertOneLine(
        r,
        /^VOW_DECRYPTION_FAILED: The master key does not open this store: it was made with another key/,
      );
    });

    it('another key: a pending migration is not applied (the key is checked first)', async () => {
      // The store's last migration taken back as if a newer Vow brought it: with the wrong key it
      // stays pending (before the check, it ran, or failed against its own tables).
      const [last] = await store.query(
        'SELECT name, timestamp FROM kysely_migration ORDER BY name DESC LIMIT 1',
      );
      const { name, timestamp } = last as { name: string; timestamp: string };
      await store.query(`DELETE FROM kysely_migration WHERE name = '${name}'`);
      try {
        const r = await runVow(['staff', 'list'], {
          ...store.env,
          VOW_MASTER_KEY: Buffer.alloc(32, 9).toString('base64'),
        });
        assertOneLine(r, /^VOW_DECRYPTION_FAILED: The master key does not open this store/);
        assert.deepEqual(await store.query(`SELECT name FROM kysely_migration WHERE name = '${name}'`), []);
      } finally {
        await store.query(
          `INSERT INTO kysely_migration (name, timestamp) VALUES ('${name}', '${timestamp}')`,
        );
      }
    });

    it('the right key still opens it, with nothing added by the failed runs', async () => {
      const r = await runVow(['staff', 'list'], store.env);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.trim(), 'ann\tadmin\tmust-change-password');
    });
  });
}
