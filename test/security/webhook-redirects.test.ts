// A webhook endpoint must be https (plain http only on loopback) so that events, some carrying a
// person's email or phone, never cross the network in clear. The delivery followed redirects: an
// endpoint answering `307 Location: http://other-host/…` had the signed body re-posted there, in
// clear, to any host (a metadata service, an internal address), and the delivery list then showed
// that host's answer. A redirect is now a failed attempt, and nothing is sent anywhere else; an
// address on the link-local range (where cloud metadata services answer) is refused outright.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, it } from 'node:test';
import { call, Receiver } from '../downstream/receivers.js';
import { describeEachDialect, testConfig } from '../helpers/env.js';

describeEachDialect(
  'webhook deliveries go to the registered address only',
  (env) => {
    let elsewhere: Receiver;
    let redirector: Server;
    let redirectorUrl = '';
    before(async () => {
      elsewhere = new Receiver(() => env().clock.now().getTime());
      await elsewhere.start();
      // Stands in for an https endpoint that answers with a redirect to another address.
      redirector = createServer((req, res) => {
        req.resume();
        req.on('end', () =>
          res.writeHead(307, { location: `http://127.0.0.1:${elsewhere.port}/stolen` }).end(),
        );
      });
      await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
      redirectorUrl = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}/hooks`;
    });
    after(async () => {
      await elsewhere.kill();
      await new Promise<void>((resolve) => redirector.close(() => resolve()));
      redirector.closeAllConnections();
    });

    it('does not follow a redirect: the body goes nowhere else and the attempt fails', async () => {
      const e = env();
      const created = await call(e, 'POST', '/v1/webhooks', {
        url: redirectorUrl,
        events: ['deletion.completed'],
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      await e.services.downstream.webhooks.publishNow({
        type: 'deletion.completed',
        data: { requestId: 'r-1' },
      });
      await e.services.jobs.drain();
      assert.equal(elsewhere.got.length, 0, 'the signed body was re-posted to the redirect target');
      const deliveries = (await call(e, 'GET', '/v1/webhooks/deliveries')).body as unknown as {
        endpointId: string;
        lastError: string | null;
        status: string;
      }[];
      const mine = deliveries.filter((d) => d.endpointId === created.body.id);
      assert.equal(mine.length, 1);
      assert.equal(mine[0]!.lastError, 'HTTP 307');
      assert.notEqual(mine[0]!.status, 'delivered');
    });

    it('refuses an endpoint on the link-local range or a cloud platform’s own address (metadata, Azure’s WireServer)', async () => {
      const e = env();
      for (const url of [
        'https://169.254.169.254/latest/meta-data/',
        'https://169.254.170.2/v2/credentials',
        'https://[fe80::1]/hooks',
        'https://[::ffff:169.254.169.254]/hooks',
        'https://0.0.0.0/hooks',
        'https://100.100.100.200/latest/meta-data/',
        'https://168.63.129.16/machine?comp=goalstate',
        'https://[::ffff:168.63.129.16]/hooks',
      ]) {
        const r = await call(e, 'POST', '/v1/webhooks', { url, events: ['deletion.completed'] });
        assert.equal(r.status, 400, url);
        assert.equal(r.body.error?.code, 'VOW_WEBHOOK_URL_INVALID', url);
      }
      // An ordinary https address is still accepted.
      const ok = await call(e, 'POST', '/v1/webhooks', {
        url: 'https://hooks.shop.example/vow',
        events: ['deletion.completed'],
      });
      assert.equal(ok.status, 201, JSON.stringify(ok.body));
    });
  },
  // The receivers listen on 127.0.0.1: deliveries reach the loopback interface only when it is listed.
  { config: testConfig({ VOW_WEBHOOK_PRIVATE_NETWORKS: 'loopback' }) },
);
