// The limit on mail sent to one address (5 an hour, whatever route asks) counts the mailbox the
// address delivers to (`ann+1@` as `ann@`). It is the mailbox's, not one person's: a person's erasure
// leaves a count still running (the other people writing to the mailbox keep theirs, and an erasure
// gives no one a fresh budget), deletes one whose hour is over, and deletes the person's own limits
// (the codes mailed to them) and any link from their address to the mailbox (written before 0790).
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

    it('outlives a deletion of everything while its hour runs (no fresh budget), and counts the address whatever its case', async () => {
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
      // Still counted: the erasure gives the mailbox no fresh budget.
      assert.deepEqual(await budgets(), spent);
    });

    it('two people on one mailbox (`rae+1@` and `rae@`): erasing either forgets only their own, and the budget is not reset', async () => {
      const e = env();
      captureMail(e);
      const token = (v: string) => e.ctx.vault.blindIndex('token', v);
      const budgetOf = (address: string) => mailBudgetTarget(token, e.ctx.vault.blindIndex('email', address));
      const keys = async () =>
        (await e.store.db.selectFrom('attempt_counters').select('key').execute()).map((r) => r.key);
      const used = async (key: string) =>
        Number(
          (
            await e.store.db
              .selectFrom('attempt_counters')
              .select('failures')
              .where('key', '=', key)
              .executeTakeFirst()
          )?.failures ?? 0,
        );
      for (const [n, categories] of [
        [1, 'all'],
        [2, ['contact.email']],
      ] as const) {
        const mailbox = `rae.mailbox${n}@example.com`;
        const rewritten = `Rae.Mailbox${n}+shop@example.com`;
        const people: string[] = [];
        for (const [i, email] of [rewritten, mailbox].entries()) {
          const body = orderBody(`mailbox-${n}-${i}`);
          const order = await post(e, '/v1/orders', { ...body, buyer: { ...body.buyer, email } });
          assert.equal(order.statusCode, 201, order.body);
          const subjectId = await e.services.subjects.findByEmail(email);
          assert.ok(subjectId);
          people.push(subjectId);
        }
        assert.notEqual(people[0], people[1], 'two people');
        const ask = (email: string, k: number) =>
          e.app.inject({
            method: 'POST',
            url: '/v1/requests',
            remoteAddress: `198.18.${n}.${10 + k}`,
            payload: { type: 'access', jurisdiction: 'eea', email },
          });
        // Three messages to the rewritten address, two to the mailbox: one budget, spent.
        for (const [k, email] of [rewritten, rewritten, rewritten, mailbox, mailbox].entries()) {
          const asked = await ask(email, k);
          assert.ok(asked.statusCode < 300, asked.body);
        }
        const budget = budgetOf(mailbox);
        assert.equal(await used(budget), 5);
        // A link from the address as written, as written before 0790: the erasure deletes it.
        const link = `${budgetOf(rewritten.toLowerCase())}@${budget}`;
        await e.store.db
          .insertInto('attempt_counters')
          .values({
            key: link,
            failures: 0,
            window_started_at: e.clock.now().toISOString(),
            locked_until: null,
            lockouts: 0,
          })
          .onConflict((oc) => oc.column('key').doNothing())
          .execute();

        for (const [i, subjectId] of people.entries()) {
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
          const left = await keys();
          assert.ok(!left.includes(link), `${JSON.stringify(categories)}: the erased person’s link is gone`);
          assert.ok(
            !left.some((k) => k.startsWith(`${budgetOf(rewritten.toLowerCase())}@`)),
            'nothing keyed by the rewritten address is left',
          );
          // Every message still counts: the other person’s, and the erased one’s (no fresh budget).
          assert.equal(await used(budget), 5, `after erasing person ${i + 1}`);
          const again = await ask(i === 0 ? mailbox : `rae.mailbox${n}+other@example.com`, 9);
          assert.equal(again.statusCode, 429, again.body);
          assert.equal(again.json().error.code, 'VOW_RATE_LIMITED');
        }
        e.clock.advance(60 * 60_000);
      }
    });

    it('is deleted with the person once its hour is over (another’s is left to the sweep)', async () => {
      const e = env();
      captureMail(e);
      const spendFor = async (n: string) => {
        const order = await post(e, '/v1/orders', orderBody(n));
        assert.equal(order.statusCode, 201, order.body);
        const email = `ann.buyer${n}@example.com`;
        const asked = await e.app.inject({
          method: 'POST',
          url: '/v1/requests',
          remoteAddress: '198.18.7.3',
          payload: { type: 'access', jurisdiction: 'eea', email },
        });
        assert.ok(asked.statusCode < 300, asked.body);
        const token = (v: string) => e.ctx.vault.blindIndex('token', v);
        return {
          subjectId: (await e.services.subjects.findByEmail(email)) as string,
          budget: mailBudgetTarget(token, e.ctx.vault.blindIndex('email', email)),
        };
      };
      const erased = await spendFor('mail-budget-over');
      const other = await spendFor('mail-budget-swept');
      assert.ok((await budgets()).includes(erased.budget));
      e.clock.advance(60 * 60_000);
      await e.store.db.transaction().execute((trx) =>
        e.services.erasure.erase(trx, {
          subjectId: erased.subjectId,
          mode: 'delete',
          categories: 'all',
          at: e.clock.now().toISOString(),
        }),
      );
      const left = await budgets();
      assert.ok(!left.includes(erased.budget), 'the person’s budget, its hour over, is gone');
      assert.ok(left.includes(other.budget), 'another’s is the sweep’s');
    });

    it('a deletion of the email address alone deletes the limit on its codes and leaves its running mail budget; one of the phone leaves both', async () => {
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
      // The limit on the codes mailed to the address is gone; the mailbox's budget runs its hour.
      assert.deepEqual(
        await mine(),
        before.filter((k) => k.startsWith('mail:')),
      );
    });
  },
  { rateLimits: true },
);
