import assert from 'node:assert/strict';
import { it } from 'node:test';
import { audienceMembers, audienceTarget } from '../../src/modules/consent/audiences.js';
import { describeEachDialect } from '../helpers/env.js';
import { catalogRequest, contestEntry, countRows, order, smsSignup } from './helpers.js';

describeEachDialect('audiences', (env) => {
  const people: Record<string, string> = {};

  const audience = async (channel: string, query = '') => {
    const res = await env().app.inject({ method: 'GET', url: `/v1/audiences/${channel}${query}` });
    assert.equal(res.statusCode, 200, res.body);
    return res;
  };
  const emails = async (channel = 'email_marketing') =>
    (await audience(channel)).body
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { subjectId: string; email: string })
      .map((r) => r.email)
      .sort();

  it('lists buyers, contestants and catalog requesters, never a gift recipient or an SMS-only subscriber', async () => {
    const o = await order(env(), 'buyer@example.com', { email: 'gift@example.com', phone: '+16085550111' });
    people.buyer = o.subjectId!;
    people.gift = o.giftRecipientSubjectId!;
    people.contestant = (await contestEntry(env(), 'contest@example.com')).subjectId!;
    people.catalog = (await catalogRequest(env(), 'catalog@example.com')).subjectId!;
    people.sms = (await smsSignup(env(), '+16085550122')).subjectId!;
    people.unsub = (await order(env(), 'unsub@example.com')).subjectId!;
    await env().services.consent.unsubscribe(undefined, {
      subjectId: people.unsub,
      channel: 'email_marketing',
      cause: { type: 'link_click' },
    });
    assert.deepEqual(await emails(), ['buyer@example.com', 'catalog@example.com', 'contest@example.com']);
    const res = await audience('email_marketing');
    assert.match(String(res.headers['content-type']), /application\/x-ndjson/);
  });

  it('never lists a gift recipient even once they are enrolled in their own right for another address', async () => {
    // the gift recipient enters a contest with a different address: only that address appears
    const entry = await contestEntry(env(), 'gil-own@example.com');
    assert.equal(entry.subjectId === people.gift, false, 'a different address is a different person here');
    const list = await emails();
    assert.ok(!list.includes('gift@example.com'));
  });

  it('serves the SMS and postal audiences from the same rules', async () => {
    const sms = (await audience('sms_marketing')).body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(sms, [{ subjectId: people.sms, phone: '+16085550122' }]);
    const postal = (await audience('postal_marketing')).body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      postal.map((p) => p.subjectId),
      [people.catalog],
    );
    // A postal mailing needs a name to address it to: the one given on the catalog form.
    assert.equal(postal[0].name, 'Cat Reader');
    const csv = (await audience('postal_marketing', '?format=csv')).body.trim().split('\r\n');
    assert.equal(csv[0], '"subject_id","name","line1","line2","city","region","postal_code","country"');
    assert.match(csv[1]!, new RegExp(`^"${people.catalog}","Cat Reader",`));
  });

  it('leaves out the restricted, the under-13, the suppressed and suppressed identifiers', async () => {
    const { store, ctx, services } = env();
    await store.db
      .insertInto('restrictions')
      .values({
        id: 'r-1',
        subject_id: people.buyer!,
        scope: 'purposes',
        purposes: JSON.stringify(['marketing']),
        started_at: ctx.clock.now().toISOString(),
        lifted_at: null,
        request_id: null,
      })
      .execute();
    assert.ok(!(await emails()).includes('buyer@example.com'));
    await store.db.updateTable('restrictions').set({ lifted_at: ctx.clock.now().toISOString() }).execute();
    assert.ok((await emails()).includes('buyer@example.com'));

    await store.db.updateTable('subjects').set({ under13: 1 }).where('id', '=', people.contestant!).execute();
    assert.ok(!(await emails()).includes('contest@example.com'));
    await store.db.updateTable('subjects').set({ under13: 0 }).where('id', '=', people.contestant!).execute();

    await services.consent.suppressIdentifier(undefined, {
      indexKind: 'email',
      blindIndex: ctx.vault.blindIndex('email', 'catalog@example.com'),
      reason: 'deleted on request',
    });
    const list = await emails();
    assert.ok(!list.includes('catalog@example.com'));
    assert.ok(list.includes('buyer@example.com'));
  });

  it('serves a channel with several purposes per purpose (account updates by post)', async () => {
    const reg = await env().app.inject({
      method: 'POST',
      url: '/v1/registrations',
      payload: {
        account_id: 'shop-42',
        name: 'Reg Holder',
        email: 'reg@example.com',
        postal_address: { line1: '9 Elm St', city: 'Madison', postal_code: '53703', country: 'US' },
        catalog_opt_in: true,
      },
    });
    assert.equal(reg.statusCode, 201, reg.body);
    const subjectId = reg.json().subjectId as string;
    const byPost = (await audience('account_updates', '?purpose=marketing.postal')).body.trim().split('\n');
    assert.equal(byPost.length, 1);
    const row = JSON.parse(byPost[0]!) as {
      subjectId: string;
      name: string;
      address: Record<string, string>;
    };
    assert.equal(row.subjectId, subjectId);
    assert.equal(row.name, 'Reg Holder');
    assert.deepEqual(row.address, {
      line1: '9 Elm St',
      city: 'Madison',
      postal_code: '53703',
      country: 'US',
    });
    const csv = (await audience('account_updates', '?purpose=marketing.postal&format=csv')).body
      .trim()
      .split('\r\n');
    assert.deepEqual(csv, [
      '"subject_id","name","line1","line2","city","region","postal_code","country"',
      `"${subjectId}","Reg Holder","9 Elm St","","Madison","","53703","US"`,
    ]);
    const byEmail = (await audience('account_updates')).body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(byEmail, [{ subjectId, email: 'reg@example.com' }]);
    // a registration without the opt-in is in neither
    await env().app.inject({
      method: 'POST',
      url: '/v1/registrations',
      payload: { account_id: 'shop-43', name: 'No Thanks', email: 'nothanks@example.com' },
    });
    assert.equal((await audience('account_updates')).body.trim().split('\n').length, 1);
  });

  it('exports CSV and records each export in the audit trail', async () => {
    const res = await audience('email_marketing', '?format=csv');
    assert.match(String(res.headers['content-type']), /text\/csv/);
    const lines = res.body.trim().split('\r\n');
    assert.equal(lines[0], '"subject_id","email"');
    assert.ok(lines.slice(1).some((l) => l.endsWith(',"buyer@example.com"')));
    const audit = await env().ctx.audit.list({ limit: 10_000 });
    const done = audit.filter((a) => a.action === 'audience.exported');
    assert.ok(done.length >= 1);
    const last = JSON.parse(done.at(-1)!.details);
    assert.deepEqual(last, {
      channel: 'email_marketing',
      count: lines.length - 1,
      format: 'csv',
      purpose: 'marketing.email',
    });
    assert.ok(audit.every((a) => !a.details.includes('@')));
  });

  it('pages through the audience with keyset pagination', async () => {
    const target = audienceTarget(env().ctx.policy, 'email_marketing');
    const all: string[] = [];
    for await (const m of audienceMembers(env().ctx, target, { pageSize: 1 })) all.push(m.value);
    assert.deepEqual(all.sort(), (await emails()).sort());
    assert.ok(all.length >= 3);
  });

  it('refuses an unknown channel, purpose or format with stable codes', async () => {
    const before = await countRows(env(), 'consent_events');
    const cases: [string, string][] = [
      ['/v1/audiences/fax_marketing', 'VOW_CONSENT_UNKNOWN_CHANNEL'],
      ['/v1/audiences/email_marketing?format=xml', 'VOW_VALIDATION'],
      ['/v1/audiences/email_marketing?purpose=marketing.sms', 'VOW_VALIDATION'],
      ['/v1/audiences/email_marketing?subject=x', 'VOW_VALIDATION'],
    ];
    for (const [url, code] of cases) {
      const res = await env().app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 400, url);
      assert.equal(res.json().error.code, code, url);
    }
    assert.equal(await countRows(env(), 'consent_events'), before);
  });
});

