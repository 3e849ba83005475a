// Vow's own tables as a dataset: the walker opens values sealed with each person's key, gives a
// person only what is theirs (not the gift recipient's sealed address in their order), corrects
// sealed values and their blind indexes, and deletes everything not exempt, on both dialects.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import {
  DatasetService,
  loadAnnotationFile,
  type PersonIdentity,
  VOW_ANNOTATION_PATH,
  verifyAgainstDatabase,
} from '../../src/modules/datasets/index.js';
import { seededRandom } from '../../src/platform/clock.js';
import { Vault } from '../../src/platform/crypto/vault.js';
import { describeEachDialect } from '../helpers/env.js';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const C = '00000000-0000-4000-8000-00000000000c';
const annA: PersonIdentity = { subjectIds: [A] };

describeEachDialect('the walker over Vow’s own tables', (env) => {
  before(async () => {
    const { ctx } = env();
    const db = ctx.store.db;
    const v = ctx.vault;
    const at = '2026-01-10T10:00:00.000Z';
    const meta = { policy_version: 'test', collected_at: at };
    await db
      .insertInto('subjects')
      .values([A, B, C].map((id) => ({ id, created_at: at, updated_at: at, under13: 0 })))
      .execute();
    const ident = async (id: string, subject: string, kind: string, value: string) => ({
      id,
      subject_id: subject,
      kind,
      blind_index: v.blindIndex(kind as 'email', value),
      sealed_value: await v.encrypt(subject, value),
      field: 'buyer.email',
      subject_kind: 'customer',
      collection_point: 'order',
      record_type: 'order',
      record_id: 'o1',
      ...meta,
    });
    await db
      .insertInto('subject_identifiers')
      .values([
        await ident('i1', A, 'email', 'ann@example.com'),
        await ident('i2', A, 'phone', '+14155550111'),
        await ident('i3', B, 'address', '2 Gift Road'),
        await ident('i4', C, 'email', 'cy@example.com'),
      ])
      .execute();
    await db
      .insertInto('orders')
      .values({
        id: 'o1',
        shop_order_id: 'S-1',
        request_hash: 'h',
        buyer_subject_id: A,
        buyer_sealed: await v.encrypt(
          A,
          JSON.stringify({
            name: 'Ann Buyer',
            billing_address: '1 Ann Street',
            shipping_address: '1 Ann Street',
          }),
        ),
        gift_subject_id: B,
        gift_sealed: await v.encrypt(
          B,
          JSON.stringify({ name: 'Ben Gift', shipping_address: '2 Gift Road' }),
        ),
        items: JSON.stringify([{ sku: 'R1', quantity: 1, unit_price_cents: 5000 }]),
        total_cents: 5000,
        currency: 'USD',
        placed_at: at,
        ...meta,
      })
      .execute();
    await db
      .insertInto('catalog_requests')
      .values({
        id: 'c1',
        subject_id: C,
        sealed: await v.encrypt(
          C,
          JSON.stringify({ first_name: 'Cy', last_name: 'Other', postal_address: '3 C Lane' }),
        ),
        relationship_status: 'single',
        jewelry_types: '["rings"]',
        budget: 'under_500',
        age_range: '25-34',
        residence_type: 'urban',
        gender: null,
        ...meta,
      })
      .execute();
    await db
      .insertInto('consent_events')
      .values({
        id: 'e1',
        subject_ref: A,
        channel: 'email_marketing',
        event: 'enrolled',
        cause_type: 'collection_point',
        cause_ref: 'order',
        staff_id: null,
        at,
        policy_version: 'test',
      })
      .execute();
    await db
      .insertInto('shopper_accounts')
      .values({
        id: 'acc1',
        email_index: v.blindIndex('email', 'ann@example.com'),
        email_sealed: await v.encrypt('account:acc1', 'ann@example.com'),
        password_hash: '$argon2id$fake',
        subject_id: A,
        email_verified_at: at,
        created_at: at,
        updated_at: at,
        deleted_at: null,
      })
      .execute();
  });

  it('datasets/vow.yaml matches Vow’s migrated schema: every table and column exists', async () => {
    const { ctx } = env();
    const annotation = loadAnnotationFile(VOW_ANNOTATION_PATH, ctx.policy);
    assert.deepEqual(await verifyAgainstDatabase(ctx.store.db, annotation), []);
  });

  it('exports the person’s sealed values opened with their key, and only theirs', async () => {
    const e = await env().services.datasets.export(annA);
    const get = (table: string, column: string) =>
      e.values
        .filter((x) => x.dataset === 'vow' && x.table === table && x.column === column)
        .map((x) => x.value);
    assert.deepEqual(get('orders', 'buyer_sealed.name'), ['Ann Buyer']);
    assert.deepEqual(get('orders', 'buyer_sealed.billing_address'), ['1 Ann Street']);
    assert.equal(get('orders', 'total_cents').length, 1);
    assert.deepEqual(get('subject_identifiers', 'sealed_value').sort(), ['+14155550111', 'ann@example.com']);
    assert.deepEqual(
      e.values
        .filter((x) => x.table === 'subject_identifiers')
        .map((x) => x.category)
        .sort(),
      ['contact.email', 'contact.phone'],
    );
    assert.deepEqual(get('shopper_accounts', 'email_sealed'), ['ann@example.com']);
    assert.deepEqual(get('consent_events', 'event'), ['enrolled']);
    const text = JSON.stringify(e);
    for (const other of ['Ben Gift', '2 Gift Road', 'Cy', '3 C Lane', 'cy@example.com'])
      assert.ok(!text.includes(other), `Ann's export must not hold "${other}"`);
  });

  it('gives the gift recipient their own address in the order, not the buyer’s order', async () => {
    const e = await env().services.datasets.export({ subjectIds: [B] });
    const orders = e.values.filter((x) => x.table === 'orders');
    assert.deepEqual(orders.map((x) => `${x.column}=${String(x.value)}`).sort(), [
      'gift_sealed.name=Ben Gift',
      'gift_sealed.shipping_address=2 Gift Road',
    ]);
  });

  it('finds a shopper account by email through its blind index', async () => {
    const e = await env().services.datasets.export({ emails: ['ANN@example.com'] });
    assert.deepEqual(
      e.values
        .filter((x) => x.table === 'shopper_accounts' && x.column === 'email_sealed')
        .map((x) => x.value),
      ['ann@example.com'],
    );
  });

  it('corrects a sealed field and a sealed email with its blind index', async () => {
    const { services } = env();
    const name = await services.datasets.correct(annA, {
      category: 'identity.name',
      column: 'buyer_sealed.name',
      value: 'Ann Byer',
    });
    assert.equal(name.changes, 1);
    const email = await services.datasets.correct(annA, {
      category: 'contact.email',
      value: 'ann@new.example',
    });
    assert.equal(email.changes, 2, 'the identifier and the shopper account');
    const byNew = await services.datasets.export({ emails: ['ann@new.example'] });
    assert.deepEqual(
      byNew.values.filter((x) => x.column === 'email_sealed').map((x) => x.value),
      ['ann@new.example'],
    );
    const e = await services.datasets.export(annA);
    assert.deepEqual(
      e.values.filter((x) => x.column === 'buyer_sealed.name').map((x) => x.value),
      ['Ann Byer'],
    );
    assert.ok(e.values.some((x) => x.table === 'subject_identifiers' && x.value === 'ann@new.example'));
    // The identifier's blind index follows its sealed value; the phone identifier is untouched.
    const rows = await env()
      .ctx.store.db.selectFrom('subject_identifiers')
      .select(['id', 'blind_index'])
      .where('subject_id', '=', A)
      .orderBy('id')
      .execute();
    assert.deepEqual(rows, [
      { id: 'i1', blind_index: env().ctx.vault.blindIndex('email', 'ann@new.example') },
      { id: 'i2', blind_index: env().ctx.vault.blindIndex('phone', '+14155550111') },
    ]);
  });

  it('deletes what is not exempt, keeps order history and consent records, audits counts only', async () => {
    const { services, ctx } = env();
    const report = await services.datasets.delete(annA, {}, { type: 'staff', id: 'staff-1' });
    assert.ok(report.changes > 0);
    const e = await services.datasets.export(annA);
    const cols = [...new Set(e.values.map((x) => `${x.table}.${x.column}`))].sort();
    assert.deepEqual(cols, [
      'consent_events.at',
      'consent_events.cause_type',
      'consent_events.channel',
      'consent_events.event',
      'orders.currency',
      'orders.items',
      'orders.placed_at',
      'orders.shop_order_id',
      'orders.total_cents',
      'shopper_accounts.created_at',
      'shopper_accounts.email_index',
      'shopper_accounts.email_sealed',
      'shopper_accounts.password_hash',
    ]);
    assert.equal(e.values.find((x) => x.column === 'email_sealed')?.value, '[deleted]');
    // Masks of sealed columns are sealed too, so the collection module can still open the order.
    const order = await ctx.store.db
      .selectFrom('orders')
      .select('buyer_sealed')
      .where('id', '=', 'o1')
      .executeTakeFirstOrThrow();
    assert.equal(await ctx.vault.decrypt(A, order.buyer_sealed), '{}');
    assert.deepEqual(
      await services.collection.recordValues(A, 'order', 'o1').then((v) => v['buyer.name'] ?? null),
      null,
    );
    assert.deepEqual([...new Set(report.retained.map((r) => `${r.table}:${r.exemption}`))].sort(), [
      'consent_events:suppression',
      'orders:service_customers',
      'shopper_accounts:service_customers',
    ]);
    // The gift recipient's values in the same order, and the other person, are untouched.
    const b = await services.datasets.export({ subjectIds: [B] });
    assert.ok(b.values.some((x) => x.value === 'Ben Gift'));
    const c = await services.datasets.export({ subjectIds: [C] });
    assert.ok(c.values.some((x) => x.value === '3 C Lane'));
    const audit = (await ctx.audit.list({ targetType: 'subject', targetId: A })).filter(
      (x) => x.action === 'datasets.deleted',
    );
    assert.equal(audit.at(-1)?.action, 'datasets.deleted');
    assert.equal(audit.at(-1)?.actor_id, 'staff-1');
    assert.ok(!audit.at(-1)?.details.includes('Ann'));
    assert.equal((await services.datasets.delete(annA)).changes, 0, 'a second run changes nothing');
  });

  it('works inside its own transaction on a cold vault, even once the person’s key is destroyed', async () => {
    // A fresh vault has no key in memory: every key must be read through the walker's own
    // transaction (on SQLite a second connection would wait for ever).
    const { ctx } = env();
    const cold = new Vault(ctx.store, Buffer.alloc(32, 7), seededRandom(7), ctx.clock);
    await cold.init();
    const service = new DatasetService({ policy: () => ctx.policy, clock: ctx.clock, vault: cold }, [
      { name: 'vow', annotation: loadAnnotationFile(VOW_ANNOTATION_PATH, ctx.policy), db: ctx.store.db },
    ]);
    const fixed = await service.correct(annA, { category: 'contact.email', value: 'ann@third.example' });
    assert.equal(fixed.changes, 1, 'the shopper account’s sealed email, under its own key');
    await cold.destroyKey(A);
    const cold2 = new Vault(ctx.store, Buffer.alloc(32, 7), seededRandom(8), ctx.clock);
    await cold2.init();
    const again = new DatasetService({ policy: () => ctx.policy, clock: ctx.clock, vault: cold2 }, [
      { name: 'vow', annotation: loadAnnotationFile(VOW_ANNOTATION_PATH, ctx.policy), db: ctx.store.db },
    ]);
    const report = await again.delete(annA);
    assert.deepEqual(
      report.tables.flatMap((t) =>
        t.columns.filter((c) => c.action !== 'retained').map((c) => `${t.table}.${c.column}:${c.action}`),
      ),
      ['shopper_accounts.email_sealed:masked', 'shopper_accounts.email_index:masked'],
      'only the corrected account email (under the account key) and its index were left to mask',
    );
    assert.equal((await again.delete(annA)).changes, 0);
    const e = await again.export({ subjectIds: [B] });
    assert.ok(
      e.values.some((x) => x.value === 'Ben Gift'),
      'other people’s sealed values still open',
    );
  });
});
