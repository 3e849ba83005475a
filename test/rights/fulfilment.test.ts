import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { RightsService } from '../../src/modules/rights/index.js';
import { JobRunner } from '../../src/platform/jobs/index.js';
import { deferred } from '../helpers/deferred.js';
import { describeEachDialect, type TestEnv } from '../helpers/env.js';
import { connectHarness, type Json, post, postalRequest, type RightsHarness } from './helpers.js';

function seedPerson(h: RightsHarness, id: string, email: string, phone?: string): void {
  h.world.addPerson(id, { emails: [email], phones: phone ? [phone] : [] });
  h.world.rows.push(
    { table: 'customers', column: 'email', category: 'contact.email', subjectId: id, value: email },
    { table: 'customers', column: 'name', category: 'identity.name', subjectId: id, value: 'Pat Example' },
    {
      table: 'addresses',
      column: 'street',
      category: 'contact.postal_address',
      subjectId: id,
      value: '1 Main St',
    },
    {
      table: 'orders',
      column: 'items',
      category: 'commerce.order_history',
      subjectId: id,
      value: '1 ring',
      exemption: 'service_customers',
    },
  );
}

/** Files a web request for `email` and types the emailed code; returns the status token. */
async function verifiedRequest(env: TestEnv, h: RightsHarness, body: Json): Promise<string> {
  const r = await post(env, '/v1/requests', body);
  assert.equal(r.status, 202, JSON.stringify(r.body));
  await env.services.jobs.drain(); // delivers the code mail
  const v = await post(env, '/v1/requests/verify', {
    statusToken: r.body.statusToken,
    code: h.codeFor(body.email),
  });
  assert.equal(v.status, 200, JSON.stringify(v.body));
  return r.body.statusToken as string;
}

/** Staff verify a request by the details it gives that match the person (and a signed declaration). */
function verifyByDataPoints(env: TestEnv, requestId: string, points: Json) {
  return post(env, `/v1/staff/requests/${requestId}/verify-data-points`, points);
}

