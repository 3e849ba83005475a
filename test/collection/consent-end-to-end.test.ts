// The collection endpoints and the consent rules together: who each act enrolls, and who it never
// enrolls (P3, P4, P5, P8, P9, P11, P12).
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachDialect } from '../helpers/env.js';
import { address, catalogBody, giftRecipient, nextPhone, orderBody, post } from './fixtures.js';

describeEachDialect('collection and consent, end to end', (env) => {
  const states = (id: string) => env().services.consent.states(id);
  const decideEmail = async (id: string) =>
    (
      await post(env(), '/v1/decisions', {
        subject: { id },
        purpose: 'marketing.email',
        categories: ['contact.email'],
      })
    ).json().decision;

  it('enrolls a buyer in email marketing (P9) and never the gift recipient (P3)', async () => {
    const res = await post(env(), '/v1/orders', orderBody('e1', { gift_recipient: giftRecipient('e1') }));
    assert.equal(res.statusCode, 201);
    const { subjectId, giftRecipientSubjectId } = res.json();
    assert.deepEqual(await states(subjectId), { email_marketing: 'enrolled' });
    assert.deepEqual(await states(giftRecipientSubjectId), {});
    assert.equal(await decideEmail(subjectId), 'allow');
    assert.equal(await decideEmail(giftRecipientSubjectId), 'deny');
  });

  it('never enrolls a correspondent (P4) and refuses any use of their address but the reply', async () => {
    const res = await post(env(), '/v1/inbound-messages', {
      from: 'only.replies@example.com',
      subject: 'Question',
      received_at: '2026-01-15T09:00:00Z',
    });
    const { subjectId } = res.json();
    assert.deepEqual(await states(subjectId), {});
    assert.equal(await decideEmail(subjectId), 'deny');
    const reply = await post(env(), '/v1/decisions', {
      subject: { id: subjectId },
      purpose: 'support.reply',
      categories: ['contact.email'],
    });
    assert.equal(reply.json().decision, 'allow');
  });

  it('grants SMS marketing to an SMS subscriber and nothing by email', async () => {
    const res = await post(env(), '/v1/sms-signups', { phone: nextPhone(), consent_text: 'Text me offers.' });
    const { subjectId } = res.json();
    assert.deepEqual(await states(subjectId), { sms_marketing: 'granted' });
    const sms = await post(env(), '/v1/decisions', {
      subject: { id: subjectId },
      purpose: 'marketing.sms',
      categories: ['contact.phone'],
    });
    assert.equal(sms.json().decision, 'allow');
  });

  it('grants catalog and updates only when the registration box is ticked (P5)', async () => {
    const ticked = await post(env(), '/v1/registrations', {
      account_id: 'acct-yes',
      name: 'Tia Ticked',
      email: 'tia@example.com',
      postal_address: address('2 Opt Lane'),
      catalog_opt_in: true,
    });
    // The box grants "catalog and updates" (account_updates), the one channel whose rule covers
    // account holders: its history, decisions and audiences say the same (issue 14).
    assert.deepEqual(await states(ticked.json().subjectId), { account_updates: 'granted' });
    const unticked = await post(env(), '/v1/registrations', {
      account_id: 'acct-no',
      name: 'Uma Unticked',
      email: 'uma@example.com',
    });
    assert.deepEqual(await states(unticked.json().subjectId), {});
    assert.equal(await decideEmail(unticked.json().subjectId), 'deny');
    assert.equal(await decideEmail(ticked.json().subjectId), 'allow');
  });

  it('enrolls contest entrants and catalog requesters (P8, P12); a contest entry re-enrolls after an unsubscribe, a purchase does not (P11)', async () => {
    const cat = await post(env(), '/v1/catalog-requests', catalogBody('e5', { email: 'loyal@example.com' }));
    const id = cat.json().subjectId;
    assert.deepEqual(await states(id), { email_marketing: 'enrolled', postal_marketing: 'enrolled' });
    await env().services.consent.unsubscribe(undefined, {
      subjectId: id,
      channel: 'email_marketing',
      cause: { type: 'link_click' },
    });
    const order = await post(
      env(),
      '/v1/orders',
      orderBody('e5', { buyer: { ...orderBody('e5').buyer, email: 'LOYAL@example.com' } }),
    );
    assert.equal(order.json().subjectId, id);
    assert.equal((await states(id)).email_marketing, 'withdrawn');
    const entry = await post(env(), '/v1/contest-entries', { email: 'loyal@example.com' });
    assert.equal(entry.json().subjectId, id);
    assert.equal((await states(id)).email_marketing, 'enrolled');
  });
});
