// One consent rule, shown the same by the history (the ledger's state), decide(), the audiences and
// campaign rendering, in the three places they used to disagree (issue 14):
// (a) an address on the suppression list after a deletion: a purchase does not enroll it again, a new
//     contest entry does (P11) and lifts the suppression for that channel;
// (b) a registrant's catalog tick grants "catalog and updates" (account_updates), the one channel
//     whose rule covers account holders, not postal_marketing;
// (c) unsubscribing from a marketing email removes the person from email marketing (P11): every
//     channel that markets by email.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { address, catalogBody, orderBody, post } from '../collection/fixtures.js';
import { describeEachDialect, type TestEnv } from '../helpers/env.js';

interface Views {
  readonly state: string;
  readonly decision: string;
  readonly inAudience: boolean;
  readonly rendered: boolean;
}

/** What each view says of one person on one channel (purpose marketing.email unless given). */
async function views(
  e: TestEnv,
  subjectId: string,
  channel: string,
  purpose = 'marketing.email',
  category = 'contact.email',
): Promise<Views> {
  const state = (await e.services.consent.states(subjectId))[channel] ?? 'none';
  const decision = (
    await post(e, '/v1/decisions', { subject: { id: subjectId }, purpose, categories: [category] })
  ).json().decision as string;
  const audience = await e.app.inject({ url: `/v1/audiences/${channel}?purpose=${purpose}` });
  assert.equal(audience.statusCode, 200, audience.body);
  const inAudience = audience.body
    .split('\n')
    .filter(Boolean)
    .some((l) => (JSON.parse(l) as { subjectId: string }).subjectId === subjectId);
  let rendered = false;
  if (purpose === 'marketing.email') {
    const r = await post(e, '/v1/emails/render', { subjectId, channel, subject: 'News', text: 'Hello.' });
    rendered = r.statusCode === 200;
  }
  return { state, decision, inAudience, rendered };
}

const YES = { decision: 'allow', inAudience: true, rendered: true } as const;
const NO = { decision: 'deny', inAudience: false, rendered: false } as const;

describeEachDialect('one consent rule, every view', (env) => {
  it('(a) after a deletion a purchase does not enroll the address again; a new contest entry does', async () => {
    const e = env();
    const email = 'della.deleted@example.com';
    const first = await post(
      e,
      '/v1/orders',
      orderBody('one-a1', { buyer: { ...orderBody('x').buyer, email } }),
    );
    assert.equal(first.statusCode, 201, first.body);
    const firstId = first.json().subjectId as string;
    const request = await e.services.rights.submit(
      { type: 'deletion', jurisdiction: 'eea', email },
      { channel: 'account', sessionSubjectId: firstId },
    );
    await e.services.jobs.drain();
    assert.equal((await e.services.rights.get(request.requestId)).status, 'completed');

    const again = await post(
      e,
      '/v1/orders',
      orderBody('one-a2', { buyer: { ...orderBody('y').buyer, email } }),
    );
    assert.equal(again.statusCode, 201, again.body);
    const buyer = again.json().subjectId as string;
    assert.notEqual(buyer, firstId, 'a new person: the deleted one is no longer found');
    assert.deepEqual(await views(e, buyer, 'email_marketing'), { state: 'withdrawn', ...NO });

    const entry = await post(e, '/v1/contest-entries', { name: 'Della', email });
    assert.equal(entry.statusCode, 201, entry.body);
    assert.equal(entry.json().subjectId, buyer);
    assert.deepEqual(await views(e, buyer, 'email_marketing'), { state: 'enrolled', ...YES });
    // The suppression was lifted for email marketing only: SMS and the rest stay suppressed.
    const idx = e.ctx.vault.blindIndex('email', email);
    assert.equal(await e.services.consent.isIdentifierSuppressed('email', idx, 'email_marketing'), false);
    assert.equal(await e.services.consent.isIdentifierSuppressed('email', idx, 'account_updates'), true);
  });

  it('(b) a registrant’s catalog tick grants catalog and updates, and every view says so', async () => {
    const e = env();
    const res = await post(e, '/v1/registrations', {
      account_id: 'acct-one-b',
      name: 'Rhea Registrant',
      email: 'rhea.reg@example.com',
      postal_address: address('9 Catalog Way'),
      catalog_opt_in: true,
    });
    assert.equal(res.statusCode, 201, res.body);
    const id = res.json().subjectId as string;
    const postal = await views(e, id, 'account_updates', 'marketing.postal', 'contact.postal_address');
    assert.deepEqual(
      { ...postal, rendered: undefined },
      {
        state: 'granted',
        decision: 'allow',
        inAudience: true,
        rendered: undefined,
      },
    );
    assert.deepEqual(await views(e, id, 'account_updates'), { state: 'granted', ...YES });
    const notPostal = await views(e, id, 'postal_marketing', 'marketing.postal', 'contact.postal_address');
    assert.equal(notPostal.state, 'none', 'the history does not say postal_marketing');
    assert.equal(notPostal.inAudience, false);
  });

  it('(c) unsubscribing from a marketing email ends every email channel the person was on', async () => {
    const e = env();
    const email = 'una.unsub@example.com';
    const cat = await post(e, '/v1/catalog-requests', catalogBody('one-c', { email }));
    const id = cat.json().subjectId as string;
    const reg = await post(e, '/v1/registrations', {
      account_id: 'acct-one-c',
      name: 'Una',
      email,
      catalog_opt_in: true,
    });
    assert.equal(reg.json().subjectId, id);
    assert.deepEqual(await views(e, id, 'email_marketing'), { state: 'enrolled', ...YES });
    assert.deepEqual(await views(e, id, 'account_updates'), { state: 'granted', ...YES });

    const mail = await post(e, '/v1/emails/render', { subjectId: id, subject: 'Sale', text: 'Now.' });
    const token = /\/u\/([A-Za-z0-9_-]+)/.exec(mail.json().unsubscribeUrl as string)?.[1];
    assert.ok(token);
    const click = await e.app.inject({
      method: 'POST',
      url: `/u/${token}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    assert.ok(click.statusCode < 300, click.body);
    assert.deepEqual(await views(e, id, 'email_marketing'), { state: 'withdrawn', ...NO });
    assert.deepEqual(await views(e, id, 'account_updates'), { state: 'withdrawn', ...NO });
    // Postal mail is not email: the catalog requester still gets the printed catalog (P12).
    const postal = await views(e, id, 'postal_marketing', 'marketing.postal', 'contact.postal_address');
    assert.equal(postal.state, 'enrolled');
    assert.equal(postal.inAudience, true);
  });
});
