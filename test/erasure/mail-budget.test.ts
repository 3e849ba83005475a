// The limit on mail sent to one address (5 an hour, whatever route asks) is keyed by the address's
// blind index, so a deletion of everything reaches it: it was a keyed hash of the plaintext address,
// which no eraser can rebuild, and stayed until swept.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { orderBody, post } from '../collection/fixtures.js';
import { describeEachDialect } from '../helpers/env.js';
import { captureMail } from '../helpers/mail.js';

describeEachDialect(
  'the mail budget of an address, at its owner’s erasure',
  (env) => {
    const budgets = async () =>
      (await env().store.db.selectFrom('attempt_counters').select('key').execute())
        .map((r) => r.key)
        .filter((k) => k.startsWith('mail:'));

    it('is deleted with a deletion of everything, and still counts the address whatever its case', async () => {
      const e = env();
      captureMail(e);
      const order = await post(e, '/v1/orders', orderBody('mail-budget'));
      assert.equal(order.statusCode, 201, order.body);
      const email = 'ann.buyermail-budget@example.com';
      const subjectId = await e.services.subjects.findByEmail(email);
      assert.ok(subjectId);
      // Two requests mail the address, typed two ways: one budget.
      for (const typed of [email, 'ANN.BuyerMail-Budget@Example.com']) {
        const asked = await e.app.inject({
          method: 'POST',
          url: '/v1/requests',
          remoteAddress: '198.18.7.1',
          payload: { type: 'access', jurisdiction: 'eea', email: typed },
        });
        assert.ok(asked.statusCode < 300, asked.body);
      }
      const spent = await budgets();
      assert.equal(spent.length, 1, spent.join(', '));
      const row = await e.store.db
        .selectFrom('attempt_counters')
        .select('failures')
        .where('key', '=', spent[0]!)
        .executeTakeFirstOrThrow();
      assert.equal(Number(row.failures), 2);

      await e.store.db.transaction().execute((trx) =>
        e.services.erasure.erase(trx, {
          subjectId,
          mode: 'delete',
          categories: 'all',
          at: e.clock.now().toISOString(),
        }),
      );
      assert.deepEqual(await budgets(), []);
    });
  },
  { rateLimits: true },
);
