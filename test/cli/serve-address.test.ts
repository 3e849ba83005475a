// `vow serve` (and `vow demo`) on an address it cannot listen on, run as the real command: a port
// another process holds, a host that is not this machine's. One line with VOW_CONFIG_INVALID saying
// what to change, exit 1 at once, and the store untouched, where it migrated the store, created the
// first admin and started the jobs, then failed with a stack trace (and lingered while they ran).
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '../helpers/env.js';
import { assertOneLine, type CommandStore, commandStore, runVow } from '../helpers/vow-command.js';

for (const dialect of testDialects()) {
  describe(`vow serve on an address it cannot listen on [${dialect}]`, () => {
    let store: CommandStore;
    let held: Server;
    let port = 0;
    before(async () => {
      store = await commandStore(dialect);
      held = createServer();
      await new Promise<void>((resolve) => held.listen(0, '127.0.0.1', resolve));
      port = (held.address() as { port: number }).port;
    });
    after(async () => {
      await new Promise((resolve) => held.close(resolve));
      await store.drop();
    });

    it('a port in use: VOW_CONFIG_INVALID, nothing written', async () => {
      const r = await runVow(
        ['serve'],
        { ...store.env, VOW_HOST: '127.0.0.1', VOW_PORT: String(port) },
        { timeoutMs: 20_000 },
      );
      assertOneLine(
        r,
        new RegExp(
          `^VOW_CONFIG_INVALID: Cannot listen on 127\\.0\\.0\\.1:${port}: another process listens there`,
        ),
      );
      assert.doesNotMatch(r.stdout, /one-time password/, 'no admin was created');
      assert.deepEqual(await store.tables(), []);
    });

    it('a host that is not this machine: VOW_CONFIG_INVALID naming VOW_HOST, nothing written', async () => {
      const r = await runVow(
        ['serve'],
        {
          ...store.env,
          VOW_HOST: 'vow-no-such-host.invalid',
          VOW_PORT: '0',
        },
        { timeoutMs: 20_000 },
      );
      assertOneLine(
        r,
        /^VOW_CONFIG_INVALID: Cannot listen on vow-no-such-host\.invalid:0: VOW_HOST is not an address of this machine/,
      );
      assert.deepEqual(await store.tables(), []);
    });
  });
}

describe('vow demo on a port in use', () => {
  let held: Server;
  before(async () => {
    held = createServer();
    await new Promise<void>((resolve) => held.listen(0, '127.0.0.1', resolve));
  });
  after(async () => {
    await new Promise((resolve) => held.close(resolve));
  });

  it('refuses before generating the shop', async () => {
    const port = (held.address() as { port: number }).port;
    const r = await runVow(
      ['demo'],
      { VOW_HOST: '127.0.0.1', VOW_PORT: String(port) },
      { timeoutMs: 20_000 },
    );
    assertOneLine(r, /^VOW_CONFIG_INVALID: Cannot listen on .*another process listens there/);
    assert.doesNotMatch(r.stdout, /Generating/);
  });
});
