// GDPR Art. 34 in the staff console: the privacy officer writes the message to the people affected by
// a high-risk breach, previews it as a person gets it (with how many people it concerns) and, after a
// confirmation step showing that number, has Vow send it (one job; src/modules/incidents/notices.ts).

import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { NoticePreview, NoticeVersion } from '../../modules/incidents/index.js';
import { csvFile } from '../../platform/csv.js';
import { LOCALES } from '../../platform/i18n/index.js';
import { line, prose } from '../../platform/strings.js';
import {
  consoleFrame,
  csrfBodyField,
  refusalOf,
  sendDownload,
  sendHtml,
  staffIdOf,
} from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';
import { renderConfirmation } from './confirm.js';
import { fieldName, NOTICE_FIELDS, people, renderIncidentNotify } from './incident-notify.js';
import { type ConsoleMessage, refused } from './shell.js';

const params = z.strictObject({ id: line().min(1).max(64) });

/** The columns of the list of people Vow could not email (the person id finds them under People). */
const UNREACHED_HEADER = [
  'person id',
  'address line 1',
  'address line 2',
  'city',
  'state or region',
  'postal code',
  'country',
  'phone',
];

/** The message's parts in each language other than the policy's own: `subject.es-US`, … */
const otherLanguages = Object.fromEntries(
  LOCALES.flatMap((lang) =>
    NOTICE_FIELDS.map((f) => [
      `${f}.${lang}`,
      (f === 'subject' ? line() : prose()).max(f === 'subject' ? 200 : 8000).optional(),
    ]),
  ),
);

/** The versions the form holds: the policy's language in the plain fields, the others suffixed. */
function versionsOf(body: Record<string, string | undefined>, languages: readonly string[]): NoticeVersion[] {
  return languages.map((lang, i) => {
    const get = (f: string) => body[fieldName(f, lang, i === 0)] ?? '';
    return {
      lang: lang as NoticeVersion['lang'],
      subject: get('subject'),
      whatHappened: get('whatHappened'),
      consequences: get('consequences'),
      measures: get('measures'),
      advice: get('advice'),
    };
  });
}

/** The form's fields for the versions (the confirmation page carries them on). */
function fieldsOf(versions: readonly NoticeVersion[]): Record<string, string> {
  return Object.fromEntries(
    versions.flatMap((v, i) => NOTICE_FIELDS.map((f) => [fieldName(f, v.lang, i === 0), v[f]])),
  );
}

export const incidentNotifyConsoleRoutes: RouteModule = (app, ctx, services) => {
  const notices = services.incidentNotices;

  async function notifyPage(
    req: FastifyRequest,
    reply: FastifyReply,
    iid: string,
    view: { draft?: NoticeVersion[]; preview?: NoticePreview; message?: ConsoleMessage },
    status = 200,
  ) {
    const [incident, progress] = await Promise.all([services.incidents.get(iid), notices.progress(iid)]);
    const draft = view.draft ?? (await notices.draft(iid));
    return sendHtml(
      reply,
      renderIncidentNotify(consoleFrame(ctx, req), incident, {
        draft,
        progress,
        ...(view.preview ? { preview: view.preview } : {}),
        ...(view.message ? { message: view.message } : {}),
      }),
      status,
    );
  }

  app.get(
    '/staff/incidents/:id/notify',
    {
      config: { access: 'staff:privacy_officer' },
      schema: {
        tags: ['pages'],
        summary: 'Tell the people affected (Art. 34)',
        hide: true,
        params,
        querystring: z.strictObject({}),
      },
    },
    async (req, reply) => {
      const iid = req.params.id;
      if (await notices.progress(iid)) return notifyPage(req, reply, iid, {});
      const draft = await notices.draft(iid);
      try {
        return notifyPage(req, reply, iid, { draft, preview: await notices.preview(iid, draft) });
      } catch (err) {
        const { error, status } = refusalOf(err);
        // What the incident does not say yet is for the officer to write: the form, no preview yet.
        if (error.code === 'VOW_INCIDENT_INVALID' || error.code === 'VOW_INCIDENT_TRANSLATION_MISSING')
          return notifyPage(req, reply, iid, {
            draft,
            message: { ok: false, text: `Complete the message to preview it: ${error.message}` },
          });
        return notifyPage(req, reply, iid, { draft, message: refused(error) }, status);
      }
    },
  );

  app.get(
    '/staff/incidents/:id/without-email.csv',
    {
      config: { access: 'staff:privacy_officer' },
      schema: {
        tags: ['pages'],
        summary:
          'The people Vow could not email: their postal address and phone, to tell by letter or phone (CSV)',
        hide: true,
        params,
        querystring: z.strictObject({}),
      },
    },
    async (req, reply) => {
      const iid = req.params.id;
      const people = await notices.unreached(iid, staffIdOf(req));
      return sendDownload(reply, {
        type: 'text/csv; charset=utf-8',
        name: `incident-${iid}-without-email.csv`,
        body: csvFile(
          UNREACHED_HEADER,
          people.map((p) => [
            p.subjectId,
            p.address?.line1,
            p.address?.line2,
            p.address?.city,
            p.address?.region,
            p.address?.postal_code,
            p.address?.country,
            p.phone,
          ]),
        ),
      });
    },
  );

  app.post(
    '/staff/incidents/:id/notify',
    {
      config: { access: 'staff:privacy_officer' },
      schema: {
        tags: ['pages'],
        summary: 'Preview or send the message to the people affected (form)',
        hide: true,
        params,
        body: z.strictObject({
          ...csrfBodyField,
          step: z.enum(['preview', 'send']),
          confirmed: z.literal('yes').optional(),
          subject: line().max(200),
          whatHappened: prose().max(8000),
          consequences: prose().max(8000),
          measures: prose().max(8000),
          advice: prose().max(8000).optional(),
          ...otherLanguages,
        }),
      },
    },
    async (req, reply) => {
      const iid = req.params.id;
      const b = req.body;
      const draft = versionsOf(b as Record<string, string | undefined>, notices.languages());
      try {
        const preview = await notices.preview(iid, draft);
        if (b.step === 'preview') return notifyPage(req, reply, iid, { draft, preview });
        if (b.confirmed !== 'yes')
          return sendHtml(
            reply,
            renderConfirmation(consoleFrame(ctx, req), {
              title: 'tell the people affected',
              section: '/staff/incidents',
              action: `/staff/incidents/${iid}/notify`,
              back: `/staff/incidents/${iid}/notify`,
              fields: { step: 'send', ...fieldsOf(draft) },
              willHappen: [
                `Vow writes this message to each of the ${people(preview.recipients)} the incident concerns who has an email address on file, once, in ${preview.languages.length === 1 ? 'its one language' : `all its ${preview.languages.length} languages (${preview.languages.join(', ')}) in each mail`}.`,
                'When every mail is queued, the incident records the people told: the date and "email by Vow".',
              ],
              cannotUndo: 'A mail sent cannot be called back, and the message cannot be sent a second time.',
              confirmLabel: `Send to ${people(preview.recipients)}`,
              tone: 'proceed',
            }),
          );
        await notices.queue(iid, draft, staffIdOf(req));
      } catch (err) {
        const { error, status } = refusalOf(err);
        return notifyPage(req, reply, iid, { draft, message: refused(error) }, status);
      }
      return reply.redirect(`/staff/incidents/${iid}?done=notice`, 303);
    },
  );
};
