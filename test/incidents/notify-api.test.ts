// Art. 34 through the JSON API, with real access control: GET /v1/incidents/:id/notice (the prefilled
// versions, one per language of the policy), POST …/notice/preview (the mail as a person gets it, with
// the count) and POST …/notice (confirmed: one job). The privacy officer only, as on the console;
// missing translations, a risk not decided high and a second confirmation refused with their codes;
// two confirmations sent at once: one 202, one 409 VOW_INCIDENT_STATE.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { TELL_PEOPLE_JOB } from '../../src/modules/incidents/index.js';
import { type Caller, callAs } from '../helpers/auth.js';
import { describeEachDialect } from '../helpers/env.js';
import { decideHighRisk, EN, placeOrders, recordIncident, staffBefore } from '../helpers/incidents.js';
import { captureMail } from '../helpers/mail.js';
import { ES } from './notice-fixtures.js';

describeEachDialect(
  'incidents: the Art. 34 message through /v1/incidents',
  (env) => {
    const staff = staffBefore(env, ['customer_service', 'auditor', 'marketing', 'admin']);
    const api = (who: Caller, method: 'GET' | 'POST', url: string, payload?: unknown) =>
      callAs(env(), who, method, url, payload);

    /** Two people with an address, and an incident of theirs the officer decides a high risk. */
    async function highRisk(tag: string): Promise<string> {
      const e = env();
      await placeOrders(e, [`${tag}-1`, `${tag}-2`]);
      const id = await recordIncident(e, staff.officer);
      const early = await api(staff.officer, 'POST', `/v1/incidents/${id}/notice/preview`, {
        versions: [EN, { lang: 'es-US', ...ES }],
      });
      assert.equal(early.status, 409);
      assert.equal(early.body.error.code, 'VOW_INCIDENT_NOT_HIGH_RISK');
      await decideHighRisk(e, staff.officer, id, 'Addresses');
      return id;
    }

    it('the officer reads the prefilled versions, previews, confirms once; other roles are refused', async () => {
      const e = env();
      const sent = captureMail(e);
      const id = await highRisk('api-a');
      const versions = [EN, { lang: 'es-US', ...ES }];
      for (const who of staff.others) {
        for (const [method, url, body] of [
          ['GET', `/v1/incidents/${id}/notice`, undefined],
          ['POST', `/v1/incidents/${id}/notice/preview`, { versions }],
          ['POST', `/v1/incidents/${id}/notice`, { versions }],
        ] as const) {
          const r = await api(who, method, url, body);
          assert.equal(r.status, 403, `${who.staffId} ${method} ${url}`);
          assert.equal(r.body.error.code, 'VOW_FORBIDDEN');
        }
      }
      const draft = await api(staff.officer, 'GET', `/v1/incidents/${id}/notice`);
      assert.equal(draft.status, 200);
      assert.deepEqual(draft.body.languages, ['en-US', 'es-US']);
      assert.equal(draft.body.versions[0].whatHappened, EN.whatHappened, 'prefilled from the incident');
      assert.equal(draft.body.versions[1].lang, 'es-US');
      assert.equal(draft.body.progress, null);

      const missing = await api(staff.officer, 'POST', `/v1/incidents/${id}/notice/preview`, {
        versions: draft.body.versions,
      });
      assert.equal(missing.status, 400, 'the Spanish version is not written yet');
      assert.equal(missing.body.error.code, 'VOW_INCIDENT_TRANSLATION_MISSING');
      assert.equal(missing.body.error.details.lang, 'es-US');
      const onlyEnglish = await api(staff.officer, 'POST', `/v1/incidents/${id}/notice`, { versions: [EN] });
      assert.equal(onlyEnglish.status, 400);
      assert.equal(onlyEnglish.body.error.code, 'VOW_INCIDENT_TRANSLATION_MISSING');

      const preview = await api(staff.officer, 'POST', `/v1/incidents/${id}/notice/preview`, { versions });
      assert.equal(preview.status, 200);
      assert.equal(preview.body.recipients, 2);
      assert.deepEqual(preview.body.languages, ['en-US', 'es-US']);
      assert.equal(preview.body.subject, `${EN.subject} / ${ES.subject}`);
      assert.ok(preview.body.text.includes(ES.measures) && preview.body.html.includes('lang="es"'));
      assert.equal(sent.length, 0, 'a preview sends nothing');

      const confirmed = await api(staff.officer, 'POST', `/v1/incidents/${id}/notice`, { versions });
      assert.equal(confirmed.status, 202);
      assert.equal(confirmed.body.queuedBy, staff.officer.staffId);
      const again = await api(staff.officer, 'POST', `/v1/incidents/${id}/notice`, { versions });
      assert.equal(again.status, 409);
      assert.equal(again.body.error.code, 'VOW_INCIDENT_STATE');
      await e.services.jobs.drain();
      await e.services.jobs.drain();
      assert.equal(sent.filter((m) => m.subject === preview.body.subject).length, 2);
      const after = await api(staff.officer, 'GET', `/v1/incidents/${id}/notice`);
      assert.equal(after.body.progress.queued, 2);
      assert.ok(after.body.progress.doneAt);
      assert.equal(after.body.versions[1].subject, ES.subject, 'the versions as queued');
    });

    it('two confirmations sent at once: one 202, the other 409 VOW_INCIDENT_STATE, one job', async () => {
      const e = env();
      const id = await highRisk('api-b');
      const versions = [EN, { lang: 'es-US', ...ES }];
      const jobsBefore = (await e.services.jobs.list({ name: TELL_PEOPLE_JOB })).length;
      const answers = await Promise.all([
        api(staff.officer, 'POST', `/v1/incidents/${id}/notice`, { versions }),
        api(staff.officer, 'POST', `/v1/incidents/${id}/notice`, { versions }),
      ]);
      assert.deepEqual(answers.map((a) => a.status).sort(), [202, 409]);
      assert.equal(answers.find((a) => a.status === 409)?.body.error.code, 'VOW_INCIDENT_STATE');
      assert.equal((await e.services.jobs.list({ name: TELL_PEOPLE_JOB })).length, jobsBefore + 1);
    });
  },
  { auth: 'enforced', rateLimits: false },
);
