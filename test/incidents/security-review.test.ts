// The breach register attacked as an outside reviewer would (docs/security.md #40-#43 and what held),
// with real access control. What worked before: the people an Art. 34 message goes to could be changed
// under the confirmed job (#40); customer service and the auditor could count the people with data of
// any category collected in any window, a membership oracle (#41); text with bidirectional overrides
// reached the console and every person's mail, shown in another order than stored (#42); "people
// told" recorded by hand while Vow was writing to them, which the register then kept instead (#43).
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { type Caller, callAs } from '../helpers/auth.js';
import { describeEachDialect } from '../helpers/env.js';
import {
  confirmationRefusedAfter,
  consoleForm,
  EN,
  highRiskIncident,
  placeOrders,
  staffBefore,
} from '../helpers/incidents.js';
import { captureMail } from '../helpers/mail.js';
import { ES } from './notice-fixtures.js';

const RLO = '\u202E';
const VERSIONS = [EN, { lang: 'es-US', ...ES }];

describeEachDialect(
  'incidents: the security review',
  (env) => {
    const staff = staffBefore(env, ['customer_service', 'auditor']);
    const api = (who: Caller, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) =>
      callAs(env(), who, method, url, payload);
    const highRisk = (categories: string[]) => highRiskIncident(env(), staff.officer, categories);

    it('#40: once the message is confirmed, the categories and time that find its people cannot change under the job', async () => {
      const e = env();
      const sent = captureMail(e);
      await placeOrders(e, ['sec-a']);
      // Confirmed for the people with a relationship status on file (none).
      const id = await highRisk(['demographic.relationship_status']);
      const preview = await api(staff.officer, 'POST', `/v1/incidents/${id}/notice/preview`, {
        versions: VERSIONS,
      });
      assert.equal(preview.body.recipients, 0);
      assert.equal(
        (await api(staff.officer, 'POST', `/v1/incidents/${id}/notice`, { versions: VERSIONS })).status,
        202,
      );
      for (const patch of [{ dataCategories: ['contact.email'] }, { awareAt: e.clock.now().toISOString() }]) {
        const r = await api(staff.officer, 'PATCH', `/v1/incidents/${id}`, patch);
        assert.equal(r.status, 409, JSON.stringify(patch));
        assert.equal(r.body.error.code, 'VOW_INCIDENT_STATE');
      }
      assert.equal(
        (await api(staff.officer, 'PATCH', `/v1/incidents/${id}`, { approxSubjects: 3 })).status,
        200,
      );
      await e.services.jobs.drain();
      await e.services.jobs.drain();
      assert.equal(
        sent.filter((m) => m.subject.startsWith(EN.subject)).length,
        0,
        'nobody beyond the people confirmed is written to',
      );
    });

    it('#40: a confirmation whose incident changed since it was read is refused', async () => {
      const e = env();
      const id = await highRisk(['contact.postal_address']);
      // The categories change between the confirmation's reading of the incident and its write.
      await confirmationRefusedAfter(e, id, VERSIONS, staff.officer, (iid) =>
        e.services.incidents.update(iid, { dataCategories: ['contact.email'] }, staff.officer.staffId),
      );
    });

    it('#43: once Vow writes to the people, "people told" is not recorded by hand over it', async () => {
      const e = env();
      await placeOrders(e, ['sec-c']);
      const id = await highRisk(['contact.postal_address']);
      assert.equal(
        (await api(staff.officer, 'POST', `/v1/incidents/${id}/notice`, { versions: VERSIONS })).status,
        202,
      );
      const byHand = await api(staff.officer, 'POST', `/v1/incidents/${id}/subjects-informed`, {
        how: 'A letter to each of them.',
      });
      assert.equal(byHand.status, 409);
      assert.equal(byHand.body.error.code, 'VOW_INCIDENT_STATE');
      await e.services.jobs.drain();
      await e.services.jobs.drain();
      const after = await api(staff.officer, 'GET', `/v1/incidents/${id}`);
      assert.equal(after.body.subjectsInformed?.how, 'email by Vow', 'the register says what happened');
    });

    it('#41: only the privacy officer counts the people affected in a window; customer service and the auditor are refused', async () => {
      const e = env();
      await placeOrders(e, ['sec-b']);
      const id = await highRisk(['contact.postal_address']);
      const window = `from=${encodeURIComponent(new Date(e.clock.now().getTime() - 60_000).toISOString())}`;
      for (const who of staff.others) {
        // customer service, the auditor
        const r = await api(who, 'GET', `/v1/incidents/${id}/affected?${window}`);
        assert.equal(r.status, 403);
        assert.equal(r.body.error.code, 'VOW_FORBIDDEN');
        const page = await e.app.inject({
          url: `/staff/incidents/${id}?count=1&${window}`,
          headers: { ...who.headers, accept: 'text/html' },
        });
        assert.equal(page.statusCode, 403);
        const plain = await e.app.inject({
          url: `/staff/incidents/${id}`,
          headers: { ...who.headers, accept: 'text/html' },
        });
        assert.equal(plain.statusCode, 200, 'they still read the incident');
        assert.ok(!plain.body.includes('data-testid="affected-form"'));
      }
      const mine = await api(staff.officer, 'GET', `/v1/incidents/${id}/affected?${window}`);
      assert.equal(mine.status, 200);
      assert.ok(mine.body.people >= 1);
    });

    it('#42: text that reorders itself (bidirectional overrides and isolates) is refused in the register and the message', async () => {
      const e = env();
      const agent = staff.others[0]!; // customer service
      const made = await api(agent, 'POST', '/v1/incidents', {
        summary: `Lost laptop; reset at ${RLO}moc.elpmaxe-yruj//:sptth`,
        dataCategories: ['contact.email'],
        subjectKinds: ['customer'],
      });
      assert.equal(made.status, 400);
      assert.equal(made.body.error.code, 'VOW_INCIDENT_INVALID');
      const id = await highRisk(['contact.email']);
      const note = await api(staff.officer, 'POST', `/v1/incidents/${id}/notes`, {
        text: 'See \u2067ticket 12\u2069',
      });
      assert.equal(note.body.error?.code, 'VOW_INCIDENT_INVALID');
      for (const versions of [
        [{ ...EN, advice: `Reset at ${RLO}moc.elpmaxe//:sptth` }, VERSIONS[1]],
        [EN, { ...VERSIONS[1], subject: `${RLO}Aviso` }],
      ]) {
        const r = await api(staff.officer, 'POST', `/v1/incidents/${id}/notice/preview`, { versions });
        assert.equal(r.status, 400);
        assert.equal(r.body.error.code, 'VOW_INCIDENT_INVALID');
      }
      // Right-to-left text itself, and its marks, are fine.
      const rtl = await api(staff.officer, 'POST', `/v1/incidents/${id}/notes`, { text: 'ملاحظة \u200F 12' });
      assert.equal(rtl.status, 200);
      assert.equal(await e.services.incidentNotices.progress(id), null);
    });

    it('held: console forms need their anti-forgery token; markup in the message is shown as text; two runs of the job write to no one twice; the audit holds no text', async () => {
      const e = env();
      const sent = captureMail(e);
      await placeOrders(e, ['sec-h1', 'sec-h2', 'sec-h3']);
      const id = await highRisk(['contact.postal_address']);
      const url = `/staff/incidents/${id}/notify`;
      const fields = {
        step: 'preview',
        subject: 'Held: your address was exposed',
        whatHappened: '<script>alert(1)</script><img src=x onerror=alert(2)>',
        consequences: EN.consequences,
        measures: EN.measures,
        'subject.es-US': ES.subject,
        'whatHappened.es-US': ES.whatHappened,
        'consequences.es-US': ES.consequences,
        'measures.es-US': ES.measures,
      };
      for (const forged of [
        await consoleForm(
          e,
          staff.officer,
          url,
          { ...fields, step: 'send', confirmed: 'yes' },
          { csrf: null },
        ),
        await consoleForm(
          e,
          staff.officer,
          url,
          { ...fields, step: 'send', confirmed: 'yes' },
          { csrf: 'x'.repeat(43) },
        ),
        await consoleForm(
          e,
          staff.officer,
          url,
          { ...fields, step: 'send', confirmed: 'yes' },
          { site: 'cross-site' },
        ),
      ])
        assert.equal(forged.statusCode, 403);
      assert.equal(await e.services.incidentNotices.progress(id), null, 'nothing queued by a forged form');
      const page = await consoleForm(e, staff.officer, url, fields);
      assert.equal(page.statusCode, 200);
      assert.ok(!/<script>alert|<img src=x/.test(page.body), 'no markup of the message on the page');
      assert.ok(page.body.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));

      // Two workers on the same job at once (a lease lost while the first still runs).
      const versions = [{ ...EN, subject: fields.subject }, VERSIONS[1]].map(
        (v) => ({ advice: '', ...v }) as never,
      );
      await e.services.incidentNotices.queue(id, versions, staff.officer.staffId);
      await Promise.allSettled([
        e.services.incidentNotices.run(id, undefined, { batchSize: 1 }),
        e.services.incidentNotices.run(id, undefined, { batchSize: 1 }),
      ]);
      await e.services.jobs.drain();
      await e.services.jobs.drain();
      const to = sent.filter((m) => m.subject.startsWith(fields.subject)).map((m) => m.to);
      assert.equal(new Set(to).size, to.length, 'each person once');
      assert.equal(to.length, (await e.services.incidentNotices.progress(id))?.queued, 'everyone queued');
      assert.ok(to.length >= 3);
      assert.ok(
        sent.every((m) => !m.html?.includes('<script>')),
        'escaped in the HTML part',
      );
      const audit = JSON.stringify(
        await e.ctx.audit.list({ targetType: 'incident', targetId: id, limit: 100 }),
      );
      assert.ok(!/courier|packing|script|example\.com|Buyer/i.test(audit), 'ids, levels and counts only');
    });
  },
  { auth: 'enforced', rateLimits: false },
);
