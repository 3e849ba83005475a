// Spanish (es-US) for what Vow writes to people: every message about a request or a complaint exists
// in both languages, a message in es-US holds no English sentence, the language comes from the API's
// `locale` or from the browser on the pages, and stays with the request for its later messages.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { COMPLAINT_MAIL } from '../../src/modules/complaints/mail-text.js';
import { RIGHTS_MAIL } from '../../src/modules/rights/mail-text.js';
import { negotiateLocale } from '../../src/platform/i18n/index.js';
import { describeEachDialect, type TestEnv } from '../helpers/env.js';
import { connectHarness, type RightsHarness } from '../rights/helpers.js';

/** Words that never appear in a Spanish message (whole words, any case). */
const ENGLISH =
  /\b(the|your|you|we|our|request|data|please|within|ends|received|answer|complaint|deleted|kept|nothing)\b/i;

/** Addresses are not words of the message (a status link holds `/privacy/request/…`). */
const withoutUrls = (text: string) => text.replace(/https?:\/\/\S+/g, '');

/** Every message of a catalog, with sample values that are not English words themselves. */
function samples(locale: 'en-US' | 'es-US'): { name: string; subject: string; text: string }[] {
  const r = RIGHTS_MAIL[locale];
  const c = COMPLAINT_MAIL[locale];
  const t = r.typeName.deletion;
  const out = {
    code: r.code({
      shop: 'Joyas',
      type: t,
      receivedOn: '2026-03-02',
      code: '123456',
      statusUrl: 'https://x.test/s/1',
      dueOn: '2026-04-02',
    }),
    codeAgain: r.code({
      shop: 'Joyas',
      type: t,
      receivedOn: '2026-03-02',
      code: '123456',
      statusUrl: 'https://x.test/s/1',
      dueOn: '2026-04-02',
      again: true,
    }),
    corrected: r.corrected({ category: 'Dirección postal' }),
    extended: r.extended({ type: t, receivedOn: '2026-03-02', reason: '…', dueOn: '2026-05-02' }),
    denied: r.denied({
      type: t,
      basis: '…',
      regulator: 'AEPD',
      appeal: { days: 60, cite: 'Va. Code § 59.1-578(C)' },
    }),
    deniedNoRegulator: r.denied({ type: t, basis: '…', regulator: undefined }),
    appealGranted: r.appealDecided({ granted: true, type: t, reasons: '…' }),
    appealUpheld: r.appealDecided({
      granted: false,
      type: t,
      reasons: '…',
      attorneyGeneral: { name: 'Fiscal General', url: 'https://ag.test' },
    }),
    restrictionLifted: r.restrictionLifted({ since: '2026-03-02', reason: '…' }),
    restrictedAll: r.restricted({ purposes: 'all' }),
    restrictedSome: r.restricted({ purposes: ['Envío'] }),
    accessReady: r.accessReady({ type: r.typeName.access, link: 'https://x.test/e/1', categoriesOnly: true }),
    deletedAll: r.deleted({ categories: 'all', kept: ['Historial de pedidos: exención'] }),
    deletedSome: r.deleted({ categories: ['Teléfono'], kept: [] }),
    erasedAccess: r.erasedMeanwhile({ kind: 'access', type: r.typeName.access }),
    erasedCorrection: r.erasedMeanwhile({ kind: 'correction', type: r.typeName.correction }),
    erasedRestriction: r.erasedMeanwhile({ kind: 'restriction', type: r.typeName.restriction }),
    complaintReceived: c.received({
      receivedOn: '2026-03-02',
      dueOn: '2026-04-02',
      statusUrl: 'https://x.test/c/1',
      regulator: { name: 'AEPD', url: 'https://aepd.test' },
    }),
    complaintReply: c.reply({ text: '…', regulator: { name: 'AEPD', url: 'https://aepd.test' } }),
  };
  return Object.entries(out).map(([name, m]) => ({ name, ...m }));
}

