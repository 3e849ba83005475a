// SMS revocation by any reasonable means (FCC 2024 rule): a table of real-world replies, and the
// flow for one the gateway cannot read as plainly STOP (flagged for staff, decided, one confirmation).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSmsKeyword } from '../../src/modules/consent/sms.js';
import { describeEachDialect } from '../helpers/env.js';
import { smsSignup } from './helpers.js';

type Kind = 'stop' | 'start' | 'help' | 'ambiguous' | 'ignored';

const REPLIES: readonly (readonly [string, Kind])[] = [
  ['STOP', 'stop'],
  ['stop', 'stop'],
  ['Stop.', 'stop'],
  ['STOP!!!', 'stop'],
  ['“Stop”', 'stop'],
  ['stop 🛑', 'stop'],
  ['Stop please', 'stop'],
  ['STOP PLEASE', 'stop'],
  ['please stop', 'stop'],
  ['Please stop texting me', 'stop'],
  ['stop sending me these', 'stop'],
  ['Stop. Stop. Stop.', 'stop'],
  ['STOP - wrong number', 'stop'],
  ['stop!! who is this', 'stop'],
  ['STOPALL', 'stop'],
  ['quit', 'stop'],
  ['Quit texting me', 'stop'],
  ['END', 'stop'],
  ['end it', 'stop'],
  ['revoke', 'stop'],
  ['I revoke my consent', 'stop'],
  ['opt out', 'stop'],
  ['Opt-out', 'stop'],
  ['OPTOUT', 'stop'],
  ['opt out please', 'stop'],
  ['cancel', 'stop'],
  ['Cancel my subscription', 'stop'],
  ['unsubscribe', 'stop'],
  ['Unsubscribe me please', 'stop'],
  ['UNSUBSCRIBE!!', 'stop'],
  ['PARAR', 'stop'],
  ['parar por favor', 'stop'],
  ['Cancelar', 'stop'],
  ['CANCELAR SUSCRIPCIÓN', 'stop'],
  ['No más mensajes', 'stop'],
  ['Baja', 'stop'],
  ['darme de baja', 'stop'],
  ['Detener', 'stop'],
  ['fin', 'stop'],
  ['remove me', 'ambiguous'],
  ['Take me off your list', 'ambiguous'],
  ['wrong number', 'ambiguous'],
  ['Leave me alone', 'ambiguous'],
  ["Don't text me again", 'ambiguous'],
  ['not interested', 'ambiguous'],
  ['no more texts', 'ambiguous'],
  ["Don't stop, I love these deals", 'ambiguous'],
  ['What time does the sale end?', 'ambiguous'],
  ['I never signed up for this so please stop sending me messages every single day', 'ambiguous'],
  ['stop start', 'ambiguous'],
  ['No me escriban más', 'ambiguous'],
  ['START', 'start'],
  ['unstop', 'start'],
  ['Start.', 'start'],
  ['HELP', 'help'],
  ['info', 'help'],
  ['Help?', 'help'],
  ['Ayuda', 'help'],
  ['Thanks!', 'ignored'],
  ['Love the new collection', 'ignored'],
  ['What is the price of the ring?', 'ignored'],
  ['ok', 'ignored'],
  ['Stopwatch on sale?', 'ignored'],
  ['stopp', 'ignored'],
  ['', 'ignored'],
];

describe('SMS replies, as people write them', () => {
  for (const [body, kind] of REPLIES)
    it(`${JSON.stringify(body)} is ${kind}`, () => {
      assert.equal(parseSmsKeyword(body)?.kind ?? 'ignored', kind);
    });
});

describeEachDialect('SMS replies through the gateway webhook', (env) => {
  const phone = '+16085550142';
  const inbound = (body: string) =>
    env().app.inject({ method: 'POST', url: '/v1/sms/inbound', payload: { from: phone, body } });

  it('"Please stop texting me" withdraws at once, with one confirmation and the words as evidence', async () => {
    const { subjectId } = await smsSignup(env(), '(608) 555-0142');
    const res = (await inbound('Please stop texting me')).json();
    assert.equal(res.action, 'stop');
    assert.match(res.reply, /unsubscribed/);
    assert.equal((await env().services.consent.states(subjectId!)).sms_marketing, 'withdrawn');
    const last = (await env().services.consent.history(subjectId!)).at(-1)!;
    assert.deepEqual([last.event, last.cause_type, last.cause_ref], ['withdrawn', 'sms_keyword', 'STOP']);
    assert.equal((await inbound('STOP PLEASE')).json().reply, null, 'one confirmation only');
  });

  it('an ambiguous reply is flagged for staff, not ignored; revoking it withdraws with the flag as evidence', async () => {
    const { subjectId } = await smsSignup(env(), '(608) 555-0143');
    const from = '+16085550143';
    const res = await env().app.inject({
      method: 'POST',
      url: '/v1/sms/inbound',
      payload: { from, body: 'take me off your list' },
    });
    assert.deepEqual(res.json(), { action: 'flagged', reply: null });
    assert.equal((await env().services.consent.states(subjectId!)).sms_marketing, 'granted');
    const flags = (await env().app.inject({ url: '/v1/sms/flags?open=true' })).json();
    const flag = flags.find((f: { subjectId: string }) => f.subjectId === subjectId);
    assert.equal(flag.text, 'take me off your list');
    assert.equal(flag.word, 'TAKE ME OFF');
    const decided = await env().app.inject({
      method: 'POST',
      url: `/v1/sms/flags/${flag.id}/decide`,
      payload: { decision: 'revoke' },
    });
    assert.equal(decided.statusCode, 200, decided.body);
    assert.equal(decided.json().status, 'revoked');
    assert.match(decided.json().reply, /unsubscribed/);
    assert.equal((await env().services.consent.states(subjectId!)).sms_marketing, 'withdrawn');
    const last = (await env().services.consent.history(subjectId!)).at(-1)!;
    assert.deepEqual([last.event, last.cause_type, last.cause_ref], ['withdrawn', 'staff', flag.id]);
    // Decided: its text is gone, and it cannot be decided twice.
    const all = (await env().app.inject({ url: '/v1/sms/flags' })).json();
    assert.equal(all.find((f: { id: string }) => f.id === flag.id).text, null);
    const again = await env().app.inject({
      method: 'POST',
      url: `/v1/sms/flags/${flag.id}/decide`,
      payload: { decision: 'dismiss' },
    });
    assert.equal(again.json().error.code, 'VOW_SMS_FLAG_NOT_FOUND');
  });
});
