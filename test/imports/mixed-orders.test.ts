// An import of Shopify orders shares the collection module's write path (prepare, writePrepared,
// commitBatch): a batch holding an order imported before (answered as its replay, nothing
// written), the same order id with another body (refused at its line, VOW_ORDER_CONFLICT), a
// buyer marked as under 13 (refused at its line, VOW_UNDER_13), a buyer whose email is on the
// suppression list (imported, not enrolled: P11) and a new buyer (imported, enrolled).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { describeEachDialect } from '../helpers/env.js';

const HEADER =
  'Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem compare at price,Lineitem sku,Lineitem requires shipping,Lineitem taxable,Lineitem fulfillment status,Billing Name,Billing Street,Billing Address1,Billing Address2,Billing Company,Billing City,Billing Zip,Billing Province,Billing Country,Billing Phone,Shipping Name,Shipping Street,Shipping Address1,Shipping Address2,Shipping Company,Shipping City,Shipping Zip,Shipping Province,Shipping Country,Shipping Phone,Notes,Id,Phone';
const row = (name: string, email: string, total = '80.00') =>
  `#${name},${email},paid,2025-03-04 11:00:00 +0000,fulfilled,,yes,USD,${total},0.00,0.00,${total},,0.00,Standard,2025-03-04 11:00:00 +0000,1,Earrings,${total},,EAR-1,true,true,fulfilled,Pete Purchase,9 Elm St,9 Elm St,,,Franklin,53132,WI,US,,Pete Purchase,9 Elm St,9 Elm St,,,Franklin,53132,WI,US,,,${name},`;

let dir: string;
before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'vow-import-mixed-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describeEachDialect(
  'an import of orders mixing replays, conflicts, a child and a suppressed buyer',
  (env) => {
    const file = (name: string, rows: readonly string[]) => {
      const at = path.join(dir, `${name}-${env().dialect}.csv`);
      writeFileSync(at, `${[HEADER, ...rows].join('\n')}\n`);
      return at;
    };
    const emailEvents = async (email: string) => {
      const id = await env().services.subjects.findByEmail(email);
      assert.ok(id, `${email} is known`);
      return (
        await env()
          .store.db.selectFrom('consent_events')
          .select(['event', 'details'])
          .where('subject_ref', '=', id)
          .where('channel', '=', 'email_marketing')
          .orderBy('seq')
          .execute()
      ).map((e) => [e.event, (JSON.parse(e.details) as { blockedBy?: string }).blockedBy ?? null]);
    };

    it('answers each row as alone: replay unchanged, conflict and child refused at their lines, P11 kept', async () => {
      const { services, ctx, store } = env();
      const first = await services.imports.run({
        file: file('first', [row('4001', 'mix.one@example.com'), row('4002', 'mix.two@example.com')]),
        format: 'shopify-orders',
      });
      assert.deepEqual(first.counts.collected, { order: 2 });
      await services.collection.collectBatch([
        { type: 'contest_entry', body: { email: 'mix.kid@example.com' } },
      ]);
      const kid = await services.subjects.findByEmail('mix.kid@example.com');
      assert.ok(kid);
      await services.subjects.markUnder13(kid, { type: 'staff', id: 'test' });
      await services.consent.suppressIdentifier(undefined, {
        indexKind: 'email',
        blindIndex: ctx.vault.blindIndex('email', 'mix.suppressed@example.com'),
        reason: 'test',
      });
      const orders = async () =>
        Number(
          (
            await store.db
              .selectFrom('orders')
              .select((eb) => eb.fn.countAll<string>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const before = await orders();
      const report = await services.imports.run({
        file: file('second', [
          row('4001', 'mix.one@example.com'),
          row('4002', 'mix.two@example.com', '81.00'),
          row('4003', 'mix.new@example.com'),
          row('4004', 'mix.suppressed@example.com'),
          row('4005', 'mix.kid@example.com'),
        ]),
        format: 'shopify-orders',
      });
      assert.deepEqual(
        report.refusals.map((r) => [r.line, r.code]),
        [
          [3, 'VOW_ORDER_CONFLICT'],
          [6, 'VOW_UNDER_13'],
        ],
      );
      assert.equal(report.counts.unchanged, 1, 'the order imported before, answered as its replay');
      assert.deepEqual(report.counts.collected, { order: 2 });
      assert.equal(await orders(), before + 2);
      assert.equal(await services.subjects.findByEmail('mix.kid@example.com'), undefined);
      assert.deepEqual(await emailEvents('mix.new@example.com'), [['enrolled', null]]);
      assert.deepEqual(await emailEvents('mix.suppressed@example.com'), [['withdrawn', 'suppression_list']]);
      const verified = await ctx.audit.verify();
      assert.ok(verified.ok, JSON.stringify(verified));
    });
  },
);