describeEachDialect('suppressions and consent history over HTTP', (env) => {
  it('lets customer service remove a catalog requester from postal mail, surviving later catalog requests', async () => {
    const { subjectId } = await catalogRequest(env(), 'post@example.com');
    const res = await env().app.inject({
      method: 'POST',
      url: '/v1/suppressions',
      payload: { subjectId, channel: 'postal_marketing', reason: 'Called to stop the catalog' },
    });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().alreadySuppressed, false);
    await catalogRequest(env(), 'post@example.com');
    const states = await env().services.consent.states(subjectId!);
    assert.equal(states.postal_marketing, 'withdrawn');
    assert.equal(states.email_marketing, 'enrolled');
    const history = await env().app.inject({
      method: 'POST',
      url: '/v1/consent/history',
      payload: { subjectId },
    });
    assert.equal(history.statusCode, 200);
    const events = history.json().events as {
      event: string;
      channel: string;
      cause: { type: string; staffId: string | null };
    }[];
    const sup = events.filter((e) => e.event === 'suppressed');
    assert.equal(sup.length, 1);
    assert.equal(sup[0]!.cause.type, 'staff');
    assert.equal(sup[0]!.cause.staffId, 'test-principal');
    assert.deepEqual(history.json().states, states);
    const audit = await env().ctx.audit.list({ targetType: 'subject', targetId: subjectId!, limit: 1000 });
    assert.ok(audit.some((a) => a.action === 'consent.suppressed' && a.actor_type === 'staff'));
    // a second removal is a no-op
    const again = await env().app.inject({
      method: 'POST',
      url: '/v1/suppressions',
      payload: { subjectId, channel: 'postal_marketing', reason: 'again' },
    });
    assert.equal(again.json().alreadySuppressed, true);
  });

  it('takes a reason with a date and a ticket number, and refuses one with a phone number, as the audit trail would', async () => {
    const { subjectId } = await catalogRequest(env(), 'ticket@example.com');
    const suppress = (channel: string, reason: string) =>
      env().app.inject({ method: 'POST', url: '/v1/suppressions', payload: { subjectId, channel, reason } });
    const phone = await suppress('postal_marketing', 'Asked on (608) 265-4141 to stop');
    assert.equal(phone.statusCode, 400, phone.body);
    assert.equal(phone.json().error.code, 'VOW_VALIDATION');
    assert.doesNotMatch(phone.body, /265-4141/, 'never the value');
    const ticket = await suppress('postal_marketing', 'Asked by phone on 2026-12-07 (ticket #4521003317)');
    assert.equal(ticket.statusCode, 201, ticket.body);
    const audit = await env().ctx.audit.list({ targetType: 'subject', targetId: subjectId!, limit: 1000 });
    assert.ok(
      audit.some((a) => a.action === 'consent.suppressed' && JSON.stringify(a).includes('#4521003317')),
    );
  });

  it('answers an unknown person in the history with 404 and refuses unknown fields', async () => {
    const res = await env().app.inject({
      method: 'POST',
      url: '/v1/consent/history',
      payload: { subjectId: '00000000-0000-4000-8000-00000000abcd' },
    });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().error.code, 'VOW_UNKNOWN_SUBJECT');
    const extra = await env().app.inject({
      method: 'POST',
      url: '/v1/consent/history',
      payload: { subjectId: 'x', email: 'x@example.com' },
    });
    assert.equal(extra.statusCode, 400);
    assert.equal(extra.json().error.code, 'VOW_VALIDATION');
  });

  it('refuses to render for someone on the list whose address Vow no longer holds (VOW_CONSENT_NO_CONTACT)', async () => {
    const { subjectId } = await contestEntry(env(), 'gone@example.com');
    await env().store.db.deleteFrom('subject_identifiers').where('subject_id', '=', subjectId!).execute();
    const res = await env().app.inject({
      method: 'POST',
      url: '/v1/emails/render',
      payload: { subjectId, subject: 'Hi', text: 'Hello' },
    });
    assert.equal(res.statusCode, 409, res.body);
    assert.equal(res.json().error.code, 'VOW_CONSENT_NO_CONTACT');
  });

  it('refuses bad suppressions with stable codes and changes nothing', async () => {
    const before = await countRows(env(), 'consent_events');
    const { subjectId } = await contestEntry(env(), 'bad@example.com');
    const afterEntry = await countRows(env(), 'consent_events');
    assert.equal(afterEntry, before + 1);
    const cases: [Record<string, unknown>, number, string][] = [
      [
        { subjectId: '00000000-0000-4000-8000-000000000009', channel: 'email_marketing', reason: 'x' },
        404,
        'VOW_UNKNOWN_SUBJECT',
      ],
      [{ subjectId, channel: 'fax', reason: 'x' }, 400, 'VOW_CONSENT_UNKNOWN_CHANNEL'],
      [{ subjectId, channel: 'email_marketing' }, 400, 'VOW_VALIDATION'],
      [{ subjectId, channel: 'email_marketing', reason: 'x', staffId: 'me' }, 400, 'VOW_VALIDATION'],
      [
        { subjectId, channel: 'email_marketing', reason: 'mail me at bad@example.com' },
        400,
        'VOW_VALIDATION',
      ],
    ];
    for (const [payload, status, code] of cases) {
      const res = await env().app.inject({ method: 'POST', url: '/v1/suppressions', payload });
      assert.equal(res.statusCode, status, JSON.stringify(payload));
      assert.equal(res.json().error.code, code);
    }
    assert.equal(await countRows(env(), 'consent_events'), afterEntry);
    assert.equal((await env().services.consent.states(subjectId!)).email_marketing, 'enrolled');
  });
});
