// A webhook's host was checked as written in its URL: a name resolving to 127.0.0.1, to a metadata
// address or to a private one reached it, and so did a name answering a public address to a check
// and a forbidden one to the connection (DNS rebinding). The address is now checked where the
// connection resolves it, on every address of the answer, and the connection is given exactly the
// answer that was checked. Names here resolve through the test's own lookup (never the network);
// the receivers are real servers on 127.0.0.1.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { Webhooks } from '../../src/modules/downstream/index.js';
import { JobRunner } from '../../src/platform/jobs/index.js';
import { call, Receiver, scripted, verified } from '../downstream/receivers.js';
import { describeEachDialect, type TestEnv, testConfig } from '../helpers/env.js';

/** Webhooks of the test's environment, resolving names with `lookup`, and the runner of their jobs. */
function webhooksWith(e: TestEnv, lookup: ReturnType<typeof scripted>['lookup']) {
  const jobs = new JobRunner(e.ctx);
  return { webhooks: new Webhooks(e.ctx, jobs, undefined, lookup), jobs };
}

/** Registers `url`, sends it one event, runs the attempt; answers the delivery as the API lists it. */
async function deliverOnce(e: TestEnv, lookup: ReturnType<typeof scripted>['lookup'], url: string) {
  const { webhooks, jobs } = webhooksWith(e, lookup);
  const { id, secret } = await webhooks.create({ url, events: ['deletion.completed'] }, null);
  await webhooks.publishNow({ type: 'deletion.completed', data: { requestId: 'r-1' }, endpointIds: [id] });
  await jobs.drain(10, ['downstream.deliver']);
  const listed = (await call(e, 'GET', '/v1/webhooks/deliveries')).body as unknown as {
    endpointId: string;
    status: string;
    attempts: number;
    lastError: string | null;
  }[];
  const mine = listed.filter((d) => d.endpointId === id);
  assert.equal(mine.length, 1);
  return { delivery: mine[0]!, secret };
}

const PUBLIC = '93.184.216.34';

describeEachDialect('webhook deliveries connect only to allowed addresses (default: public ones)', (env) => {
  let receiver: Receiver;
  before(async () => {
    receiver = new Receiver(() => env().clock.now().getTime());
    await receiver.start();
  });
  after(async () => {
    await receiver.kill();
  });

  it('refuses at registration a URL whose host is or resolves to loopback', async () => {
    const e = env();
    for (const url of [`http://127.0.0.1:${receiver.port}/hooks`, 'https://localhost/hooks']) {
      const r = await call(e, 'POST', '/v1/webhooks', { url, events: ['deletion.completed'] });
      assert.equal(r.status, 400, url);
      assert.equal(r.body.error?.code, 'VOW_WEBHOOK_ADDRESS_REFUSED', url);
      assert.match(r.body.error?.message, /loopback address.*VOW_WEBHOOK_PRIVATE_NETWORKS=loopback/, url);
    }
  });

  it('refuses at connection a name that now resolves to 127.0.0.1: nothing reaches the receiver', async () => {
    const e = env();
    // Public when registered, then 127.0.0.1: the connection decides.
    const { lookup } = scripted({ 'hooks.shop.test': [[PUBLIC], ['127.0.0.1']] });
    const { delivery } = await deliverOnce(e, lookup, `https://hooks.shop.test:${receiver.port}/hooks`);
    assert.equal(receiver.got.length, 0);
    assert.equal(delivery.status, 'pending');
    assert.equal(delivery.attempts, 1);
    assert.equal(
      delivery.lastError,
      'VOW_WEBHOOK_ADDRESS_REFUSED: hooks.shop.test resolves to a loopback address, where webhooks are not delivered (VOW_WEBHOOK_PRIVATE_NETWORKS=loopback allows it)',
    );
  });

  it('refuses at connection a name resolving to the metadata address, alone or next to an allowed one', async () => {
    const e = env();
    const { lookup } = scripted({
      'meta.shop.test': [[PUBLIC], ['169.254.169.254']],
      'both.shop.test': [[PUBLIC], [PUBLIC, '169.254.169.254']],
    });
    for (const host of ['meta.shop.test', 'both.shop.test']) {
      const { delivery } = await deliverOnce(e, lookup, `https://${host}:${receiver.port}/hooks`);
      assert.equal(
        delivery.lastError,
        `VOW_WEBHOOK_ADDRESS_REFUSED: ${host} resolves to a link-local address, where webhooks are not delivered`,
        host,
      );
    }
    assert.equal(receiver.got.length, 0);
  });

  it('a rebinding name (public to the registration check, 127.0.0.1 next) is refused at connection', async () => {
    const e = env();
    const { lookup, calls } = scripted({ 'rebind.shop.test': [[PUBLIC], ['127.0.0.1']] });
    const { delivery } = await deliverOnce(e, lookup, `https://rebind.shop.test:${receiver.port}/hooks`);
    assert.equal(receiver.got.length, 0, 'the body reached the rebound address');
    assert.match(
      delivery.lastError ?? '',
      /^VOW_WEBHOOK_ADDRESS_REFUSED: rebind\.shop\.test resolves to a loopback/,
    );
    // Resolved once to register and once to connect: no separate check whose answer the connection
    // would not use.
    assert.deepEqual(calls, ['rebind.shop.test', 'rebind.shop.test']);
  });
});

describeEachDialect(
  'webhook deliveries with VOW_WEBHOOK_PRIVATE_NETWORKS=loopback',
  (env) => {
    let receiver: Receiver;
    before(async () => {
      receiver = new Receiver(() => env().clock.now().getTime());
      await receiver.start();
    });
    after(async () => {
      await receiver.kill();
    });

    it('delivers to a name resolving to the listed loopback network, through the checked answer', async () => {
      const e = env();
      const { lookup, calls } = scripted({ localhost: [['127.0.0.1']] });
      const { delivery, secret } = await deliverOnce(e, lookup, `http://localhost:${receiver.port}/hooks`);
      assert.equal(delivery.status, 'delivered', delivery.lastError ?? '');
      assert.equal(receiver.got.length, 1);
      assert.equal(verified(secret, receiver.got[0]!).type, 'deletion.completed');
      assert.deepEqual(calls, ['localhost', 'localhost']);
    });

    it('still refuses an answer holding a metadata address next to the loopback one', async () => {
      const e = env();
      const before = receiver.got.length;
      const { lookup } = scripted({ localhost: [['127.0.0.1'], ['127.0.0.1', '169.254.169.254']] });
      const { delivery } = await deliverOnce(e, lookup, `http://localhost:${receiver.port}/hooks`);
      assert.equal(receiver.got.length, before, 'the body went to the first address of a refused answer');
      assert.match(
        delivery.lastError ?? '',
        /^VOW_WEBHOOK_ADDRESS_REFUSED: localhost resolves to a link-local/,
      );
    });

    it('refuses a private address that is not listed, at registration', async () => {
      const e = env();
      const { webhooks } = webhooksWith(e, scripted({ 'crm.shop.test': [['10.1.2.3']] }).lookup);
      await assert.rejects(
        webhooks.create({ url: 'https://crm.shop.test/hooks', events: ['deletion.completed'] }, null),
        { code: 'VOW_WEBHOOK_ADDRESS_REFUSED' },
      );
    });
  },
  { config: testConfig({ VOW_WEBHOOK_PRIVATE_NETWORKS: 'loopback' }) },
);
