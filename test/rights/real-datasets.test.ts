// The rights flows over the real modules: a buyer created through POST /v1/orders (subjects,
// collection), found by the subjects directory, exported and deleted by the datasets walker.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import type { OutgoingMessage } from '../../src/platform/mail/index.js';
import { orderBody } from '../collection/fixtures.js';
import { describeEachDialect } from '../helpers/env.js';
import { type Json, post } from './helpers.js';
import { captureMail, verifiedRequest } from './real-flow.js';

describeEachDialect('requests over the real subjects and datasets modules', (env) => {
  let sent: OutgoingMessage[] = [];
  before(() => {
    sent = captureMail(env);
  });

  it('a buyer’s access request exports their order data from Vow’s own tables', async () => {
    const e = env();
    const order = await post(e, '/v1/orders', orderBody('rx1'));
    assert.ok(order.status < 300, JSON.stringify(order.body));
    await verifiedRequest(e, sent, {
      type: 'access',
      jurisdiction: 'eea',
      email: 'ann.buyerrx1@example.com',
    });
    const answer = sent.find((m) => m.to === 'ann.buyerrx1@example.com' && /ready/.test(m.subject));
    const t = /export\/([A-Za-z0-9_-]+)/.exec(answer?.text ?? '')?.[1];
    assert.ok(t, 'the answer holds a download link');
    const doc = (await e.app.inject({ url: `/privacy/request/export/${t}/data.json` })).json();
    const values = JSON.stringify(doc.values);
    assert.ok(values.includes('ann.buyerrx1@example.com'));
    assert.ok(doc.categories.some((c: Json) => c.category === 'commerce.order_history'));
  });

  it('a buyer’s deletion removes what is not exempt, keeps the order history, destroys the key, and a second run changes nothing', async () => {
    const e = env();
    const order = await post(e, '/v1/orders', orderBody('rx2'));
    assert.ok(order.status < 300, JSON.stringify(order.body));
    const subjectId = await e.services.subjects.findByEmail('ann.buyerrx2@example.com');
    assert.ok(subjectId);
    await verifiedRequest(e, sent, {
      type: 'deletion',
      jurisdiction: 'us-ca',
      email: 'ann.buyerrx2@example.com',
    });
    const view = (await e.services.rights.queue({ includeClosed: true })).find(
      (r) => r.subjectId === subjectId,
    )!;
    assert.equal(view.status, 'completed', JSON.stringify(view));
    const result = view.result as Json;
    assert.ok(result.changes > 0);
    assert.ok(
      result.retained.some(
        (k: Json) => k.exemption === 'service_customers' && k.category === 'commerce.order_history',
      ),
    );
    assert.equal(
      await e.services.subjects.findByEmail('ann.buyerrx2@example.com'),
      undefined,
      'no longer found by email',
    );
    const key = await e.store.db
      .selectFrom('data_keys')
      .select('wrapped_key')
      .where('subject_id', '=', subjectId)
      .executeTakeFirst();
    assert.equal(key?.wrapped_key ?? null, null, 'the data key is destroyed');
    // A second pass would change nothing. (Asked as a dry run: a real second pass over the walker's
    // own transaction cannot open the shredded key on SQLite; the job itself never walks twice.)
    const again = await e.services.datasets.delete({ subjectIds: [subjectId] }, { dryRun: true });
    assert.equal(again.changes, 0, 'a second run changes nothing');
    const reply = sent.find((m) => m.to === 'ann.buyerrx2@example.com' && /deleted/.test(m.subject));
    assert.ok(reply?.text.includes('Data necessary to service our customers'));
    const idx = e.ctx.vault.blindIndex('email', 'ann.buyerrx2@example.com');
    assert.equal(await e.services.consent.isIdentifierSuppressed('email', idx, 'email_marketing'), true);
  });

  it('marking a person as under 13 erases the contact and evidence of their requests, keeping a value-free log entry', async () => {
    const e = env();
    const order = await post(e, '/v1/orders', orderBody('rx3'));
    assert.ok(order.status < 300, JSON.stringify(order.body));
    await verifiedRequest(e, sent, {
      type: 'access',
      jurisdiction: 'us-ca',
      email: 'ann.buyerrx3@example.com',
    });
    const subjectId = (await e.services.subjects.findByEmail('ann.buyerrx3@example.com'))!;
    const before = (await e.services.rights.queue({ includeClosed: true })).find(
      (r) => r.subjectId === subjectId,
    )!;
    assert.equal(
      (await e.services.rights.detail(before.id, 'staff-1')).contact.email,
      'ann.buyerrx3@example.com',
    );
    await e.services.subjects.markUnder13(subjectId, { type: 'staff', id: 'staff-1' });
    const after = await e.services.rights.detail(before.id, 'staff-1');
    assert.deepEqual(after.contact, {});
    assert.equal(after.type, 'access');
    assert.equal(after.status, 'completed');
    const exports = await e.store.db
      .selectFrom('rights_exports')
      .select('id')
      .where('request_id', '=', before.id)
      .execute();
    assert.equal(exports.length, 0);
  });
});
