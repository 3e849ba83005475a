// `vow staff api-key create NAME --scope …`, run as the real command: a key gets the scopes given
// (repeated or comma-separated), none is a VOW_VALIDATION refusal naming the scopes to choose from,
// `list` shows them, and the printed key does what its scopes allow over HTTP, no more.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createContext } from '../../src/app/context.js';
import { createServices } from '../../src/app/services.js';
import { buildApp } from '../../src/http/app.js';
import { loadConfig } from '../../src/platform/config.js';
import { testDialects } from '../helpers/env.js';
import { type CommandStore, commandStore, runVow, STACK_FRAME } from '../helpers/vow-command.js';

for (const dialect of testDialects()) {
  describe(`vow staff api-key create --scope [${dialect}]`, () => {
    let store: CommandStore;
    before(async () => {
      store = await commandStore(dialect);
    });
    after(async () => {
      await store.drop();
    });

    it('refuses a key without a scope, or with one Vow does not know, and makes none', async () => {
      for (const args of [[], ['--scope', 'admin'], ['--scope', 'collect,everything']]) {
        const r = await runVow(['staff', 'api-key', 'create', 'storefront', ...args], store.env);
        assert.equal(r.code, 1, r.stderr);
        assert.doesNotMatch(r.stderr, STACK_FRAME);
        assert.match(
          r.stderr.trim(),
          /^VOW_VALIDATION: .*decide, collect, disclose, marketing, feedback, metrics, all/,
        );
        assert.equal(r.stdout, '');
      }
      assert.equal((await runVow(['staff', 'api-key', 'list'], store.env)).stdout, '');
    });

    it('makes a key with the scopes given, lists them, and the key works for those only', async () => {
      const made = await runVow(
        ['staff', 'api-key', 'create', 'warehouse', '--scope', 'disclose', '--scope', 'metrics,decide'],
        store.env,
      );
      assert.equal(made.code, 0, made.stderr);
      const m = /API key (\S+) \(shown once\): (vow_sk_\S+)\nScopes: decide disclose metrics\n$/.exec(
        made.stdout,
      );
      assert.ok(m, made.stdout);
      const list = await runVow(['staff', 'api-key', 'list'], store.env);
      assert.match(list.stdout, new RegExp(`^${m[1]}\\twarehouse\\tdecide,disclose,metrics\\t\\d{4}-`, 'm'));

      const ctx = await createContext(loadConfig({ ...store.env, VOW_LOG_LEVEL: 'silent' }));
      const services = createServices(ctx);
      const app = await buildApp(ctx, { rateLimits: false }, services);
      try {
        const headers = { authorization: `Bearer ${m[2]}` };
        const metrics = await app.inject({ method: 'GET', url: '/metrics', headers });
        assert.equal(metrics.statusCode, 200, metrics.body);
        const collect = await app.inject({ method: 'POST', url: '/v1/registrations', headers, payload: {} });
        assert.equal(collect.statusCode, 403);
        assert.deepEqual(collect.json().error.details, {
          scope: 'collect',
          keyScopes: ['decide', 'disclose', 'metrics'],
        });
      } finally {
        await app.close();
        await ctx.store.close();
      }
    });
  });
}
