// The limit on mail sent to one address (5 an hour, whatever route asks) is keyed by the address's
// blind index, so a deletion of everything reaches it: it was a keyed hash of the plaintext address,
// which no eraser can rebuild, and stayed until swept. So does a deletion of the address alone
// (contact.email), with the limit on the codes mailed to it.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { codeTarget, mailBudgetTarget } from '../../src/modules/identity/index.js';
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

    it('a rewritten address’s mailbox budget (`ann+1@` counted as `ann@`) goes with the person, with everything or the address alone', async () => {
      const e = env();
      captureMail(e);
      const token = (v: string) => e.ctx.vault.blindIndex('token', v);
      const mailboxBudget = (mailbox: string) =>
        mailBudgetTarget(token, e.ctx.vault.blindIndex('email', mailbox));
      const keys = async () =>
        (await e.store.db.selectFrom('attempt_counters').select('key').execute()).map((r) => r.key);
      for (const [n, categories] of [
        [1, 'all'],
        [2, ['contact.email']],
      ] as const) {
        const mailbox = `rae.mailbox${n}@example.com`;
        const email = `Rae.Mailbox${n}+shop@example.com`;
        const body = orderBody(`mailbox-${n}`);
        const order = await post(e, '/v1/orders', { ...body, buyer: { ...body.buyer, email } });
        assert.equal(order.statusCode, 201, order.body);
        const subjectId = await e.services.subjects.findByEmail(email);
        assert.ok(subjectId);
        // A request mails the address: the budget spent is its mailbox's.
        const asked = await e.app.inject({
          method: 'POST',
          url: '/v1/requests',
          remoteAddress: `198.18.7.${10 + n}`,
          payload: { type: 'access', jurisdiction: 'eea', email },
        });
        assert.ok(asked.statusCode < 300, asked.body);
        const budget = mailboxBudget(mailbox);
        assert.ok((await keys()).includes(budget), 'the mailbox’s budget is spent');
        if (categories !== 'all')
          await e.services.datasets.delete({ subjectIds: [subjectId] }, { categories }, { type: 'system' });
        await e.store.db.transaction().execute((trx) =>
          e.services.erasure.erase(trx, {
            subjectId,
            mode: 'delete',
            categories: categories === 'all' ? 'all' : [...categories],
            at: e.clock.now().toISOString(),
          }),
        );
        const left = (await keys()).filter((k) => k.startsWith('mail:'));
        assert.deepEqual(left, [], `${JSON.stringify(categories)}: nothing of the mailbox’s budget is left`);
      }
    });

    it('a deletion of the email address alone deletes its mail budget and the limit on its codes; one of the phone does not', async () => {
      const e = env();
      captureMail(e);
      const order = await post(e, '/v1/orders', orderBody('mail-budget-partial'));
      assert.equal(order.statusCode, 201, order.body);
      const email = 'ann.buyermail-budget-partial@example.com';
      const subjectId = await e.services.subjects.findByEmail(email);
      assert.ok(subjectId);
      const asked = await e.app.inject({
        method: 'POST',
        url: '/v1/requests',
        remoteAddress: '198.18.7.2',
        payload: { type: 'access', jurisdiction: 'eea', email },
      });
      assert.ok(asked.statusCode < 300, asked.body);
      const mine = async () => {
        const index = e.ctx.vault.blindIndex('email', email);
        const token = (v: string) => e.ctx.vault.blindIndex('token', v);
        const keys = [mailBudgetTarget(token, index), codeTarget(token, index)];
        await e.services.jobs.drain();
        return (await e.store.db.selectFrom('attempt_counters').select('key').execute())
          .map((r) => r.key)
          .filter((k) => keys.some((t) => k === t || k.startsWith(`${t}@`)));
      };
      // A wrong code typed: the codes' limit counts it.
      const token = asked.json().statusToken as string;
      const wrong = await post(e, '/v1/requests/verify', { statusToken: token, code: '000000' });
      assert.ok(wrong.statusCode >= 400, wrong.body);
      const before = await mine();
      assert.ok(
        before.some((k) => k.startsWith('mail:')),
        `the budget is spent: ${before.join(', ')}`,
      );
      assert.ok(
        before.some((k) => k.startsWith('code:')),
        `the codes' limit counts: ${before.join(', ')}`,
      );

      const erase = async (categories: string[]) => {
        await e.services.datasets.delete({ subjectIds: [subjectId] }, { categories }, { type: 'system' });
        await e.store.db.transaction().execute((trx) =>
          e.services.erasure.erase(trx, {
            subjectId,
            mode: 'delete',
            categories,
            at: e.clock.now().toISOString(),
          }),
        );
      };
      await erase(['contact.phone']);
      assert.deepEqual(await mine(), before, 'a deletion of the phone leaves the address’s limits');
      await erase(['contact.email']);
      assert.deepEqual(await mine(), []);
    });
  },
  { rateLimits: true },
);
