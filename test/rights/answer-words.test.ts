// A form's coded answers read as the words the form offered, in the reader's language: the catalog
// request's relationship status, budget, age range, where you live, gender and jewelry, stored as
// codes ("1000_2000", "no_thanks"), are "$1,000 to $2,000" and "Prefer not to say" (or in Spanish)
// in "My data", its downloads and the access export, never the code; a stored code the form no
// longer offers shows as stored, with a note, not an error. Through the store on every dialect
// (the export of a real catalog request), and in "My data"'s page and downloads.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { myDataDocument, renderMyDataPage } from '../../src/http/pages/account.js';
import { answerLabel, offeredAnswers } from '../../src/http/pages/answer-words.js';
import { ANSWER_WORDS } from '../../src/http/pages/i18n/answers.js';
import { plainData, plainDataCsv, type StoredValue } from '../../src/http/pages/plain-data.js';
import { loadPolicy } from '../../src/modules/policy/index.js';
import { LOCALES, type Locale } from '../../src/platform/i18n/index.js';
import type { OutgoingMessage } from '../../src/platform/mail/index.js';
import { catalogBody, post } from '../collection/fixtures.js';
import { describeEachDialect } from '../helpers/env.js';
import { captureMail, exportLink } from './real-flow.js';

const policy = loadPolicy();

/** What each of the catalog's answers must read, by language. */
const EXPECTED: Record<Locale, Record<string, string>> = {
  'en-US': {
    'Relationship status': 'Engaged',
    Budget: '$1,000 to $2,000',
    'Age range': '25 to 34',
    'Type of home': 'In the suburbs',
    Gender: 'Prefer not to say',
    'Jewelry you are interested in': 'Engagement ring; Wedding band',
  },
  'es-US': {
    'Estado civil': 'Con compromiso de boda',
    Presupuesto: 'De $1,000 a $2,000',
    'Rango de edad': 'De 25 a 34',
    'Tipo de vivienda': 'En las afueras',
    Género: 'Prefiero no decirlo',
    'Joyas que le interesan': 'Anillo de compromiso; Alianza de boda',
  },
};

/** The catalog request's fields in a plain document: label -> words. */
function catalogFields(doc: ReturnType<typeof plainData>): Record<string, string> {
  const labels = new Set(LOCALES.flatMap((l) => Object.keys(EXPECTED[l])));
  const section = doc.sections.find((s) => s.records.some((r) => r.fields.some((f) => labels.has(f.label))));
  assert.ok(section, 'a section holds the catalog request');
  return Object.fromEntries(section.records.flatMap((r) => r.fields.map((f) => [f.label, f.value])));
}

