// The breach register in the staff console: the list with the 72-hour clocks and the form to record an
// incident (customer service and the privacy officer), an incident's page and its actions (the privacy
// officer). The auditor reads; marketing is refused.

import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { RISK_LEVELS, type StateNoticeKind, shownProgress } from '../../modules/incidents/index.js';
import { VowError } from '../../platform/errors.js';
import { line, prose } from '../../platform/strings.js';
import {
  consoleFrame,
  csrfBodyField,
  refusalOf,
  sendHtml,
  staffActorOf,
  staffIdOf,
} from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';
import { renderConfirmation } from './confirm.js';
import type { FilterRefusal } from './filter-refusal.js';
import { renderStaffIncident } from './incident-page.js';
import { INCIDENT_READERS, type IncidentForm, renderStaffIncidents } from './incidents.js';
import { staffNames } from './labels.js';
import { type ConsoleMessage, refused } from './shell.js';

const id = line().min(1).max(64);
const DONE = {
  recorded: 'Incident recorded.',
  take_over: 'You now own the incident.',
  risk: 'Decision recorded.',
  notify: 'Notification recorded.',
  inform: 'Recorded that the people affected were told.',
  notice: 'Vow is writing to the people affected; the progress is below.',
  note: 'Note added.',
  residents: 'Residents per state saved; the state clocks follow.',
  count: 'Residents counted by state from Vow’s data; the state clocks follow.',
  state_notice: 'Notice recorded.',
  close: 'Incident closed; the record is kept.',
} as const;
type Done = keyof typeof DONE;

/** One box ticked is a string, several a list, none absent. */
const ticked = z
  .union([line().max(100), z.array(line().max(100)).max(100)])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));

/** A datetime-local field (read as UTC) or ISO 8601; empty: undefined (now). */
function timeOf(v: string | undefined): string | undefined {
  if (!v?.trim()) return undefined;
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(v) ? `${v}:00Z` : v;
}

function countOf(v: string | undefined): number | null | undefined {
  if (!v?.trim()) return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new VowError('VOW_INCIDENT_INVALID', 'An approximate number is a whole number, 0 or more');
  return n;
}

/** `WI 120` (or `us-wi 120`, `unknown 3`) per line or comma: the residents per state of the form. */
function residentsOf(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of text.split(/[\n,;]+/)) {
    const t = part.trim();
    if (!t) continue;
    const m = /^([A-Za-z_-]+)\s*[:=]?\s*(\S+)$/.exec(t);
    const n = m ? Number(m[2]) : Number.NaN;
    if (!m || !Number.isSafeInteger(n) || n < 0)
      throw new VowError(
        'VOW_INCIDENT_RESIDENTS_INVALID',
        `"${t}": write a state's two-letter code and a whole number (WI 120)`,
      );
    const key = m[1]!.toLowerCase();
    out[/^[a-z]{2}$/.test(key) ? `us-${key}` : key] = n;
  }
  return out;
}

function assertReader(req: FastifyRequest): string[] {
  const roles = [...staffActorOf(req).roles];
  if (!roles.some((r) => INCIDENT_READERS.includes(r)))
    throw new VowError(
      'VOW_FORBIDDEN',
      'The incident register is for the privacy officer, customer service and the auditor',
    );
  return roles;
}

