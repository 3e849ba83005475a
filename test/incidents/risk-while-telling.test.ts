// A confirmed Art. 34 message and a later risk decision (GDPR Art. 34(1)): while Vow writes to the
// people affected (the message queued, the job not done), the risk is not decided below high; that
// would stop the job half-way, some people told and the rest never. Re-deciding high (a new reason)
// is allowed, and so is any decision once every mail is queued. A decision below high racing the
// confirmation refuses the confirmation instead.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { orderBody } from '../collection/fixtures.js';
import { type Caller, callAs, serviceCaller, staffCaller } from '../helpers/auth.js';
import { describeEachDialect } from '../helpers/env.js';
import { captureMail } from '../helpers/mail.js';
import { ES } from './notice-fixtures.js';

type Staff = Caller & { staffId: string; token: string };
const EN = {
  lang: 'en-US',
  subject: 'Risk kept: your address was exposed',
  whatHappened: 'A courier lost a box of printed packing slips.',
  consequences: 'Someone could send you mail pretending to be us.',
  measures: 'We changed courier.',
};
const VERSIONS = [EN, { lang: 'es-US', ...ES }];

describeEachDialect(
  'incidents: the risk while Vow writes to the people',
  (env) => {
    let officer: Staff;
    before(async () => {
      officer = await staffCaller(env(), ['privacy_officer']);
    });

    const api = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
      callAs(env(), officer, method, url, payload);

    async function order(n: string) {
      const e = env();
      const shop = await serviceCaller(e);
      const res = await e.app.inject({
        method: 'POST',
        url: '/v1/orders',
        headers: shop.writeHeaders,
        payload: orderBody(n),
      });
      assert.equal(res.statusCode, 201, res.body);
    }

    async function highRisk(): Promise<string> {
      const made = await api('POST', '/v1/incidents', {
        summary: EN.whatHappened,
        dataCategories: ['contact.postal_address'],
        subjectKinds: ['customer'],
        consequences: EN.consequences,
        measures: EN.measures,
      });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      const id = made.body.id as string;
      assert.equal(
        (await api('POST', `/v1/incidents/${id}/risk`, { level: 'high', reason: 'r' })).status,
        200,
      );
      return id;
    }

    it('refuses a risk below high while the job runs, keeps writing to everyone, and allows it once done', async () => {
      const e = env();
      const sent = captureMail(e);
      await order('risk-a1');
      await order('risk-a2');
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
      const incidents = e.services.incidents;
      const get = incidents.get.bind(incidents);
      let once = false;
      incidents.get = async (iid: string) => {
        const view = await get(iid);
        if (!once) {
          once = true;
          await incidents.decideRisk(iid, 'none', 'The box was found sealed.', officer.staffId);
        }
        return view;
      };
      try {
        await assert.rejects(
          e.services.incidentNotices.queue(
            id,
            VERSIONS.map((v) => ({ advice: '', ...v }) as never),
            officer.staffId,
          ),
          { code: 'VOW_INCIDENT_STATE' },
        );
      } finally {
        incidents.get = get;
      }
      assert.equal(await e.services.incidentNotices.progress(id), null, 'nothing queued');
    });
  },
  { auth: 'enforced', rateLimits: false },
);
