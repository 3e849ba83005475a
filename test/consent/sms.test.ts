import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSmsKeyword } from '../../src/modules/consent/sms.js';
import { describeEachDialect } from '../helpers/env.js';
import { countRows, smsSignup } from './helpers.js';

describe('SMS keywords', () => {
  it('reads STOP and its synonyms in any case with surrounding spaces', () => {
    for (const body of [
      'STOP',
      ' stop ',
      'Stop.',
      'stopall',
      'UNSUBSCRIBE',
      'cancel',
      'End',
      'quit',
      'revoke',
      'optout',
      ' opt   out ',
    ]) {
      assert.equal(parseSmsKeyword(body)?.kind, 'stop', body);
    }
    assert.equal(parseSmsKeyword('start')?.kind, 'start');
    assert.equal(parseSmsKeyword(' UNSTOP ')?.kind, 'start');
    assert.equal(parseSmsKeyword('help')?.kind, 'help');
    // A stop word anywhere in a short reply revokes (FCC 2024: any reasonable means); see sms-replies.test.ts.
    assert.equal(parseSmsKeyword('please stop texting me at night')?.kind, 'stop');
    assert.equal(parseSmsKeyword('stopp'), undefined);
  });
});

describeEachDialect('SMS inbound webhook', (env) => {
  const phone = '+16085550123';
  const inbound = (body: string, from = phone) =>
    env().app.inject({ method: 'POST', url: '/v1/sms/inbound', payload: { from, body } });

  it('withdraws on "  stop  " in lower case with spaces, with one confirmation and no marketing', async () => {
    const { subjectId } = await smsSignup(env(), '(608) 555-0123');
    assert.equal((await env().services.consent.states(subjectId!)).sms_marketing, 'granted');
    const res = await inbound('  stop  ');
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.action, 'stop');
    assert.match(body.reply, /unsubscribed/);
    assert.doesNotMatch(body.reply, /offer|sale|%/i);
    assert.equal((await env().services.consent.states(subjectId!)).sms_marketing, 'withdrawn');
    const last = (await env().services.consent.history(subjectId!)).at(-1)!;
    assert.deepEqual([last.event, last.cause_type, last.cause_ref], ['withdrawn', 'sms_keyword', 'STOP']);
    // a second STOP gets no second confirmation and adds no event
    const events = await countRows(env(), 'consent_events');
    const again = await inbound('STOP');
    assert.equal(again.json().reply, null);
    assert.equal(await countRows(env(), 'consent_events'), events);
  });

  it('restores consent on START for someone who consented before', async () => {
    const res = await inbound('start');
    assert.equal(res.json().action, 'start');
    assert.match(res.json().reply, /resubscribed/);
    const subjects = await env()
      .store.db.selectFrom('consent_state')
      .select(['subject_ref', 'state'])
      .where('channel', '=', 'sms_marketing')
      .execute();
    assert.deepEqual(
      subjects.map((s) => s.state),
      ['granted'],
    );
  });

  it('does not subscribe a number that never consented on START', async () => {
    const before = await countRows(env(), 'consent_events');
    const res = await inbound('START', '+16085550199');
    assert.equal(res.statusCode, 200);
    assert.match(res.json().reply, /no text subscription/);
    assert.equal(await countRows(env(), 'consent_events'), before);
  });

  it('answers HELP with brand, frequency, rates, contact and how to stop', async () => {
    const reply: string = (await inbound(' help ')).json().reply;
    const c = env().ctx.policy.doc.controller;
    assert.ok(reply.includes(c.name));
    assert.ok(reply.includes('Msg & data rates may apply'));
    assert.ok(reply.includes(c.phone));
    assert.ok(reply.includes('Reply STOP to cancel'));
    assert.match(reply, /frequency/i);
  });

  it('withdraws on OPT OUT', async () => {
    const res = await inbound('Opt Out');
    assert.equal(res.json().action, 'stop');
    const rows = await env()
      .store.db.selectFrom('consent_state')
      .select('state')
      .where('channel', '=', 'sms_marketing')
      .execute();
    assert.deepEqual(
      rows.map((r) => r.state),
      ['withdrawn'],
    );
  });

  it('ignores other texts and refuses bad input with stable codes, changing nothing', async () => {
    const before = await countRows(env(), 'consent_events');
    const other = await inbound('what time do you open?');
    assert.deepEqual(other.json(), { action: 'ignored', reply: null });
    for (const payload of [
      { from: phone },
      { from: phone, body: 'STOP', extra: 1 },
      { from: 12, body: 'STOP' },
    ]) {
      const res = await env().app.inject({ method: 'POST', url: '/v1/sms/inbound', payload });
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().error.code, 'VOW_VALIDATION');
    }
    const bad = await inbound('STOP', 'not-a-phone');
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.code, 'VOW_VALIDATION');
    assert.equal(await countRows(env(), 'consent_events'), before);
  });
});
