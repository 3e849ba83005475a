// One erasure path (P14, P22): every table of Vow's store is declared with the fate of a person's rows
// there (erased, kept on a stated basis, or impersonal), by the part that owns it; and what the
// declarations say is what a purge and a deletion do.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql } from 'kysely';
import type { PersonLink } from '../../src/platform/erasure/index.js';
import { address, orderBody, post } from '../collection/fixtures.js';
import { accountThroughService } from '../helpers/auth.js';
import { describeEachDialect, type TestEnv } from '../helpers/env.js';
import { declaredTables } from '../helpers/source.js';

const TOOL_TABLES = new Set(['kysely_migration', 'kysely_migration_lock', 'sqlite_sequence']);

/** How many rows of a table name the person, through the declared link. */
async function rowsOf(e: TestEnv, table: string, link: PersonLink, subjectId: string): Promise<number> {
  const query = link.via
    ? sql<{ n: number }>`select count(*) as n from ${sql.table(table)} t
        where ${sql.ref(`t.${link.column}`)} in (
          select ${sql.ref(link.via.key)} from ${sql.table(link.via.table)} where ${sql.ref(link.via.column)} = ${subjectId})`
    : sql<{
        n: number;
      }>`select count(*) as n from ${sql.table(table)} where ${sql.ref(link.column)} = ${subjectId}`;
  return Number((await query.execute(e.store.db)).rows[0]?.n ?? 0);
}

/** A person with a row in as many of Vow's tables as the API can give them. */
async function wellKnownPerson(e: TestEnv, n: string): Promise<string> {
  const email = `kim.known${n}@example.com`;
  const order = orderBody(`known-${n}`, {
    buyer: {
      name: `Kim Known ${n}`,
      email,
      phone: n === 'a' ? '(608) 265-4401' : '(608) 265-4402',
      billing_address: address(`${n}4 Known Street`),
      shipping_address: address(`${n}4 Known Street`),
    },
  });
  assert.equal((await post(e, '/v1/orders', order)).statusCode, 201);
  const subjectId = (await e.services.subjects.findByEmail(email))!;
  assert.equal((await post(e, '/v1/contest-entries', { name: `Kim ${n}`, email })).statusCode, 201);
  const { accounts } = e.services.identity;
  const accountId = await accountThroughService(e, email);
  await accounts.issueToken(accountId, 'reset_password');
  assert.equal(
    (await post(e, '/v1/emails/render', { subjectId, subject: 'Rings', text: 'Look.' })).statusCode,
    200,
  );
  const disclosed = await post(e, '/v1/disclosures', {
    recipient: 'carrier',
    purpose: 'order.fulfilment',
    orderId: order.shop_order_id,
  });
  assert.equal(disclosed.statusCode, 200, disclosed.body);
  const request = await e.services.rights.submit(
    { type: 'access', jurisdiction: 'eea', email },
    { channel: 'web' },
  );
  assert.ok(request.requestId);
  return subjectId;
}

describeEachDialect('erasure coverage', (env) => {
  it('every table of the schema has exactly one declared fate, by the part that owns it', async () => {
    const e = env();
    const actual = (await e.store.db.introspection.getTables())
      .map((t) => t.name)
      .filter((n) => !TOOL_TABLES.has(n))
      .sort();
    const declared = e.services.erasure.tables();
    assert.deepEqual(declared.map((d) => d.table).sort(), actual, 'declared fates and schema tables differ');
    const owners = declaredTables();
    for (const d of declared) {
      const owner = owners.get(d.table)?.[0] ?? '';
      assert.equal(owner.split('/')[1], d.owner, `${d.table} is declared by ${d.owner}, owned by ${owner}`);
    }
  });

  it('a table kept names a policy exemption that exists or a law, and every link names real columns', async () => {
    const e = env();
    const columns = new Map(
      (await e.store.db.introspection.getTables()).map((t) => [
        t.name,
        new Set(t.columns.map((c) => c.name)),
      ]),
    );
    for (const { table, fate } of e.services.erasure.tables()) {
      if (fate.fate === 'impersonal') {
        assert.ok(fate.why.length > 10, `${table} says why it is impersonal`);
        continue;
      }
      if (fate.fate === 'kept') {
        const exemption = /^exemption:(.+)$/.exec(fate.basis)?.[1];
        if (exemption)
          assert.ok(e.ctx.policy.doc.exemptions[exemption], `${table}: no exemption ${exemption}`);
        else assert.match(fate.basis, /(GDPR|CCPA|COPPA|CFR|§)/, `${table}: a kept table cites its basis`);
      }
      const link = fate.person;
      if (!link) continue;
      assert.ok(columns.get(table)?.has(link.column), `${table}.${link.column}`);
      if (link.via) {
        assert.ok(columns.get(link.via.table)?.has(link.via.key), `${link.via.table}.${link.via.key}`);
        assert.ok(columns.get(link.via.table)?.has(link.via.column), `${link.via.table}.${link.via.column}`);
      }
    }
  });

  it('the purge leaves no row naming the person but their marked id and their destroyed key', async () => {
    const e = env();
    const subjectId = await wellKnownPerson(e, 'a');
    const linked = e.services.erasure.tables().filter((d) => d.fate.fate !== 'impersonal' && d.fate.person);
    const before: string[] = [];
    for (const d of linked)
      if (d.fate.fate !== 'impersonal' && (await rowsOf(e, d.table, d.fate.person!, subjectId)) > 0)
        before.push(d.table);
    // The person is in most tables that can name them (a sanity check of the set-up).
    assert.ok(before.length >= 12, `rows in ${before.join(', ')}`);
    await e.services.subjects.markUnder13(subjectId, { type: 'staff', id: 'staff-1' });
    const left: string[] = [];
    for (const d of linked)
      if (d.fate.fate !== 'impersonal' && (await rowsOf(e, d.table, d.fate.person!, subjectId)) > 0)
        left.push(d.table);
    assert.deepEqual(left.sort(), ['data_keys', 'rights_requests', 'subjects']);
    const keys = await e.store.db
      .selectFrom('data_keys')
      .select('wrapped_key')
      .where('subject_id', '=', subjectId)
      .execute();
    assert.deepEqual(keys, [{ wrapped_key: null }]);
  });

  it('a deletion of everything leaves no row of the person in a table declared erased', async () => {
    const e = env();
    const subjectId = await wellKnownPerson(e, 'b');
    // Fulfil a verified deletion of the person straight through the service.
    const request = await e.services.rights.submit(
      { type: 'deletion', jurisdiction: 'eea', email: 'kim.knownb@example.com' },
      { channel: 'account', sessionSubjectId: subjectId },
    );
    await e.services.jobs.drain();
    const view = await e.services.rights.get(request.requestId);
    assert.equal(view.status, 'completed', JSON.stringify(view));
    const left: string[] = [];
    for (const d of e.services.erasure.tables())
      if (d.fate.fate === 'erased' && (await rowsOf(e, d.table, d.fate.person, subjectId)) > 0)
        left.push(d.table);
    assert.deepEqual(left, []);
  });
});
