// A confirmed Art. 34 message and a later risk decision (GDPR Art. 34(1)): while Vow writes to the
// people affected (the message queued, the job not done), the risk is not decided below high; that
// would stop the job half-way, some people told and the rest never. Re-deciding high (a new reason)
// is allowed, and so is any decision once every mail is queued. A decision below high racing the
// confirmation refuses the confirmation instead.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { callAs } from '../helpers/auth.js';
import { describeEachDialect } from '../helpers/env.js';
import {
  confirmationRefusedAfter,
  EN as ENGLISH,
  highRiskIncident,
  placeOrders,
  staffBefore,
} from '../helpers/incidents.js';
import { captureMail } from '../helpers/mail.js';
import { ES } from './notice-fixtures.js';

const EN = { ...ENGLISH, subject: 'Risk kept: your address was exposed' };
const VERSIONS = [EN, { lang: 'es-US', ...ES }];

describeEachDialect(
  'incidents: the risk while Vow writes to the people',
  (env) => {
    const staff = staffBefore(env);
    const api = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
      callAs(env(), staff.officer, method, url, payload);
    const highRisk = () => highRiskIncident(env(), staff.officer);

    it('refuses a risk below high while the job runs, keeps writing to everyone, and allows it once done', async () => {
      const e = env();
      const sent = captureMail(e);
      await placeOrders(e, ['risk-a1', 'risk-a2']);
      const id = await highRisk();
      const preview = await api('POST', `/v1/incidents/${id}/notice/preview`, { versions: VERSIONS });
      const people = preview.body.recipients as number;
      assert.ok(people >= 2);
      assert.equal((await api('POST', `/v1/incidents/${id}/notice`, { versions: VERSIONS })).status, 202);
      for (const level of ['risk', 'none']) {
        const r = await api('POST', `/v1/incidents/${id}/risk`, {
          level,
          reason: 'The box was found sealed.',
        });
        assert.equal(r.status, 409, JSON.stringify(r.body));
        assert.equal(r.body.error.code, 'VOW_INCIDENT_STATE');
        assert.match(r.body.error.message, /risk stays high until every one of them is written to/);
      }
      const still = await api('GET', `/v1/incidents/${id}`);
      assert.equal(still.body.risk.level, 'high', 'the refused decision changed nothing');
      assert.equal(still.body.risk.reason, 'r');
      // Deciding high again, with a better reason, is no change to the people owed the message.
      const again = await api('POST', `/v1/incidents/${id}/risk`, {
        level: 'high',
        reason: 'Addresses and names',
      });
      assert.equal(again.status, 200);
      await e.services.jobs.drain();
      await e.services.jobs.drain();
      assert.equal(
        sent.filter((m) => m.subject.startsWith(EN.subject)).length,
        people,
        'everyone written to',
      );
      const done = await api('GET', `/v1/incidents/${id}`);
      assert.equal(done.body.subjectsInformed?.how, 'email by Vow');
      // Every mail queued: the risk may be decided again; the people told stay recorded.
      const lowered = await api('POST', `/v1/incidents/${id}/risk`, {
        level: 'risk',
        reason: 'Box found sealed.',
      });
      assert.equal(lowered.status, 200, JSON.stringify(lowered.body));
      assert.equal(lowered.body.risk.level, 'risk');
      assert.equal(lowered.body.subjectsInformed?.how, 'email by Vow');
    });

    it("a risk decided below high between the confirmation's read and its write refuses the confirmation", async () => {
      const e = env();
      const id = await highRisk();
      await confirmationRefusedAfter(e, id, VERSIONS, staff.officer, (iid) =>
        e.services.incidents.decideRisk(iid, 'none', 'The box was found sealed.', staff.officer.staffId),
      );
    });
  },
  { auth: 'enforced', rateLimits: false },
);
