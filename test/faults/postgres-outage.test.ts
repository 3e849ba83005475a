// PostgreSQL out of reach under load (simulated by a loopback proxy between Vow and the real
// server, which keeps running for everyone else): Vow answers 503 VOW_DATABASE_UNAVAILABLE with
// Retry-After while it is down, reconnects by itself, and loses nothing it acknowledged.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { PG_URL, testDialects } from '../helpers/env.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';
import {
  assertOrdersWhole,
  createVowStore,
  orderBody,
  post,
  startVow,
  type VowProcess,
  type VowStore,
} from './vow-process.js';

if (testDialects().includes('postgres')) {
  describe('PostgreSQL unavailable under load [postgres]', () => {
    let store: VowStore | undefined;
    let proxy: TcpProxy | undefined;
    let vow: VowProcess | undefined;
    after(async () => {
      await vow?.stop();
      await proxy?.close();
      await store?.drop();
    });

    it('answers 503 with Retry-After while it is down, recovers by itself and keeps every acknowledged order', async () => {
      const real = new URL(PG_URL);
      proxy = await startTcpProxy({ host: real.hostname, port: Number(real.port || 5432) });
      store = await createVowStore('postgres');
      const viaProxy = new URL(store.env.VOW_DATABASE_URL!);
      viaProxy.hostname = '127.0.0.1';
      viaProxy.port = String(proxy.port);
      vow = await startVow({ ...store.env, VOW_DATABASE_URL: viaProxy.toString() });
      const url = vow.url;
      void vow.exited.then((how) => {
        if (how !== '0' && how !== 'SIGTERM') console.error(`vow exited (${how}):\n${vow?.output()}`);
      });
      const acked: string[] = [];
      let n = 0;
      const send = async () => {
        const i = n++;
        const r = await post(`${url}/v1/orders`, store!.apiKey, orderBody('outage', i));
        if (r.status === 201) acked.push(`outage-${i}`);
        return r;
      };

      // Load before the outage.
      for (let round = 0; round < 5; round++) await Promise.all(Array.from({ length: 6 }, send));
      assert.equal(acked.length, 30);

      // Down: a burst in flight while every connection is cut, then more while it stays down.
      const inFlight = Promise.all(Array.from({ length: 6 }, send));
      await proxy.down();
      const during = [...(await inFlight), ...(await Promise.all(Array.from({ length: 6 }, send)))];
      const failed = during.filter((r) => r.status !== 201);
      assert.ok(failed.length >= 6, 'requests made while the database is down fail');
      for (const r of failed) {
        assert.equal(r.status, 503, JSON.stringify(r.body));
        assert.equal((r.body.error as { code: string }).code, 'VOW_DATABASE_UNAVAILABLE');
        assert.equal(r.retryAfter, '5');
      }
      const health = await fetch(`${url}/healthz`);
      assert.ok(health.status < 500 || health.status === 503, 'the process is alive and answering');
      assert.equal(vow.child.exitCode, null, 'no crash');

      // Up again: Vow reconnects by itself (the pool makes new connections on the next request).
      await proxy.up();
      let recovered = false;
      for (let attempt = 0; attempt < 50 && !recovered; attempt++) recovered = (await send()).status === 201;
      assert.ok(recovered, 'writes succeed again without a restart');
      for (let round = 0; round < 3; round++) await Promise.all(Array.from({ length: 6 }, send));

      const db = await store.open();
      try {
        assert.deepEqual(await assertOrdersWhole(db, acked), []);
      } finally {
        await db.close();
      }
    });
  });
}
