import assert from 'node:assert/strict';
import { it } from 'node:test';
import { simpleParser } from 'mailparser';
import { describeEachDialect } from '../helpers/env.js';
import { contestEntry, countRows, order } from './helpers.js';

describeEachDialect('one-click unsubscribe and campaign email', (env) => {
  let buyer = '';
  let gift = '';
  let token = '';

  const render = (subjectId: string, extra: Record<string, unknown> = {}) =>
    env().app.inject({
      method: 'POST',
      url: '/v1/emails/render',
      payload: { subjectId, subject: 'New arrivals', text: 'Our spring rings are here.', ...extra },
    });

  it('renders a full RFC 5322 message with List-Unsubscribe headers, footer link and postal address', async () => {
    const o = await order(env(), 'ann@example.com', { email: 'gil@example.com' });
    buyer = o.subjectId!;
    gift = o.giftRecipientSubjectId!;
    assert.ok(gift && gift !== buyer);
    const res = await render(buyer);
    assert.equal(res.statusCode, 200, res.body);
    const { message, unsubscribeUrl } = res.json();
    const mail = await simpleParser(message);
    assert.equal(mail.subject, 'New arrivals');
    assert.equal(
      mail.to && !Array.isArray(mail.to) ? mail.to.value[0]?.address : undefined,
      'ann@example.com',
    );
    assert.equal(mail.from?.value[0]?.address, env().ctx.policy.doc.controller.email);
    assert.ok(mail.messageId);
    assert.equal(mail.date?.toISOString(), env().clock.now().toISOString());
    // header lines as the parser read them (unfolded)
    const header = (name: string) =>
      mail.headerLines
        .find((h) => h.key === name)
        ?.line.replace(/\r?\n[ \t]+/g, ' ')
        .slice(name.length + 1)
        .trim();
    const listUnsub = header('list-unsubscribe');
    assert.equal(listUnsub, `<${unsubscribeUrl}>`);
    assert.equal(header('list-unsubscribe-post'), 'List-Unsubscribe=One-Click');
    const m = /\/u\/([A-Za-z0-9_-]{43})$/.exec(unsubscribeUrl);
    assert.ok(m, 'the URL carries an opaque token');
    token = m[1]!;
    // nothing personal is readable in the token or the URL
    assert.ok(!unsubscribeUrl.includes('ann') && !unsubscribeUrl.includes(buyer));
    assert.ok(mail.text?.includes(unsubscribeUrl));
    assert.ok(mail.text?.includes(env().ctx.policy.doc.controller.postal_address));
    assert.ok(String(mail.html).includes(`href="${unsubscribeUrl}"`));
    assert.ok(String(mail.html).includes(env().ctx.policy.doc.controller.postal_address));
    // only the token's keyed hash is stored
    const rows = await env().store.db.selectFrom('unsubscribe_tokens').selectAll().execute();
    assert.ok(rows.every((r) => r.token_index !== token));
  });

  it('refuses to render for a gift recipient (P3)', async () => {
    const res = await render(gift);
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.code, 'VOW_CONSENT_DENIED');
  });

  it('shows a confirmation page on GET and does not unsubscribe', async () => {
    const res = await env().app.inject({ method: 'GET', url: `/u/${token}` });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /text\/html/);
    assert.match(res.body, /<form method="post" action="\/u\/[A-Za-z0-9_-]{43}">/);
    assert.match(res.body, /name="List-Unsubscribe" value="One-Click"/);
    assert.equal((await env().services.consent.states(buyer)).email_marketing, 'enrolled');
  });

  it('refuses a POST with the wrong body and changes nothing', async () => {
    const before = await countRows(env(), 'consent_events');
    for (const payload of ['List-Unsubscribe=Yes', 'other=1', '']) {
      const res = await env().app.inject({
        method: 'POST',
        url: `/u/${token}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload,
      });
      assert.equal(res.statusCode, 400, payload);
      assert.equal(res.json().error.code, 'VOW_VALIDATION');
    }
    assert.equal(await countRows(env(), 'consent_events'), before);
    assert.equal((await env().services.consent.states(buyer)).email_marketing, 'enrolled');
  });

  it('unsubscribes on the one-click POST without cookies, with 200 and no redirect, idempotently', async () => {
    const post = () =>
      env().app.inject({
        method: 'POST',
        url: `/u/${token}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'List-Unsubscribe=One-Click',
      });
    const res = await post();
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers.location, undefined);
    assert.equal(res.headers['set-cookie'], undefined);
    assert.equal((await env().services.consent.states(buyer)).email_marketing, 'withdrawn');
    const again = await post();
    assert.equal(again.statusCode, 200);
    const unsubscribes = (await env().services.consent.history(buyer)).filter(
      (e) => e.event === 'unsubscribed',
    );
    assert.equal(unsubscribes.length, 1);
    assert.equal(unsubscribes[0]!.cause_type, 'link_click');
    // decide() now denies email marketing to this person, naming the opt-out
    const decision = await env().app.inject({
      method: 'POST',
      url: '/v1/decisions',
      payload: { subject: { id: buyer }, purpose: 'marketing.email', categories: ['contact.email'] },
    });
    assert.equal(decision.json().decision, 'deny');
    assert.ok(
      (decision.json().reasons as { code: string; channel?: string }[]).some(
        (r) => r.code === 'objected' && r.channel === 'email_marketing',
      ),
    );
    // the page now says so, and rendering is refused
    const page = await env().app.inject({ method: 'GET', url: `/u/${token}` });
    assert.match(page.body, /already unsubscribed/);
    const denied = await render(buyer);
    assert.equal(denied.statusCode, 403);
    assert.equal(denied.json().error.code, 'VOW_CONSENT_DENIED');
  });

  it('keeps the buyer unsubscribed after a later purchase (P11)', async () => {
    env().clock.advance(30 * 86_400_000);
    await order(env(), 'ANN@example.com ');
    assert.equal((await env().services.consent.states(buyer)).email_marketing, 'withdrawn');
  });

  it('re-enrolls the same person when they enter a contest afterwards (P11), and mail may go again', async () => {
    const entry = await contestEntry(env(), 'ann@example.com');
    assert.equal(entry.subjectId, buyer);
    assert.equal((await env().services.consent.states(buyer)).email_marketing, 'enrolled');
    const last = (await env().services.consent.history(buyer)).at(-1)!;
    assert.deepEqual([last.event, last.cause_ref], ['re_enrolled', 'contest_entry']);
    const res = await render(buyer);
    assert.equal(res.statusCode, 200, res.body);
  });

  it('answers an unknown or malformed token with 404 and a stable code, changing nothing', async () => {
    const before = await countRows(env(), 'consent_events');
    const fake = 'A'.repeat(43);
    const page = await env().app.inject({ method: 'GET', url: `/u/${fake}` });
    assert.equal(page.statusCode, 404);
    assert.match(page.body, /not valid/);
    for (const t of [fake, 'short']) {
      const res = await env().app.inject({
        method: 'POST',
        url: `/u/${t}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'List-Unsubscribe=One-Click',
      });
      assert.equal(res.statusCode, 404);
      assert.equal(res.json().error.code, 'VOW_UNSUBSCRIBE_TOKEN_INVALID');
    }
    assert.equal(await countRows(env(), 'consent_events'), before);
  });

  it('refuses bad render requests with stable codes', async () => {
    const unknown = await render('00000000-0000-4000-8000-000000000000');
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json().error.code, 'VOW_UNKNOWN_SUBJECT');
    const extra = await render(buyer, { bcc: 'x@example.com' });
    assert.equal(extra.statusCode, 400);
    assert.equal(extra.json().error.code, 'VOW_VALIDATION');
    const channel = await render(buyer, { channel: 'fax' });
    assert.equal(channel.statusCode, 400);
    assert.equal(channel.json().error.code, 'VOW_CONSENT_UNKNOWN_CHANNEL');
  });

  it('forgets the tokens of a person marked as under 13 (P14)', async () => {
    // Four eyes: proposed over the API, approved by a privacy officer who is another person.
    const res = await env().app.inject({
      method: 'POST',
      url: '/v1/subjects/under13',
      payload: { subjectId: buyer },
    });
    assert.equal(res.statusCode, 202, res.body);
    await env().services.under13.approve(res.json().id, 'another-privacy-officer');
    const left = await env()
      .store.db.selectFrom('unsubscribe_tokens')
      .select('token_index')
      .where('subject_id', '=', buyer)
      .execute();
    assert.deepEqual(left, []);
    const page = await env().app.inject({ method: 'GET', url: `/u/${token}` });
    assert.equal(page.statusCode, 404);
  });
});
