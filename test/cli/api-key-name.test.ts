// `vow staff api-key create NAME` with a name that says nothing, run as the real command: refused
// with VOW_VALIDATION and no key made, where a key named "" (or "   ") was created and listed with
// an empty name, so no one could tell which key to revoke.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '../helpers/env.js';
import { type CommandStore, commandStore, runVow, STACK_FRAME } from '../helpers/vow-command.js';

for (const dialect of testDialects()) {
  describe(`vow staff api-key create with a blank name [${dialect}]`, () => {
    let store: CommandStore;
    before(async () => {
      store = await commandStore(dialect);
    });
    after(async () => {
      await store.drop();
    });

    it('is refused with VOW_VALIDATION, and no key is made', async () => {
      for (const name of ['', '   ', 'two\nlines', 'x'.repeat(101)]) {
        const r = await runVow(['staff', 'api-key', 'create', name], store.env);
        assert.equal(r.code, 1, r.stderr);
        assert.doesNotMatch(r.stderr, STACK_FRAME);
        assert.match(r.stderr.trim(), /^VOW_VALIDATION: An API key needs a name of 1 to 100 characters/);
        assert.equal(r.stdout, '');
      }
      const list = await runVow(['staff', 'api-key', 'list'], store.env);
      assert.equal(list.code, 0, list.stderr);
      assert.equal(list.stdout, '', 'no key was created');
    });
  });
}
