// The console's Art. 34 page (/staff/incidents/:id/notify) with real access control: the privacy
// officer sees the message prefilled from the incident, rendered as a person gets it, with the number of
// people it concerns; sending goes through a confirmation showing that number; the incident page then
// shows the progress. Other roles are refused; an incident not decided a high risk is refused with its
// code; the audit trail holds ids and counts only.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachDialect } from '../helpers/env.js';
import { consoleForm, placeOrders, type Staff, staffBefore } from '../helpers/incidents.js';
import { captureMail } from '../helpers/mail.js';

const PAGE = { accept: 'text/html' };

describeEachDialect(
  'incidents: the console page to tell the people affected',
  (env) => {
    const staff = staffBefore(env, ['customer_service', 'auditor', 'marketing']);
    const form = (who: Staff, url: string, fields: Record<string, string>) =>
      consoleForm(env(), who, url, fields);

    it('previews, confirms with the count, sends once; the incident page shows the progress', async () => {
      const e = env();
      const sent = captureMail(e);
      await placeOrders(e, ['nc-1', 'nc-2', 'nc-3']);
      const inc = await e.services.incidents.record(
        {
          summary: 'A backup of the order database was left readable on the web.',
          dataCategories: ['contact.email'],
          subjectKinds: ['customer'],
          consequences: 'Phishing mail in our name.',
          measures: 'The backup was removed and the bucket locked.',
        },
        { staffId: staff.officer.staffId, privacyOfficer: true },
      );
      const url = `/staff/incidents/${inc.id}/notify`;

      const early = await e.app.inject({ url, headers: { ...staff.officer.headers, ...PAGE } });
      assert.equal(early.statusCode, 409);
      assert.match(early.body, /data-code="VOW_INCIDENT_NOT_HIGH_RISK"/);
      const incidentPage = async () =>
        (
          await e.app.inject({
            url: `/staff/incidents/${inc.id}`,
            headers: { ...staff.officer.headers, ...PAGE },
          })
        ).body;
      assert.ok(!(await incidentPage()).includes('data-testid="notify-link"'), 'no link before a high risk');

      await e.services.incidents.decideRisk(inc.id, 'high', 'Addresses for phishing', staff.officer.staffId);
      assert.ok((await incidentPage()).includes('data-testid="notify-link"'));
      for (const who of staff.others) {
        assert.equal((await e.app.inject({ url, headers: { ...who.headers, ...PAGE } })).statusCode, 403);
        const r = await form(who, url, {
          step: 'send',
          confirmed: 'yes',
          subject: 's',
          whatHappened: 'w',
          consequences: 'c',
          measures: 'm',
        });
        assert.equal(r.statusCode, 403);
      }

      const page = await e.app.inject({ url, headers: { ...staff.officer.headers, ...PAGE } });
      assert.equal(page.statusCode, 200);
      assert.ok(
        page.body.includes('A backup of the order database was left readable on the web.'),
        'prefilled',
      );
      // The Spanish version (the policy's translation) is for the officer to write: no preview yet.
      assert.match(page.body, /data-testid="notice-version" data-lang="es-US"/);
      assert.match(page.body, /name="whatHappened\.es-US"/);
      assert.match(page.body, /Complete the message to preview it: The Español \(es-US\) version needs/);
      assert.ok(!page.body.includes('data-testid="notice-preview"'));

      const fields = {
        subject: 'Your email address was exposed',
        whatHappened: 'A backup with your email address was readable on the web for two days.',
        consequences: 'Phishing mail in our name.',
        measures: 'The backup was removed.',
        advice: 'Do not open links in mail asking you to pay.',
        'subject.es-US': 'Su correo electrónico quedó expuesto',
        'whatHappened.es-US': 'Una copia de seguridad con su correo estuvo legible en la web dos días.',
        'consequences.es-US': 'Correo fraudulento en nuestro nombre.',
        'measures.es-US': 'La copia fue retirada.',
      };
      const untranslated = await form(staff.officer, url, {
        step: 'preview',
        ...fields,
        'measures.es-US': '',
      });
      assert.equal(untranslated.statusCode, 400);
      assert.match(untranslated.body, /data-code="VOW_INCIDENT_TRANSLATION_MISSING"/);
      const previewed = await form(staff.officer, url, { step: 'preview', ...fields });
      assert.equal(previewed.statusCode, 200);
      assert.match(
        previewed.body,
        /data-testid="notice-count">The incident concerns <strong>3 people<\/strong>/,
      );
      assert.match(previewed.body, /in English and Español\./);
      const preview = previewed.body.slice(previewed.body.indexOf('data-testid="notice-preview"'));
      const c = e.ctx.policy.doc.controller;
      for (const part of [
        'Do not open links in mail asking you to pay.',
        'Phishing mail in our name.',
        'Correo fraudulento en nuestro nombre.',
        c.postal_address,
        c.name,
      ])
        assert.ok(preview.includes(part.replace(/&/g, '&amp;')), `preview holds ${part}`);
      const refusedDraft = await form(staff.officer, url, {
        step: 'preview',
        ...fields,
        measures: 'Ask x@example.com',
      });
      assert.equal(refusedDraft.statusCode, 400);
      assert.match(refusedDraft.body, /data-code="VOW_INCIDENT_INVALID"/);

      const confirm = await form(staff.officer, url, { step: 'send', ...fields });
      assert.equal(confirm.statusCode, 200);
      assert.match(confirm.body, /data-testid="confirmation"/);
      assert.match(confirm.body, /Send to 3 people/);
      assert.match(
        confirm.body,
        /name="measures\.es-US" value="La copia fue retirada\."/,
        'carries the Spanish',
      );
      assert.equal(sent.length, 0, 'nothing before the confirmation');
      assert.equal(await e.services.incidentNotices.progress(inc.id), null);

      const done = await form(staff.officer, url, { step: 'send', confirmed: 'yes', ...fields });
      assert.equal(done.statusCode, 303);
      assert.equal(done.headers.location, `/staff/incidents/${inc.id}?done=notice`);
      const again = await form(staff.officer, url, { step: 'send', confirmed: 'yes', ...fields });
      assert.equal(again.statusCode, 409, 'sent once');
      assert.match(again.body, /data-code="VOW_INCIDENT_STATE"/);

      await e.services.jobs.drain();
      await e.services.jobs.drain();
      const mails = sent.filter((m) => m.subject === `${fields.subject} / ${fields['subject.es-US']}`);
      assert.equal(mails.length, 3);
      assert.ok(
        mails.every((m) => m.text.includes('La copia fue retirada.') && m.html?.includes('lang="es"')),
      );
      const after = await incidentPage();
      assert.match(after, /data-testid="notice-progress">Vow wrote to the people affected: finished/);
      assert.match(
        after,
        /<strong>3<\/strong> mails queued, <strong>3<\/strong> sent; <strong>0<\/strong> people have no email/,
      );
      assert.match(after, /email by Vow/);

      const audit = await e.ctx.audit.list({ targetType: 'incident', targetId: inc.id, limit: 100 });
      const queued = audit.find((a) => a.action === 'incident.notice_queued');
      assert.equal(queued?.actor_id, staff.officer.staffId);
      assert.ok(!/example\.com|Buyer|Phishing|backup/i.test(JSON.stringify(audit)), 'ids and counts only');
    });
  },
  { auth: 'enforced', rateLimits: false },
);
