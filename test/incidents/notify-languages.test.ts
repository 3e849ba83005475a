// The Art. 34 message in every language the policy is published in: Vow keeps no language per person,
// so each mail carries every version (the policy's own first, each marked with its language, in the
// text and the HTML parts). A missing or incomplete translation is refused with its code before
// anything is queued; a language the policy does not publish is invalid.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { TELL_PEOPLE_JOB } from '../../src/modules/incidents/index.js';
import { orderBody, post } from '../collection/fixtures.js';
import { describeEachDialect, type TestEnv } from '../helpers/env.js';
import { highRiskThroughService } from '../helpers/incidents.js';
import { captureMail } from '../helpers/mail.js';
import { ES, inBoth } from './notice-fixtures.js';

const EN = {
  subject: 'Jewelry Co: a breach concerns your address',
  whatHappened: 'A courier lost a box of printed packing slips.',
  consequences: 'Someone could send you mail pretending to be us.',
  measures: 'We changed courier.',
  advice: 'Be wary of <b>letters</b> asking you to pay.',
};

async function highRisk(e: TestEnv, tag: string): Promise<string> {
  for (const n of [`${tag}-1`, `${tag}-2`])
    assert.equal((await post(e, '/v1/orders', orderBody(n))).statusCode, 201);
  return highRiskThroughService(e, EN);
}

describeEachDialect('incidents: the Art. 34 message in every language of the policy', (env) => {
  it('is prefilled in English and Spanish, and each mail carries both, English first, marked with their language', async () => {
    const e = env();
    const sent = captureMail(e);
    const id = await highRisk(e, 'lang-a');
    const notices = e.services.incidentNotices;
    assert.deepEqual(
      notices.languages(),
      ['en-US', 'es-US'],
      'the test policy: en-US with an es-US translation',
    );
    const draft = await notices.draft(id);
    assert.deepEqual(
      draft.map((v) => v.lang),
      ['en-US', 'es-US'],
    );
    assert.equal(draft[0]?.whatHappened, EN.whatHappened, "the policy's language from the incident");
    assert.match(draft[1]!.subject, /una violación de datos personales/, 'the subject in Spanish');
    assert.equal(draft[1]?.whatHappened, '', 'the rest for the officer to translate');

    // Given in any order, the mail puts the policy's language first.
    const versions = inBoth(EN).reverse();
    const preview = await notices.preview(id, versions);
    assert.deepEqual(preview.languages, ['en-US', 'es-US']);
    assert.equal(preview.recipients, 2);
    await notices.queue(id, versions, 'officer-1');
    await e.services.jobs.drain();
    await e.services.jobs.drain();
    const mine = sent.filter((m) => m.subject.startsWith(EN.subject));
    assert.equal(mine.length, 2);
    for (const m of mine) {
      assert.equal(m.subject, `${EN.subject} / ${ES.subject}`);
      const en = m.text.indexOf('=== English (en-US) ===');
      const es = m.text.indexOf('=== Español (es-US) ===');
      assert.ok(en >= 0 && es > en, 'text: each version marked, English first');
      for (const part of [EN.whatHappened, EN.consequences, EN.measures])
        assert.ok(m.text.indexOf(part) > en && m.text.indexOf(part) < es, `English part ${part}`);
      for (const part of [ES.whatHappened, ES.consequences, ES.measures, ES.advice, 'RGPD art. 34'])
        assert.ok(m.text.indexOf(part) > es, `Spanish part ${part}`);
      const h = m.html ?? '';
      const hEn = h.indexOf('<section lang="en" data-lang="en-US">');
      const hEs = h.indexOf('<section lang="es" data-lang="es-US">');
      assert.ok(hEn >= 0 && hEs > hEn, 'html: each version in a section with its lang, English first');
      assert.ok(h.includes(ES.consequences) && h.includes('Lo que esto puede significar para usted'));
      assert.ok(
        h.includes('&lt;b&gt;letters&lt;/b&gt;') && !h.includes('<b>letters'),
        'the words are escaped',
      );
    }
    // Kept as queued: the page and the API show both versions.
    assert.deepEqual(
      (await notices.draft(id)).map((v) => [v.lang, v.subject]),
      [
        ['en-US', EN.subject],
        ['es-US', ES.subject],
      ],
    );
  });

  it('refuses a missing or incomplete translation with VOW_INCIDENT_TRANSLATION_MISSING before queueing', async () => {
    const e = env();
    const id = await highRisk(e, 'lang-b');
    const notices = e.services.incidentNotices;
    const jobs = async () => (await e.services.jobs.list({ name: TELL_PEOPLE_JOB })).length;
    const jobsBefore = await jobs();
    const cases = [
      [{ lang: 'en-US' as const, ...EN }],
      inBoth(EN, { ...ES, measures: '  ' }),
      inBoth(EN, { ...ES, whatHappened: '' }),
    ];
    for (const versions of cases) {
      for (const call of [
        () => notices.preview(id, versions),
        () => notices.queue(id, versions, 'officer-1'),
      ])
        await assert.rejects(call(), (err: { code?: string; details?: { lang?: string } }) => {
          assert.equal(err.code, 'VOW_INCIDENT_TRANSLATION_MISSING');
          assert.equal(err.details?.lang, 'es-US');
          return true;
        });
    }
    // The advice is optional in every language; a language the policy does not publish is invalid.
    await assert.rejects(notices.preview(id, [...inBoth(EN), { lang: 'es-US', ...ES }]), {
      code: 'VOW_INCIDENT_INVALID',
    });
    await assert.rejects(notices.preview(id, [...inBoth(EN), { lang: 'fr-FR' as 'es-US', ...ES }]), {
      code: 'VOW_INCIDENT_INVALID',
    });
    await assert.rejects(notices.queue(id, inBoth(EN, { ...ES, advice: 'Escriba a ana@example.com' }), 'o'), {
      code: 'VOW_INCIDENT_INVALID',
    });
    assert.equal(await notices.progress(id), null, 'nothing queued');
    assert.equal(await jobs(), jobsBefore, 'no job');
    const fine = await notices.preview(id, inBoth(EN, { ...ES, advice: '' }));
    assert.deepEqual(fine.languages, ['en-US', 'es-US'], 'the advice may be left out in any language');

    // A caller outside the typed shells: a part that is not text is invalid, nothing queued.
    const { advice: _left, ...noAdvice } = ES;
    await assert.rejects(
      notices.queue(id, inBoth(EN, { ...ES, measures: 42 as unknown as string }), 'officer-1'),
      {
        code: 'VOW_INCIDENT_INVALID',
        message: /measures taken or proposed \(Español \(es-US\)\) must be text, not number/,
      },
    );
    assert.equal(await notices.progress(id), null, 'nothing queued');
    // The advice left out entirely is the empty advice: queued, kept as ''.
    const versions = inBoth(EN, noAdvice as typeof ES);
    await notices.queue(id, versions, 'officer-1');
    assert.ok(await notices.progress(id), 'queued');
    assert.equal(await jobs(), jobsBefore + 1, 'one job');
  });
});