describeEachDialect('fulfilment of verified requests', (env) => {
  let h: RightsHarness;
  before(() => {
    h = connectHarness(env());
  });

  it('deletion removes all non-exempt data, reports what was kept under which exemption, and a second run changes nothing', async () => {
    const e = env();
    seedPerson(h, 'del-1', 'delete.me@example.org', '+16085550111');
    const token = await verifiedRequest(e, h, {
      type: 'deletion',
      jurisdiction: 'eea',
      email: 'delete.me@example.org',
    });
    await e.services.jobs.drain();
    const remaining = h.world.rows.filter((r) => r.subjectId === 'del-1');
    assert.deepEqual(
      remaining.map((r) => r.category),
      ['commerce.order_history'],
      'only the exempt order history stays',
    );
    const status = (await e.app.inject({ url: `/v1/requests/status/${token}` })).json();
    assert.equal(status.status, 'completed');
    const view = (await e.services.rights.queue({ includeClosed: true })).find(
      (r) => r.subjectId === 'del-1',
    )!;
    const result = view.result as Json;
    assert.equal(result.changes, 3);
    assert.deepEqual(
      result.retained.map((k: Json) => [k.category, k.exemption]),
      [['commerce.order_history', 'service_customers']],
    );
    assert.equal(result.keyDestroyed, true);
    // The reply lists what was kept and why.
    const reply = h.mailsTo('delete.me@example.org').find((m) => /deleted/.test(m.subject));
    assert.ok(reply?.text.includes('Data necessary to service our customers'));
    // Downstream recipients were told, as outbox messages.
    const notices = await e.services.mail.list({ kind: 'rights.deletion_notice' });
    assert.deepEqual([...new Set(notices.map((n) => n.audience))].sort(), [
      'recipient:email_service',
      'recipient:google_analytics',
      'recipient:sms_gateway',
    ]);
    // The keyed hash of the email is on the suppression list.
    const idx = e.ctx.vault.blindIndex('email', 'delete.me@example.org');
    const sup = await e.store.db
      .selectFrom('suppression_list')
      .select('channel')
      .where('blind_index', '=', idx)
      .execute();
    assert.equal(sup.length, 1);
    // Running the deletion again (a second pass of the walker) changes nothing.
    const again = await h.world.walker.delete({ subjectIds: ['del-1'] });
    assert.equal(again.changes, 0);
    // Enqueueing the job again is a no-op: one job per request.
    const before = h.world.calls.length;
    const requestId = view.id;
    const second = await e.services.jobs.enqueue({
      name: 'rights.fulfil',
      payload: { requestId },
      idempotencyKey: `rights:${requestId}`,
    });
    assert.equal(second.created, false);
    await e.services.jobs.drain();
    assert.equal(h.world.calls.length, before);
    const audit = await e.ctx.audit.list({ targetType: 'request', targetId: requestId });
    const actions = audit.map((a) => a.action);
    for (const a of [
      'request.received',
      'request.verified',
      'request.recipients_notified',
      'request.completed',
    ])
      assert.ok(actions.includes(a), `${a} in ${actions}`);
  });

  it('a deletion interrupted mid-way (the worker stalls, its lease expires) is finished by another worker exactly once', async () => {
    const e = env();
    seedPerson(h, 'del-2', 'stall@example.org');
    const { promise: reachedP, resolve: reached } = deferred();
    const { promise: stalled, resolve: release } = deferred();
    let stallOnce = true;
    h.world.beforeDelete = async () => {
      if (!stallOnce) return;
      stallOnce = false;
      reached();
      await stalled; // the first worker freezes here, mid-deletion
    };
    const r = await post(e, '/v1/requests', {
      type: 'deletion',
      jurisdiction: 'us-ca',
      email: 'stall@example.org',
    });
    await e.services.jobs.drain();
    await post(e, '/v1/requests/verify', {
      statusToken: r.body.statusToken,
      code: h.codeFor('stall@example.org'),
    });
    const first = e.services.jobs.runOnce();
    await reachedP;
    // A second process: its own runner and rights service on the same database.
    const runnerB = new JobRunner(e.ctx, { workerId: 'process-b' });
    const rightsB = new RightsService(e.ctx, runnerB, e.services.mail, {
      directory: h.world.directory,
      walker: h.world.walker,
      suppressor: e.services.consent,
      erasure: e.services.rights.ports.erasure,
    });
    assert.ok(rightsB);
    assert.equal(await runnerB.runOnce(), null, 'the job is leased to the stalled worker');
    e.clock.advance(e.services.jobs.leaseMs + 1000);
    const b = await runnerB.runOnce();
    assert.equal(b?.status, 'done');
    release();
    assert.equal((await first)?.status, 'lease_lost');
    await e.services.jobs.drain();
    const view = (await e.services.rights.queue({ includeClosed: true })).find(
      (x) => x.subjectId === 'del-2',
    )!;
    assert.equal(view.status, 'completed');
    assert.equal((view.result as Json).changes, 3);
    assert.deepEqual(
      h.world.rows.filter((x) => x.subjectId === 'del-2').map((x) => x.category),
      ['commerce.order_history'],
    );
    const replies = h.mailsTo('stall@example.org').filter((m) => /deleted/.test(m.subject));
    assert.equal(replies.length, 1, 'the person is answered once');
    const notices = await e.services.mail.list({ kind: 'rights.deletion_notice' });
    const forThis = [];
    for (const n of notices) {
      const body = await e.services.mail.read(n.id);
      if (body?.subject.includes(view.id)) forThis.push(n);
    }
    // Recorded notices keep their sealed body until staff forward them.
    assert.equal(forThis.length, 3, 'each recipient is notified once');
    const completed = (await e.ctx.audit.list({ targetType: 'request', targetId: view.id })).filter(
      (a) => a.action === 'request.completed',
    );
    assert.equal(completed.length, 1);
  });

  it('a deletion whose walker fails mid-way is retried after a back-off and completes once', async () => {
    const e = env();
    seedPerson(h, 'del-3', 'flaky@example.org');
    let failOnce = true;
    h.world.beforeDelete = async () => {
      if (failOnce) {
        failOnce = false;
        throw new Error('shop database unreachable');
      }
    };
    await verifiedRequest(e, h, { type: 'deletion', jurisdiction: 'eea', email: 'flaky@example.org' });
    await e.services.jobs.drain();
    let view = (await e.services.rights.queue({ includeClosed: true })).find((x) => x.subjectId === 'del-3')!;
    assert.equal(view.status, 'in_progress');
    e.clock.advance(60_000);
    await e.services.jobs.drain();
    view = (await e.services.rights.queue({ includeClosed: true })).find((x) => x.subjectId === 'del-3')!;
    assert.equal(view.status, 'completed');
    assert.equal(h.mailsTo('flaky@example.org').filter((m) => /deleted/.test(m.subject)).length, 1);
    h.world.beforeDelete = undefined;
  });

  it('deletion of chosen categories keeps the rest and the data key', async () => {
    const e = env();
    seedPerson(h, 'del-4', 'partial@example.org');
    await verifiedRequest(e, h, {
      type: 'deletion',
      jurisdiction: 'eea',
      email: 'partial@example.org',
      categories: ['contact.postal_address'],
    });
    await e.services.jobs.drain();
    assert.deepEqual(
      h.world.rows.filter((r) => r.subjectId === 'del-4').map((r) => r.category),
      ['contact.email', 'identity.name', 'commerce.order_history'],
    );
    const view = (await e.services.rights.queue({ includeClosed: true })).find(
      (x) => x.subjectId === 'del-4',
    )!;
    assert.equal((view.result as Json).keyDestroyed, false);
  });

  it('access: one export with category and purpose of each value, downloadable for 7 days as JSON, CSV and a summary', async () => {
    const e = env();
    seedPerson(h, 'acc-1', 'access.me@example.org');
    await verifiedRequest(e, h, { type: 'access', jurisdiction: 'eea', email: 'access.me@example.org' });
    await e.services.jobs.drain();
    const mail = h.mailsTo('access.me@example.org').find((m) => /ready/.test(m.subject));
    const link = /\/privacy\/request\/export\/([A-Za-z0-9_-]+)/.exec(mail?.text ?? '');
    assert.ok(link, 'the answer mail holds the download link');
    const t = link[1]!;
    const json = await e.app.inject({ url: `/privacy/request/export/${t}/data.json` });
    assert.equal(json.statusCode, 200);
    const doc = json.json();
    assert.equal(doc.values.length, 4);
    assert.ok(doc.values.every((v: Json) => v.category && Array.isArray(v.purposes)));
    assert.ok(doc.values.some((v: Json) => v.value === 'access.me@example.org'));
    const csv = await e.app.inject({ url: `/privacy/request/export/${t}/csv/fake.customers` });
    assert.equal(csv.statusCode, 200);
    assert.match(csv.body, /"contact\.email"/);
    // A name that is no table of this export, an object's own property names included, is 404.
    for (const table of ['nothing.here', 'constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const none = await e.app.inject({ url: `/privacy/request/export/${t}/csv/${table}` });
      assert.equal(none.statusCode, 404, table);
      assert.equal(none.json().error.code, 'VOW_NOT_FOUND', table);
    }
    const summary = await e.app.inject({ url: `/privacy/request/export/${t}` });
    assert.equal(summary.statusCode, 200);
    assert.match(summary.body, /Pat Example/);
    // The token is stored only as a keyed hash.
    const rows = JSON.stringify(await e.store.db.selectFrom('rights_exports').selectAll().execute());
    assert.ok(!rows.includes(t));
    assert.ok(!rows.includes('access.me@example.org'));
    e.clock.advance(7 * 24 * 3600_000 + 1000);
    const expired = await e.app.inject({ url: `/privacy/request/export/${t}/data.json` });
    assert.equal(expired.statusCode, 410);
  });

  it('two matching details verify an access request for categories only; deletion needs three and a signed declaration', async () => {
    const e = env();
    seedPerson(h, 'dp-1', 'points@example.org', '+16085550199');
    h.world.people.get('dp-1')!.accounts.push('acct-77');
    const logged = await postalRequest(e, 'access', 'us-ca', '2026-01-15');
    const rid = logged.body.request.id;
    const one = await verifyByDataPoints(e, rid, {
      email: 'points@example.org',
    });
    assert.equal(one.body.error.code, 'VOW_VERIFICATION_FAILED');
    const two = await verifyByDataPoints(e, rid, {
      email: 'points@example.org',
      phone: '+16085550199',
    });
    assert.equal(two.status, 200, JSON.stringify(two.body));
    assert.equal(two.body.request.verificationMethod, 'data_points_2');
    await e.services.jobs.drain();
    const done = await e.services.rights.get(rid);
    assert.equal(done.status, 'completed');
    assert.equal((done.result as Json).categoriesOnly, true);

    const del = await postalRequest(e, 'deletion', 'us-ca', '2026-01-15');
    const did = del.body.request.id;
    const twoForDeletion = await verifyByDataPoints(e, did, {
      email: 'points@example.org',
      phone: '+16085550199',
    });
    assert.equal(twoForDeletion.body.error.code, 'VOW_VERIFICATION_FAILED');
    const threeNoDeclaration = await verifyByDataPoints(e, did, {
      email: 'points@example.org',
      phone: '+16085550199',
      accountId: 'acct-77',
    });
    assert.equal(threeNoDeclaration.body.error.code, 'VOW_VERIFICATION_FAILED');
    const three = await verifyByDataPoints(e, did, {
      email: 'points@example.org',
      phone: '+16085550199',
      accountId: 'acct-77',
      declarationSigned: true,
    });
    // Three details let a deletion through: the verification waits for a privacy officer who is
    // another person (the verifier here is the test principal), then the request moves on.
    assert.equal(three.status, 200, JSON.stringify(three.body));
    assert.equal(three.body.outcome.method, 'data_points_3');
    assert.equal(three.body.outcome.pendingApproval, true);
    assert.deepEqual(three.body.outcome.matchedKinds, ['email', 'phone', 'account']);
    assert.equal(three.body.request.status, 'awaiting_verification');
    assert.equal(three.body.request.verificationMethod, null);
    const own = await post(e, `/v1/staff/requests/${did}/approve-verification`, {});
    assert.equal(own.status, 403, JSON.stringify(own.body));
    assert.equal(own.body.error.code, 'VOW_APPROVAL_NOT_INDEPENDENT');
    await e.services.jobs.drain();
    assert.equal((await e.services.rights.get(did)).status, 'awaiting_verification');
    const approved = await e.services.rights.approveVerification(did, 'another-officer');
    assert.equal(approved.status, 'in_progress');
    assert.equal((await e.services.rights.get(did)).verificationMethod, 'data_points_3');
  });

  it('an authorised agent’s request waits for staff to confirm the signed permission', async () => {
    const e = env();
    seedPerson(h, 'agent-1', 'principal@example.org');
    const token = await verifiedRequest(e, h, {
      type: 'access',
      jurisdiction: 'us-ca',
      email: 'principal@example.org',
      agent: { name: 'Acme Privacy Agents', permission: 'Signed authorisation dated 2026-01-10' },
    });
    await e.services.jobs.drain();
    const s = (await e.app.inject({ url: `/v1/requests/status/${token}` })).json();
    assert.equal(s.status, 'awaiting_agent_confirmation');
    const rid = (await e.services.rights.queue()).find((r) => r.subjectId === 'agent-1')!.id;
    const ok = await post(e, `/v1/staff/requests/${rid}/confirm-agent`, {});
    assert.equal(ok.body.request.status, 'in_progress');
    await e.services.jobs.drain();
    assert.equal((await e.services.rights.get(rid)).status, 'completed');
  });

  it('a correction waits for staff approval with the evidence shown, then changes every dataset; the audit keeps no value', async () => {
    const e = env();
    seedPerson(h, 'cor-1', 'correct.me@example.org');
    h.world.rows.push({
      table: 'shop_accounts',
      column: 'street',
      category: 'contact.postal_address',
      subjectId: 'cor-1',
      value: '1 Main St',
    });
    await verifiedRequest(e, h, {
      type: 'correction',
      jurisdiction: 'eea',
      email: 'correct.me@example.org',
      correction: { category: 'contact.postal_address', value: '22 Elm Road', evidence: 'Utility bill' },
    });
    await e.services.jobs.drain();
    const rid = (await e.services.rights.queue()).find((r) => r.subjectId === 'cor-1')!.id;
    assert.equal((await e.services.rights.get(rid)).status, 'awaiting_approval');
    assert.equal(
      h.world.rows.filter((r) => r.value === '22 Elm Road').length,
      0,
      'nothing changes before approval',
    );
    const detail = (await e.app.inject({ url: `/v1/staff/requests/${rid}` })).json();
    assert.equal(detail.contact.correction.evidence, 'Utility bill');
    const approved = await post(e, `/v1/staff/requests/${rid}/approve-correction`, {});
    assert.equal(approved.body.request.status, 'in_progress');
    await e.services.jobs.drain();
    const addresses = h.world.rows.filter(
      (r) => r.subjectId === 'cor-1' && r.category === 'contact.postal_address',
    );
    assert.deepEqual(
      addresses.map((r) => r.value),
      ['22 Elm Road', '22 Elm Road'],
    );
    const audit = JSON.stringify(await e.ctx.audit.list({ targetType: 'request', targetId: rid }));
    assert.ok(audit.includes('request.corrected'));
    assert.ok(!audit.includes('22 Elm Road') && !audit.includes('1 Main St'));
  });

  it('a restriction denies the restricted purposes from that moment; lifting tells the person first', async () => {
    const e = env();
    seedPerson(h, 'res-1', 'restrict.me@example.org');
    e.services.decisions.addProvider(async (id) =>
      id === 'res-1' || id === 'obj-1'
        ? { known: true, kinds: ['customer'], channels: { email_marketing: 'enrolled' } }
        : undefined,
    );
    const ask = (purpose: string, categories: string[]) =>
      e.services.decisions.decide({ subject: { id: 'res-1' }, purpose, categories });
    assert.equal((await ask('marketing.email', ['contact.email'])).decision, 'allow');
    assert.equal((await ask('order.fulfilment', ['contact.postal_address'])).decision, 'allow');
    await verifiedRequest(e, h, {
      type: 'restriction',
      jurisdiction: 'eea',
      email: 'restrict.me@example.org',
      purposes: ['marketing'],
    });
    await e.services.jobs.drain();
    const denied = await ask('marketing.email', ['contact.email']);
    assert.equal(denied.decision, 'deny');
    assert.ok(denied.reasons.some((r) => r.code === 'restricted' && r.promise === 'P23'));
    assert.equal(
      (await ask('order.fulfilment', ['contact.postal_address'])).decision,
      'allow',
      'other purposes go on',
    );
    // Over HTTP too.
    const http = await post(e, '/v1/decisions', {
      subject: { id: 'res-1' },
      purpose: 'marketing.email',
      categories: ['contact.email'],
    });
    assert.equal(http.body.decision, 'deny');

    const rid = (await e.services.rights.queue({ includeClosed: true })).find(
      (r) => r.subjectId === 'res-1',
    )!.id;
    const sentBefore = h.mailsTo('restrict.me@example.org').length;
    const lifted = await post(e, `/v1/staff/requests/${rid}/lift-restriction`, {
      reason: 'The dispute is settled',
    });
    assert.equal(lifted.status, 200, JSON.stringify(lifted.body));
    const audit = (await e.ctx.audit.list({ targetType: 'request', targetId: rid })).map((a) => a.action);
    assert.ok(audit.indexOf('restriction.lift_notified') < audit.indexOf('restriction.lifted'));
    await e.services.jobs.drain();
    assert.equal(h.mailsTo('restrict.me@example.org').length, sentBefore + 1);
    assert.equal((await ask('marketing.email', ['contact.email'])).decision, 'allow');
  });

  it('an objection to direct marketing restricts marketing and staff cannot lift it', async () => {
    const e = env();
    seedPerson(h, 'obj-1', 'object@example.org');
    await verifiedRequest(e, h, { type: 'objection', jurisdiction: 'uk', email: 'object@example.org' });
    await e.services.jobs.drain();
    const d = await e.services.decisions.decide({
      subject: { id: 'obj-1' },
      purpose: 'marketing.email',
      categories: ['contact.email'],
    });
    assert.equal(d.decision, 'deny');
    const rid = (await e.services.rights.queue({ includeClosed: true })).find(
      (r) => r.subjectId === 'obj-1',
    )!.id;
    const lift = await post(e, `/v1/staff/requests/${rid}/lift-restriction`, { reason: 'please' });
    assert.equal(lift.body.error.code, 'VOW_REQUEST_STATE');
  });

  it('staff refuse a request with its legal basis, kept in the request log', async () => {
    const e = env();
    const r = await postalRequest(e, 'access', 'us-ca', '2026-01-15');
    const rid = r.body.request.id;
    const denied = await post(e, `/v1/staff/requests/${rid}/deny`, {
      basis: 'Identity could not be verified',
    });
    assert.equal(denied.body.request.status, 'denied');
    assert.equal(denied.body.request.denialBasis, 'Identity could not be verified');
    const all = (await e.app.inject({ url: '/v1/staff/requests?include=all' })).json().requests as Json[];
    const logged = all.find((x) => x.id === rid)!;
    assert.equal(logged.responseNature, 'denied');
    assert.ok(logged.respondedAt);
    assert.equal(logged.channel, 'postal');
    assert.ok(logged.receivedOn);
  });
});
