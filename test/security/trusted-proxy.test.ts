// Behind a reverse proxy (VOW_TRUST_PROXY): a real HTTP proxy on loopback forwards to a listening
// Vow and appends the peer's address to X-Forwarded-For, as nginx's $proxy_add_x_forwarded_for
// does. Clients reach it from their own loopback addresses (127.0.0.0/8 is all loopback on Linux),
// so Vow, told to trust 127.0.0.1 only, sees each client apart; a client that talks to Vow
// directly and forges the header is still known by its own address.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, it } from 'node:test';
import { loadConfig } from '../../src/platform/config.js';
import { describeEachDialect, testConfig } from '../helpers/env.js';

/** A minimal reverse proxy: forwards every request from 127.0.0.1, appending the peer's address. */
async function startProxy(target: URL): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const forwarded = req.headers['x-forwarded-for'];
    const peer = req.socket.remoteAddress ?? '';
    const upstream = http.request(
      {
        host: target.hostname,
        port: target.port,
        localAddress: '127.0.0.1',
        method: req.method,
        path: req.url,
        headers: { ...req.headers, 'x-forwarded-for': forwarded ? `${forwarded}, ${peer}` : peer },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A JSON POST from a given loopback address (the client's own address, as the proxy sees it). */
function post(
  base: string,
  path: string,
  from: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<number> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        localAddress: from,
        agent: false,
        headers: { 'content-type': 'application/json', ...headers },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

it('reads VOW_TRUST_PROXY as off, a hop count, or addresses and CIDRs, and refuses anything else', () => {
  const base = { VOW_DATA_DIR: '.tmp/test-data' };
  assert.equal(loadConfig(base).trustProxy, false);
  assert.equal(loadConfig({ ...base, VOW_TRUST_PROXY: '2' }).trustProxy, 2);
  assert.deepEqual(
    loadConfig({ ...base, VOW_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1, ::1, loopback' }).trustProxy,
    ['10.0.0.0/8', '127.0.0.1', '::1', 'loopback'],
  );
  for (const bad of ['true', '0', '11', '10.0.0.0/33', 'proxy.example', '10.0.0.1/8/2', '*'])
    assert.throws(
      () => loadConfig({ ...base, VOW_TRUST_PROXY: bad }),
      (e: Error & { code?: string }) => e.code === 'VOW_CONFIG_INVALID',
      bad,
    );
});

describeEachDialect(
  'behind a trusted reverse proxy',
  (env) => {
    let vow: URL;
    let proxy: Awaited<ReturnType<typeof startProxy>>;
    before(async () => {
      vow = new URL(await env().app.listen({ port: 0, host: '127.0.0.1' }));
      proxy = await startProxy(vow);
    });
    after(async () => {
      await proxy.close();
    });

    let attempts = 0;
    // A new made-up username each time: the per-account lock-outs stay out of the picture.
    const login = (base: string, from: string, headers: Record<string, string> = {}) =>
      post(
        base,
        '/v1/staff/tokens',
        from,
        { username: `nobody${attempts++}`, password: 'guess guess guess' },
        headers,
      );

    it('limits two clients behind one proxy apart: one locked out of log-ins, the other not', async () => {
      for (let i = 0; i < 10; i++) assert.equal(await login(proxy.url, '127.0.0.2'), 401);
      assert.equal(await login(proxy.url, '127.0.0.2'), 429, 'the 11th log-in of one client is refused');
      assert.equal(await login(proxy.url, '127.0.0.3'), 401, 'the other client still gets its try');
      // A forged X-Forwarded-For sent through the proxy does not buy a new budget: the proxy's own
      // entry (the last one) names the client, and that is the only one Vow reads.
      assert.equal(await login(proxy.url, '127.0.0.2', { 'x-forwarded-for': '198.51.100.1' }), 429);
    });

    it('ignores X-Forwarded-For from a peer it does not trust', async () => {
      // A client talking to Vow directly, inventing a new "client" on each try.
      for (let i = 0; i < 10; i++)
        assert.equal(await login(vow.href, '127.0.0.4', { 'x-forwarded-for': `203.0.113.${i}` }), 401);
      assert.equal(await login(vow.href, '127.0.0.4', { 'x-forwarded-for': '203.0.113.99' }), 429);
    });

    it('stores 100 clients x 30 measurements a minute through the proxy, and refuses one flooding client', async () => {
      const { services, ctx } = env();
      const visitors: string[] = [];
      for (let i = 0; i < 100; i++) {
        const choice = await services.cookieConsent.recordChoice({
          categories: { analytics: true },
          gpc: false,
          source: 'choose',
          consentVersion: ctx.policy.consentVersion,
        });
        visitors.push(choice.visitor);
      }
      const before = (await services.siteAnalytics.events.counters())['events.stored'] ?? 0;
      const statuses: number[] = [];
      // 30 rounds: every client sends one measurement per round, 100 at a time.
      for (let round = 0; round < 30; round++)
        statuses.push(
          ...(await Promise.all(
            visitors.map((visitor, i) =>
              post(proxy.url, '/v1/collect', `127.0.1.${i + 1}`, {
                visitor,
                type: 'page_view',
                path: `/rings/${round}`,
              }),
            ),
          )),
        );
      assert.deepEqual(new Set(statuses), new Set([204]));
      assert.equal((await services.siteAnalytics.events.counters())['events.stored'], before + 3000);

      // One client flooding with a visitor id that already sent 30: past 60 in the minute, refused.
      const flood: number[] = [];
      for (let i = 0; i < 70; i++)
        flood.push(
          await post(proxy.url, '/v1/collect', '127.0.2.1', {
            visitor: visitors[0],
            type: 'page_view',
            path: '/',
          }),
        );
      assert.equal(flood.filter((s) => s === 204).length, 30);
      assert.equal(flood.filter((s) => s === 429).length, 40);
    });
  },
  { auth: 'enforced', rateLimits: true, config: testConfig({ VOW_TRUST_PROXY: '127.0.0.1' }) },
);

describeEachDialect(
  'behind a proxy Vow is not told to trust',
  (env) => {
    it('limits anonymous site traffic per visitor, so one shared address does not throttle the shop', async () => {
      const { services, ctx, app } = env();
      const visitors: string[] = [];
      for (let i = 0; i < 100; i++)
        visitors.push(
          (
            await services.cookieConsent.recordChoice({
              categories: { analytics: true },
              gpc: false,
              source: 'choose',
              consentVersion: ctx.policy.consentVersion,
            })
          ).visitor,
        );
      const send = (visitor: string, n: number, remoteAddress = '192.0.2.10') =>
        app.inject({
          method: 'POST',
          url: '/v1/collect',
          remoteAddress,
          headers: { 'x-forwarded-for': `198.51.100.${n % 250}` },
          payload: { visitor, type: 'page_view', path: '/' },
        });
      const statuses: number[] = [];
      for (let round = 0; round < 30; round++)
        statuses.push(...(await Promise.all(visitors.map((v) => send(v, round)))).map((r) => r.statusCode));
      assert.deepEqual(
        new Set(statuses),
        new Set([204]),
        '3,000 measurements of 100 visitors from one address',
      );
      // One visitor past its 60 a minute is refused, the others are not.
      const one: number[] = [];
      for (let i = 0; i < 31; i++) one.push((await send(visitors[0]!, i)).statusCode);
      assert.equal(one.at(-1), 429);
      assert.equal((await send(visitors[1]!, 0)).statusCode, 204);
    });

    it('refuses an address past its ceiling, whatever visitor ids it makes up', async () => {
      const { app } = env();
      const { COLLECTION_ADDRESS_CEILING } = await import('../../src/http/rate-limits.js');
      let refused = 0;
      let n = 0;
      // Made-up visitor ids: each has its own per-visitor budget, so only the ceiling stops them.
      for (let batch = 0; batch * 100 < COLLECTION_ADDRESS_CEILING.max + 100; batch++) {
        const answers = await Promise.all(
          Array.from({ length: 100 }, () =>
            app.inject({
              method: 'POST',
              url: '/v1/collect',
              remoteAddress: '192.0.2.66',
              payload: { visitor: `flood${String(n++).padStart(17, '0')}`, type: 'page_view', path: '/' },
            }),
          ),
        );
        refused += answers.filter((a) => a.statusCode === 429).length;
      }
      assert.equal(refused, 100);
      const elsewhere = await app.inject({
        method: 'POST',
        url: '/v1/collect',
        remoteAddress: '192.0.2.67',
        payload: { visitor: `other${'0'.repeat(17)}`, type: 'page_view', path: '/' },
      });
      assert.equal(elsewhere.statusCode, 204, 'another address is not affected');
    });
  },
  { auth: 'enforced', rateLimits: true },
);