describe('a form’s answers in words', () => {
  it('words every answer each built-in form offers, in every language, never as its code', () => {
    for (const point of Object.values(policy.doc.collection_points))
      for (const [name, field] of Object.entries(point.fields))
        for (const code of field.values ?? [])
          for (const locale of LOCALES) {
            const words = answerLabel(name, code, locale);
            assert.ok(!words.includes('_'), `${name}=${code} (${locale}): ${words}`);
            assert.notEqual(words, code);
          }
    assert.equal(answerLabel('budget', 'under_500', 'en-US'), 'Under $500');
    assert.equal(answerLabel('budget', 'over_5000', 'es-US'), 'Más de $5,000');
    assert.equal(answerLabel('age_range', '65_plus', 'en-US'), '65 or more');
    assert.equal(answerLabel('age_range', 'under_18', 'es-US'), 'Menos de 18');
    assert.deepEqual(offeredAnswers(policy, 'interest.budget', 'budget'), [
      'under_500',
      '500_1000',
      '1000_2000',
      '2000_5000',
      'over_5000',
    ]);
    assert.equal(offeredAnswers(policy, 'identity.name', 'first_name'), undefined, 'free text is no answer');
  });

  const stored = (column: string, category: string, value: unknown): StoredValue => ({
    table: 'catalog_requests',
    column,
    row: 'r1',
    category,
    purposes: ['marketing.postal'],
    value,
  });
  const values = (budget: string) => [
    stored('relationship_status', 'demographic.relationship_status', 'engaged'),
    stored('budget', 'interest.budget', budget),
    stored('age_range', 'demographic.age_range', '25_34'),
    stored('residence_type', 'demographic.residence_type', 'suburban'),
    stored('gender', 'demographic.gender', 'no_thanks'),
    stored('jewelry_types', 'interest.jewelry_types', '["engagement_ring","wedding_band"]'),
  ];

  for (const locale of LOCALES)
    it(`says the answers and a retired one in words on My data, its JSON and its CSV (${locale})`, () => {
      const doc = plainData(policy, values('1000_2000'), '2026-02-01T00:00:00Z', {}, locale);
      const fields = catalogFields(doc);
      for (const [label, words] of Object.entries(EXPECTED[locale]))
        assert.equal(fields[label], words, label);
      const csv = plainDataCsv(doc, locale);
      for (const words of Object.values(EXPECTED[locale]))
        assert.ok(csv.includes(words.includes(',') ? `"${words}"` : words), words);
      for (const code of ['1000_2000', 'no_thanks', '25_34', 'engagement_ring'])
        assert.ok(!JSON.stringify(doc).includes(code), `${code} is not shown`);

      // An answer the form no longer offers: the code as stored, with the note; no error.
      const retired = catalogFields(plainData(policy, values('under_250'), '', {}, locale));
      assert.equal(
        Object.entries(retired).find(([, v]) => v.startsWith('under_250'))?.[1],
        ANSWER_WORDS[locale].retired('under_250'),
      );

      // My data's page, whose view holds the values with where they came from.
      const view = {
        account: { email: 'sam@example.com', verified: true, createdAt: '2026-01-01T00:00:00Z' },
        linked: true,
        categories: values('1000_2000').map(({ category, purposes, ...origin }) => ({
          category,
          values: [{ value: origin.value, purposes, origin }],
        })),
        sources: ['catalog_request'],
        notes: [],
        generatedAt: '2026-02-01T00:00:00Z',
      } as unknown as Parameters<typeof renderMyDataPage>[2];
      const page = renderMyDataPage(
        policy,
        'csrf',
        view,
        {},
        { signedIn: true, locale, path: '/account/my-data' },
      );
      for (const words of Object.values(EXPECTED[locale]))
        assert.ok(page.includes(words.split('; ')[0]!), `${words} on My data`);
      assert.ok(!/\b1000_2000\b|\bno_thanks\b/.test(page.replace(/<(option|input)[^>]*>/g, '')));
      assert.deepEqual(catalogFields(myDataDocument(policy, view, locale)), fields);
    });
});

describeEachDialect('the access export of a catalog request, in words', (env) => {
  let sent: OutgoingMessage[] = [];
  before(() => {
    sent = captureMail(env);
  });

  it('words the stored answers in English and Spanish, and notes one the form no longer offers', async () => {
    const e = env();
    const email = 'cara.words@example.com';
    const res = await post(e, '/v1/catalog-requests', catalogBody('words', { email, gender: 'no_thanks' }));
    assert.equal(res.statusCode, 201, res.body);
    const subjectId = res.json().subjectId as string;
    // An answer from an older form: a code today's form no longer offers.
    await e.store.db
      .updateTable('catalog_requests')
      .set({ age_range: '18_20' })
      .where('subject_id', '=', subjectId)
      .execute();
    const r = await e.services.rights.submit(
      { type: 'access', jurisdiction: 'eea', email },
      { channel: 'account', sessionSubjectId: subjectId },
    );
    await e.services.jobs.drain();
    assert.equal((await e.services.rights.get(r.requestId)).status, 'completed');
    const link = exportLink(sent, email);
    for (const [locale, accept] of [
      ['en-US', 'en'],
      ['es-US', 'es-MX'],
    ] as const) {
      const json = await e.app.inject({
        url: `${link}/readable.json`,
        headers: { 'accept-language': accept },
      });
      assert.equal(json.statusCode, 200);
      const fields = catalogFields(json.json());
      const expected = { ...EXPECTED[locale] };
      const age = Object.keys(expected).find((k) => /Age|edad/.test(k))!;
      expected[age] = ANSWER_WORDS[locale].retired('18_20');
      for (const [label, words] of Object.entries(expected))
        assert.equal(fields[label], words, `${label} (${locale})`);
      const csv = await e.app.inject({ url: `${link}/readable.csv`, headers: { 'accept-language': accept } });
      assert.ok(csv.body.includes(EXPECTED[locale].Budget ?? EXPECTED[locale].Presupuesto!));
      const summary = await e.app.inject({ url: link, headers: { 'accept-language': accept } });
      assert.equal(summary.statusCode, 200);
      assert.ok(
        summary.body.includes(EXPECTED[locale]['Relationship status'] ?? EXPECTED[locale]['Estado civil']!),
      );
      assert.doesNotMatch(summary.body, /1000_2000|no_thanks/);
    }
  });
});
