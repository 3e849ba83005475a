// Vow killed with SIGKILL in the middle of a burst of orders and consent changes, then restarted:
// every request that got a 2xx is there, whole; nothing is half-written; Vow serves again.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { testDialects } from '../helpers/env.js';
import {
  assertOrdersWhole,
  createVowStore,
  orderBody,
  post,
  startVow,
  type VowStore,
} from './vow-process.js';

const CONSENT_TEXT = 'Yes, text me offers. Reply STOP to cancel.';

for (const dialect of testDialects()) {
  describe(`Vow killed with SIGKILL during a burst of writes [${dialect}]`, () => {
    let store: VowStore;
    after(async () => {
      await store?.drop();
    });

    it('keeps every acknowledged order and consent change whole, and serves again after a restart', async () => {
      store = await createVowStore(dialect);
      const vow = await startVow(store.env);
      const ackedOrders: string[] = [];
      const ackedStops: string[] = [];
      let next = 0;
      let killed = false;
      const worker = async () => {
        while (!killed) {
          const n = next++;
          try {
            if (n % 3 === 2) {
              // A consent change: an SMS sign-up, then STOP from the same phone.
              const phone = `+1608555${String(100 + (n % 100)).padStart(4, '0')}`;
              const signup = await post(`${vow.url}/v1/sms-signups`, store.apiKey, {
                phone,
                consent_text: CONSENT_TEXT,
              });
              if (signup.status !== 201 && signup.status !== 200) continue;
              const stop = await post(`${vow.url}/v1/sms/inbound`, store.apiKey, {
                from: phone,
                body: 'STOP',
              });
              if (stop.status === 200 && stop.body.action === 'stop')
                ackedStops.push(String(signup.body.subjectId));
            } else {
              const r = await post(`${vow.url}/v1/orders`, store.apiKey, orderBody('kill', n));
              if (r.status === 201) ackedOrders.push(`kill-${n}`);
              else assert.fail(`order answered ${r.status} ${JSON.stringify(r.body)}`);
            }
          } catch (err) {
            if (!killed) throw err;
          }
          if (!killed && ackedOrders.length >= 20 && ackedStops.length >= 3) {
            killed = true;
            vow.child.kill('SIGKILL');
          }
        }
      };
      await Promise.all(Array.from({ length: 8 }, worker));
      assert.equal(await vow.exited, 'SIGKILL');

      const db = await store.open();
      try {
        assert.deepEqual(await assertOrdersWhole(db, ackedOrders), []);
        for (const subjectId of ackedStops) {
          const state = await db.db
            .selectFrom('consent_state')
            .select('state')
            .where('subject_ref', '=', subjectId)
            .where('channel', '=', 'sms_marketing')
            .executeTakeFirst();
          assert.equal(state?.state, 'withdrawn', 'an acknowledged STOP is kept');
        }
        // The current-state table is in step with the ledger for everyone (no half-written change).
        const states = await db.db
          .selectFrom('consent_state')
          .select(['subject_ref', 'channel', 'state'])
          .execute();
        for (const s of states) {
          const last = await db.db
            .selectFrom('consent_events')
            .select('event')
            .where('subject_ref', '=', s.subject_ref)
            .where('channel', '=', s.channel)
            .orderBy('seq', 'desc')
            .limit(1)
            .executeTakeFirst();
          assert.ok(last, `a state without its ledger event (${s.channel})`);
        }
      } finally {
        await db.close();
      }

      const again = await startVow(store.env);
      try {
        const replay = await post(
          `${again.url}/v1/orders`,
          store.apiKey,
          orderBody('kill', Number(ackedOrders[0]!.slice(5))),
        );
        assert.equal(replay.status, 200, 'an acknowledged order is known after the restart');
        const fresh = await post(`${again.url}/v1/orders`, store.apiKey, orderBody('after', 1));
        assert.equal(fresh.status, 201);
      } finally {
        await again.stop();
      }
    });
  });
}