describe('messages in es-US', () => {
  it('every message has a Spanish version with no English word left', () => {
    const es = samples('es-US');
    const en = samples('en-US');
    assert.equal(es.length, en.length);
    for (const [i, m] of es.entries()) {
      assert.doesNotMatch(withoutUrls(`${m.subject}\n${m.text}`), ENGLISH, `${m.name} in es-US`);
      assert.notEqual(m.text, en[i]?.text, `${m.name} is translated`);
      // The check can fail: the English version is caught by it.
      assert.match(`${en[i]?.subject}\n${en[i]?.text}`, ENGLISH, `${m.name} in en-US is English`);
    }
    for (const name of Object.values(RIGHTS_MAIL['es-US'].typeName)) assert.doesNotMatch(name, ENGLISH);
  });

  it('reads the language from the browser, by language, and a choice wins', () => {
    assert.equal(negotiateLocale('es-MX,es;q=0.9,en;q=0.5'), 'es-US');
    assert.equal(negotiateLocale('en-GB,es;q=0.4'), 'en-US');
    assert.equal(negotiateLocale('fr,de'), 'en-US');
    assert.equal(negotiateLocale(undefined), 'en-US');
    assert.equal(negotiateLocale('es', 'en-US'), 'en-US');
    assert.equal(negotiateLocale('en', 'es-US'), 'es-US');
  });
});

describeEachDialect('a request and a complaint in es-US', (env) => {
  let h: RightsHarness;
  before(() => {
    h = connectHarness(env());
  });

  /** POSTs `payload` to `url` (accepted, 202), delivers the mail, and returns the last one sent to `to`. */
  async function acceptedAndMailed(e: TestEnv, url: string, to: string, payload: Record<string, unknown>) {
    const made = await e.app.inject({ method: 'POST', url, payload });
    assert.equal(made.statusCode, 202, made.body);
    await h.drain();
    return h.mailsTo(to).at(-1);
  }

  it('a request made in es-US is answered in Spanish from the code to the refusal', async () => {
    const e = env();
    const code = await acceptedAndMailed(e, '/v1/requests', 'ana@example.org', {
      type: 'deletion',
      jurisdiction: 'us-ca',
      email: 'ana@example.org',
      locale: 'es-US',
    });
    assert.match(code?.subject ?? '', /código de confirmación/);
    assert.doesNotMatch(withoutUrls(code?.text ?? ''), ENGLISH);
    const list = (await e.app.inject({ url: '/v1/staff/requests' })).json() as { requests: { id: string }[] };
    const id = list.requests.at(0)?.id;
    assert.ok(id);
    const denied = await e.app.inject({
      method: 'POST',
      url: `/v1/staff/requests/${id}/deny`,
      payload: { basis: 'Sin verificar' },
    });
    assert.equal(denied.statusCode, 200, denied.body);
    await h.drain();
    const refusal = h.mailsTo('ana@example.org').at(-1);
    assert.equal(refusal?.subject, 'Su solicitud de privacidad');
    assert.doesNotMatch(withoutUrls(refusal?.text ?? ''), ENGLISH);
  });

  it('the request page takes the browser’s language; English stays the default', async () => {
    const e = env();
    const page = await e.app.inject({ url: '/privacy/request' });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const cookie = page.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    for (const [who, language] of [
      ['luis@example.org', 'es-MX,es;q=0.9'],
      ['lou@example.org', 'en-US'],
    ] as const) {
      const res = await e.app.inject({
        method: 'POST',
        url: '/privacy/request',
        headers: { 'accept-language': language, cookie },
        payload: { _csrf: csrf, type: 'access', jurisdiction: 'eea', email: who },
      });
      assert.ok([302, 303].includes(res.statusCode), res.body);
    }
    await h.drain();
    assert.match(h.mailsTo('luis@example.org').at(-1)?.subject ?? '', /Su solicitud de privacidad/);
    assert.match(h.mailsTo('lou@example.org').at(-1)?.subject ?? '', /Your .* privacy request/);
  });

  it('a complaint made in es-US is acknowledged in Spanish', async () => {
    const e = env();
    const ack = await acceptedAndMailed(e, '/v1/complaints', 'queja@example.org', {
      jurisdiction: 'eea',
      email: 'queja@example.org',
      message: 'Sin respuesta',
      locale: 'es-US',
    });
    assert.equal(ack?.subject, 'Recibimos su queja sobre privacidad');
    assert.doesNotMatch(withoutUrls(ack?.text ?? ''), ENGLISH);
  });
});