export const incidentConsoleRoutes: RouteModule = (app, ctx, services) => {
  const incidents = services.incidents;
  const authorities = () => incidents.authorities();

  async function listHtml(
    req: FastifyRequest,
    view: { showClosed?: boolean; form?: IncidentForm; message?: ConsoleMessage },
    refusal?: FilterRefusal,
  ): Promise<string> {
    const roles = assertReader(req);
    const showClosed = view.showClosed ?? false;
    return renderStaffIncidents(
      consoleFrame(ctx, req),
      await incidents.list({ includeClosed: showClosed }),
      {
        showClosed,
        canRecord: roles.includes('privacy_officer') || roles.includes('customer_service'),
        authorities: authorities(),
        ...(view.form ? { form: view.form } : {}),
        ...(view.message ? { message: view.message } : {}),
      },
      refusal,
    );
  }

  async function listPage(
    req: FastifyRequest,
    reply: FastifyReply,
    view: { showClosed?: boolean; form?: IncidentForm; message?: ConsoleMessage },
    status = 200,
  ) {
    return sendHtml(reply, await listHtml(req, view), status);
  }

  app.get(
    '/staff/incidents',
    {
      config: {
        access: 'staff:any',
        // A refused `show` in the address: the open incidents, the alert naming it (400).
        filterPage: (req, refusal) => listHtml(req, {}, refusal),
      },
      // The readers' check before the address's: a role that may not read the register is refused
      // (403) whatever the address holds, never shown the list by the refused filter's page.
      preValidation: async (req) => {
        assertReader(req);
      },
      schema: {
        tags: ['pages'],
        summary: 'The incident register',
        hide: true,
        querystring: z.strictObject({ show: z.enum(['open', 'all']).optional() }),
      },
    },
    async (req, reply) => listPage(req, reply, { showClosed: req.query.show === 'all' }),
  );

  app.post(
    '/staff/incidents',
    {
      config: { access: 'staff:customer_service' },
      schema: {
        tags: ['pages'],
        summary: 'Record an incident (form)',
        hide: true,
        body: z.strictObject({
          ...csrfBodyField,
          summary: prose().max(8000),
          awareAt: line().max(40).optional(),
          dataCategories: ticked,
          subjectKinds: ticked,
          approxSubjects: line().max(12).optional(),
          approxRecords: line().max(12).optional(),
          consequences: prose().max(8000).optional(),
          measures: prose().max(8000).optional(),
          authority: line().max(64).optional(),
        }),
      },
    },
    async (req, reply) => {
      const b = req.body;
      const actor = staffActorOf(req);
      try {
        const view = await incidents.record(
          {
            summary: b.summary,
            awareAt: timeOf(b.awareAt),
            dataCategories: b.dataCategories,
            subjectKinds: b.subjectKinds,
            approxSubjects: countOf(b.approxSubjects),
            approxRecords: countOf(b.approxRecords),
            consequences: b.consequences,
            measures: b.measures,
            authority: b.authority?.trim() ? b.authority : null,
          },
          { staffId: actor.id, privacyOfficer: actor.roles.includes('privacy_officer') },
        );
        return reply.redirect(`/staff/incidents/${view.id}?done=recorded`, 303);
      } catch (err) {
        const { error, status } = refusalOf(err);
        const { _csrf, ...form } = b;
        return listPage(req, reply, { form, message: refused(error) }, status);
      }
    },
  );

  async function incidentPage(
    req: FastifyRequest,
    reply: FastifyReply,
    iid: string,
    message?: ConsoleMessage,
    status = 200,
    affected?: { people: number; records: number; from: string | null; to: string },
  ) {
    const roles = assertReader(req);
    const incident = await incidents.detail(iid);
    const [events, names, notice, usStates] = await Promise.all([
      ctx.audit.list({ targetType: 'incident', targetId: iid, limit: 1000 }),
      staffNames(services),
      services.incidentNotices.progress(iid),
      services.incidentStates.view(iid, roles.includes('privacy_officer')),
    ]);
    return sendHtml(
      reply,
      renderStaffIncident(consoleFrame(ctx, req), incident, {
        events,
        names,
        canAct: roles.includes('privacy_officer'),
        authorities: authorities(),
        message,
        affected,
        // Customer service and the auditor read the small counts as "fewer than 5" (small-counts.ts).
        notice: notice && shownProgress(notice, roles.includes('privacy_officer')),
        usStates,
      }),
      status,
    );
  }

  app.get(
    '/staff/incidents/:id',
    {
      config: { access: 'staff:any' },
      schema: {
        tags: ['pages'],
        summary: "An incident's page",
        hide: true,
        params: z.strictObject({ id }),
        querystring: z.strictObject({
          done: z.enum(Object.keys(DONE) as [Done, ...Done[]]).optional(),
          count: z.literal('1').optional(),
          from: line().max(40).optional(),
          to: line().max(40).optional(),
        }),
      },
    },
    async (req, reply) => {
      const q = req.query;
      if (q.count) {
        // Counts in a chosen window are the privacy officer's (security.md #41).
        if (!staffActorOf(req).roles.includes('privacy_officer'))
          throw new VowError('VOW_FORBIDDEN', 'Counting the people affected is for the privacy officer');
        try {
          const affected = await incidents.affected(req.params.id, {
            from: timeOf(q.from),
            to: timeOf(q.to),
          });
          return incidentPage(req, reply, req.params.id, undefined, 200, affected);
        } catch (err) {
          const { error, status } = refusalOf(err);
          return incidentPage(req, reply, req.params.id, refused(error), status);
        }
      }
      return incidentPage(req, reply, req.params.id, q.done ? { ok: true, text: DONE[q.done] } : undefined);
    },
  );

  app.post(
    '/staff/incidents/:id',
    {
      config: { access: 'staff:privacy_officer' },
      schema: {
        tags: ['pages'],
        summary: "An incident page's action form",
        hide: true,
        params: z.strictObject({ id }),
        body: z.strictObject({
          ...csrfBodyField,
          action: z.enum(['take_over', 'risk', 'notify', 'inform', 'note', 'close']),
          confirmed: z.literal('yes').optional(),
          level: z.enum(RISK_LEVELS).optional(),
          reason: prose().max(8000).optional(),
          authority: line().max(64).optional(),
          reference: line().max(200).optional(),
          at: line().max(40).optional(),
          delayReason: prose().max(8000).optional(),
          how: prose().max(8000).optional(),
          text: prose().max(8000).optional(),
        }),
      },
    },
    async (req, reply) => {
      const staff = staffIdOf(req);
      const iid = req.params.id;
      const b = req.body;
      if (b.action === 'close' && b.confirmed !== 'yes')
        return sendHtml(
          reply,
          renderConfirmation(consoleFrame(ctx, req), {
            title: 'close the incident',
            section: '/staff/incidents',
            action: `/staff/incidents/${iid}`,
            back: `/staff/incidents/${iid}`,
            fields: { action: 'close' },
            willHappen: [
              'The incident leaves the list of open incidents; its record, decision and timeline are kept (Art. 33(5)).',
            ],
            cannotUndo: 'A closed incident cannot be reopened or changed; a new incident would be needed.',
            confirmLabel: 'Close the incident',
            tone: 'proceed',
          }),
        );
      try {
        if (b.action === 'take_over') await incidents.takeOver(iid, staff);
        else if (b.action === 'risk')
          await incidents.decideRisk(iid, b.level ?? 'risk', b.reason ?? '', staff);
        else if (b.action === 'notify')
          await incidents.notifyAuthority(
            iid,
            {
              at: timeOf(b.at),
              reference: b.reference ?? '',
              delayReason: b.delayReason,
              authority: b.authority,
            },
            staff,
          );
        else if (b.action === 'inform')
          await incidents.informSubjects(iid, { at: timeOf(b.at), how: b.how ?? '' }, staff);
        else if (b.action === 'note') await incidents.addNote(iid, b.text ?? '', staff);
        else await incidents.close(iid, staff);
      } catch (err) {
        const { error, status } = refusalOf(err);
        return incidentPage(req, reply, iid, refused(error), status);
      }
      return reply.redirect(`/staff/incidents/${iid}?done=${b.action}`, 303);
    },
  );

  app.post(
    '/staff/incidents/:id/us-states',
    {
      config: { access: 'staff:privacy_officer' },
      schema: {
        tags: ['pages'],
        summary: "An incident page's US state forms: count or enter the residents, record a notice",
        hide: true,
        params: z.strictObject({ id }),
        body: z.strictObject({
          ...csrfBodyField,
          action: z.enum(['count', 'residents', 'state_notice']),
          residents: prose().max(4000).optional(),
          duty: line().max(40).optional(),
          to: prose().max(2000).optional(),
          at: line().max(40).optional(),
        }),
      },
    },
    async (req, reply) => {
      const staff = staffIdOf(req);
      const iid = req.params.id;
      const b = req.body;
      const states = services.incidentStates;
      try {
        if (b.action === 'count') await states.countResidents(iid, staff);
        else if (b.action === 'residents')
          await states.setResidents(iid, residentsOf(b.residents ?? ''), staff);
        else {
          const [state = '', kind = ''] = (b.duty ?? '').split(':');
          await states.recordNotice(
            iid,
            { state, kind: kind as StateNoticeKind, at: timeOf(b.at), to: b.to ?? '' },
            staff,
          );
        }
      } catch (err) {
        const { error, status } = refusalOf(err);
        return incidentPage(req, reply, iid, refused(error), status);
      }
      return reply.redirect(`/staff/incidents/${iid}?done=${b.action}#us-states-h`, 303);
    },
  );
};
