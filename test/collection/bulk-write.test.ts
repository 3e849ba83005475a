// The bulk write path (write-batch.ts, subjects' linkMany, consent's recordCollections, the audit's
// recordMany) against batches of one: a batch of mixed collections leaves the same people, records,
// consent histories and audit entries as the same submissions sent one request at a time, on both
// dialects. It also covers what the bulk path hands to the one-by-one rules: people found again
// within the batch, a gift recipient who is the buyer, and a person whose address is suppressed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  catalogRequestSchema,
  orderSchema,
  registrationSchema,
  type Submission,
} from '../../src/modules/collection/index.js';
import type { VowContext } from '../../src/modules/policy/index.js';
import { createTestEnv, type TestEnv, testDialects } from '../helpers/env.js';
import { address, catalogBody, countAllRows, giftRecipient, orderBody } from './fixtures.js';

type Env = TestEnv & { close: () => Promise<void> };

/** The submissions: new people, people found again by email and phone, a buyer who gifts to herself. */
function submissions(ctx: VowContext): Submission[] {
  const reg = registrationSchema(ctx.policy);
  const out: Submission[] = [];
  for (let n = 0; n < 12; n++) {
    const order = orderSchema.parse(
      orderBody(`bulk-${n}`, {
        ...(n % 3 === 0 ? { gift_recipient: giftRecipient(`bulk-${n}`) } : {}),
        ...(n % 3 === 1
          ? { gift_recipient: giftRecipient(`bulk-${n}`, { email: `ann.buyerbulk-${n}@example.com` }) }
          : {}),
      }),
    );
    out.push({ type: 'order', body: order });
    out.push({
      type: 'registration',
      body: reg.parse({
        account_id: `acct-bulk-${n}`,
        email: n % 2 === 0 ? order.buyer.email.toUpperCase() : `reg-bulk-${n}@example.com`,
        name: `Reg ${n}`,
        catalog_opt_in: n % 4 !== 3,
        ...(n % 2 === 0 ? { postal_address: address(`${n} Account Road`) } : {}),
      }),
    });
    // Twice: the second entry finds the person enrolled by the first, in the same batch (no event).
    if (n % 2 === 1)
      for (const _ of [1, 2])
        out.push({ type: 'contest_entry', body: { email: `reg-bulk-${n}@example.com` } });
    if (n % 3 === 2)
      out.push({
        type: 'sms_signup',
        body: { phone: order.buyer.phone!, consent_text: 'Yes, text me offers.' },
      });
    if (n % 4 === 0)
      out.push({
        type: 'catalog_request',
        body: catalogRequestSchema(ctx.policy).parse(catalogBody(`bulk-${n}`)),
      });
  }
  // The suppressed person: an order (its enrolment blocked by the list), then a contest entry (P11's
  // act, which lifts it) and a registration, by the same address.
  const supp = orderBody('bulk-supp');
  out.push({
    type: 'order',
    body: orderSchema.parse({ ...supp, buyer: { ...supp.buyer, email: 'suppressed.bulk@example.com' } }),
  });
  out.push({ type: 'contest_entry', body: { email: 'suppressed.bulk@example.com' } });
  out.push({
    type: 'registration',
    body: reg.parse({
      account_id: 'acct-supp',
      email: 'suppressed.bulk@example.com',
      name: 'S',
      catalog_opt_in: true,
    }),
  });
  return out;
}

/** What both stores must agree on, with subject ids replaced by the order they were first seen in. */
async function view(env: Env, subjectIds: readonly (readonly string[])[]) {
  const names = new Map<string, string>();
  const name = (id: string) => {
    if (!names.has(id)) names.set(id, `p${names.size}`);
    return names.get(id)!;
  };
  const people = subjectIds.map((ids) => ids.map(name).join('+'));
  const histories: Record<string, string[]> = {};
  for (const [id, n] of names)
    histories[n] = (await env.services.consent.history(id)).map((e) => {
      const details = JSON.parse(e.details) as Record<string, unknown>;
      return `${e.channel}:${e.event}:${e.cause_type}:${e.cause_ref ?? ''}:${String(details.rule ?? details.blockedBy ?? '')}`;
    });
  const audit = await env.store.db.selectFrom('audit_log').select(['action', 'target_id']).execute();
  const actions = audit
    .filter((a) => a.action.startsWith('consent.'))
    .map((a) => `${a.action}@${a.target_id ? (names.get(a.target_id) ?? 'other') : ''}`)
    .sort();
  const counts = await countAllRows(env);
  return { people, histories, actions, counts };
}

