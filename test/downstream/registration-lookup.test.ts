// Registering a webhook resolves its host with the resolver the services were given (the same one
// deliveries use), never the system's behind the test's back; a name that does not resolve, a
// lookup that fails outright and one that gives no answer in time are refused with
// VOW_WEBHOOK_URL_INVALID: no hang, no 500.
import assert from 'node:assert/strict';
import type { LookupAddress } from 'node:dns';
import { it } from 'node:test';
import type { Lookup } from '../../src/modules/downstream/index.js';
import { describeEachDialect } from '../helpers/env.js';
import { call, scripted } from './receivers.js';

const script = scripted({ 'hooks.shop.test': [['93.184.216.34']], 'loop.shop.test': [['127.0.0.1']] });
const waits: number[] = [];
/** The test's resolver: scripted names, one that never answers, one whose lookup throws. */
const lookup: Lookup = (hostname, options, callback) => {
  if (hostname === 'silent.shop.test') return;
  if (hostname === 'broken.shop.test') throw new TypeError('resolver exploded');
  script.lookup(
    hostname,
    options,
    callback as (err: NodeJS.ErrnoException | null, a: LookupAddress[]) => void,
  );
};

describeEachDialect(
  'webhook registration resolves with the injected resolver',
  (env) => {
    const add = (url: string) => call(env(), 'POST', '/v1/webhooks', { url, events: ['deletion.completed'] });

    it('registers a name the injected resolver answers with a public address, refuses one it answers loopback', async () => {
      const from = script.calls.length;
      const ok = await add('https://hooks.shop.test/hooks');
      assert.equal(ok.status, 201, JSON.stringify(ok.body));
      const loop = await add('https://loop.shop.test/hooks');
      assert.equal(loop.status, 400);
      assert.equal(loop.body.error.code, 'VOW_WEBHOOK_ADDRESS_REFUSED');
      assert.deepEqual(script.calls.slice(from), ['hooks.shop.test', 'loop.shop.test']);
    });

    it('refuses a name that does not resolve, or whose lookup fails, with VOW_WEBHOOK_URL_INVALID', async () => {
      const unknown = await add('https://nowhere.shop.test/hooks');
      assert.equal(unknown.status, 400);
      assert.equal(unknown.body.error.code, 'VOW_WEBHOOK_URL_INVALID');
      assert.equal(
        unknown.body.error.message,
        "The webhook URL's host nowhere.shop.test could not be resolved (ENOTFOUND)",
      );
      const broken = await add('https://broken.shop.test/hooks');
      assert.equal(broken.status, 400, JSON.stringify(broken.body));
      assert.equal(broken.body.error.code, 'VOW_WEBHOOK_URL_INVALID');
    });

    it('refuses a name whose lookup gives no answer in 5 s, once the wait is over (no hang)', async () => {
      const r = await add('https://silent.shop.test/hooks');
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.equal(r.body.error.code, 'VOW_WEBHOOK_URL_INVALID');
      assert.equal(r.body.error.message, "The webhook URL's host silent.shop.test gave no answer within 5 s");
      assert.deepEqual(r.body.error.details, { host: 'silent.shop.test', lookup: 'timeout' });
      assert.ok(waits.includes(5000));
      const listed = await call(env(), 'GET', '/v1/webhooks');
      assert.deepEqual(
        (listed.body as unknown as { url: string }[]).map((w) => w.url),
        ['https://hooks.shop.test/hooks'],
      );
    });
  },
  {
    services: {
      webhookResolver: {
        lookup,
        // The wait is over at once: only a lookup that never answers loses to it.
        wait: async (ms) => {
          waits.push(ms);
          await new Promise<void>((resolve) => setImmediate(resolve));
        },
      },
    },
  },
);