async function suppress(env: Env): Promise<void> {
  const index = env.ctx.vault.blindIndex('email', 'suppressed.bulk@example.com');
  await env.services.consent.suppressIdentifier(undefined, {
    indexKind: 'email',
    blindIndex: index,
    reason: 'test: an earlier deletion',
  });
}

for (const dialect of testDialects())
  describe(`the bulk write path [${dialect}]`, () => {
    let batch: Env;
    let single: Env;
    before(async () => {
      batch = await createTestEnv(dialect);
      single = await createTestEnv(dialect);
    });
    after(async () => {
      await batch.close();
      await single.close();
    });

    it('leaves what the same submissions one at a time leave: people, rows, ledger and audit', async () => {
      await suppress(batch);
      await suppress(single);
      const list = submissions(batch.ctx);
      const together = await batch.services.collection.collectBatch(list);
      const oneByOne: string[][] = [];
      for (const s of list) {
        const { results } = await single.services.collection.collectBatch([s]);
        const r = results[0]!.body;
        oneByOne.push([r.subjectId, ...(r.giftRecipientSubjectId ? [r.giftRecipientSubjectId] : [])]);
      }
      const ids = together.results.map((r) => [
        r.body.subjectId,
        ...(r.body.giftRecipientSubjectId ? [r.body.giftRecipientSubjectId] : []),
      ]);
      const a = await view(batch, ids);
      const b = await view(single, oneByOne);
      assert.deepEqual(a.people, b.people, 'the same people, found again at the same places');
      assert.deepEqual(a.histories, b.histories, 'the same consent history for everyone');
      assert.deepEqual(a.actions, b.actions, 'an audit entry per consent event');
      assert.deepEqual(a.counts, b.counts, 'the same number of rows in every table');
      // The suppressed address: its contest entry lifted email marketing (P11), as one by one.
      const supp = a.histories[a.people.at(-1)!]!;
      assert.ok(
        supp.includes('email_marketing:withdrawn:request:suppression_list:enrolled_by'),
        'the order did not enrol the suppressed address',
      );
      assert.ok(supp.includes('email_marketing:re_enrolled:collection_point:contest_entry:re_enrolled_by'));
    });

    it('keeps the audit chain whole after a batch', async () => {
      assert.equal((await batch.ctx.audit.verify()).ok, true);
    });

    it("stores new people's data keys in the batch's transaction: none when it fails, all when it commits", async () => {
      const keys = async () =>
        Number(
          (
            await single.store.db
              .selectFrom('data_keys')
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const order = orderSchema.parse(
        orderBody('keys-rollback', { gift_recipient: giftRecipient('keys-rollback') }),
      );
      const before = await keys();
      await assert.rejects(
        single.services.collection.collectBatch([{ type: 'order', body: order }], async () => {
          throw new Error('the batch fails after its rows are written');
        }),
        /fails after its rows/,
      );
      assert.equal(await keys(), before, 'no data key is left by a batch that did not commit');
      const { results } = await single.services.collection.collectBatch([{ type: 'order', body: order }]);
      assert.equal(await keys(), before + 2, 'the buyer and the gift recipient, each with a key');
      const buyer = results[0]!.body.subjectId;
      assert.equal(await single.services.subjects.findByEmail(order.buyer.email), buyer);
      const copy = JSON.stringify(await single.services.datasets.export({ subjectIds: [buyer] }));
      assert.ok(
        copy.includes(order.buyer.email),
        'the values sealed before the commit open with the stored key',
      );
    });
  });
