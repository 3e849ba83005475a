// Data subject requests in the staff console: the queue (searched and filtered, closed requests
// included on demand), a request's page with its timeline and the actions its step allows (each
// irreversible one behind a confirmation step, then redirect-after-POST), and logging a request
// that arrived by email or post (P24).

import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  type DataPoints,
  isoDay,
  JURISDICTIONS,
  type QueueFilter,
  REQUEST_TYPES,
} from '../../modules/rights/index.js';
import { VowError } from '../../platform/errors.js';
import { line, prose } from '../../platform/strings.js';
import { addressPartsBody } from '../pages/address-parts.js';
import type { FormState } from '../pages/form-state.js';
import { blankField, consoleFrame, csrfBodyField, refusalOf, sendHtml, staffIdOf } from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';
import { renderConfirmation } from './confirm.js';
import type { FilterRefusal } from './filter-refusal.js';
import { staffNames } from './labels.js';
import { type LogRequestValues, renderLogRequest } from './log-request.js';
import { DONE_TEXT, REVERSIBLE, requestConfirmation } from './request-confirmations.js';
import { renderStaffRequest } from './request-page.js';
import { renderStaffQueue } from './requests.js';
import { type ConsoleMessage, refused } from './shell.js';

const id = line().min(1).max(64);

const ACTIONS = [
  'verify_data_points',
  'approve_verification',
  'reject_verification',
  'confirm_agent',
  'approve_correction',
  'extend',
  'acknowledge',
  'deny',
  'lift',
] as const;

/** The postal address typed in its parts on the verification form, or none when it was left empty. */
function typedAddress(b: Record<string, string | undefined>): DataPoints['address'] {
  const part = (k: string) => b[`address_${k}`]?.trim() || undefined;
  const parts = ['line1', 'line2', 'city', 'region', 'postal_code', 'country'].map(part);
  if (parts.every((p) => p === undefined)) return undefined;
  const [line1, line2, city, region, postalCode, country] = parts;
  if (!line1 || !city || !postalCode || !country || !/^[A-Za-z]{2}$/.test(country))
    throw new VowError(
      'VOW_VALIDATION',
      'A postal address needs its street, city, postal code and a two-letter country (such as US); or leave all its fields empty',
    );
  return {
    line1,
    ...(line2 ? { line2 } : {}),
    city,
    ...(region ? { region } : {}),
    postal_code: postalCode,
    country: country.toUpperCase(),
  };
}

/** A refused action in words staff act on: a failed verification says how many details matched. */
function refusedAction(error: VowError): ConsoleMessage {
  if (error.code !== 'VOW_VERIFICATION_FAILED') return refused(error);
  const d = (error.details ?? {}) as { matched?: number; needed?: number; declarationNeeded?: boolean };
  const matched = d.matched ?? 0;
  return refused({
    code: error.code,
    message: `${matched === 0 ? 'none' : matched} of the details you typed ${matched === 1 ? 'matches' : 'match'} what Vow holds about one person; this request needs ${d.needed ?? 2}${d.declarationNeeded ? ' and the signed declaration' : ''}. Check the details with the person, or ask for another one (a phone number, the postal address, their shop account id).`,
  });
}

/** True for the privacy officer (and the tests' principal), who alone may refuse or lift. */
function isOfficer(req: FastifyRequest): boolean {
  const p = req.principal;
  return p?.kind === 'test' || (p?.kind === 'staff' && p.roles.includes('privacy_officer'));
}

const filterFields = z.object({
  // As long as the longest email address (254 characters), which a requester may have given.
  q: blankField(254),
  show: z.enum(['open', 'closed', 'all']).optional(),
  type: z.union([z.enum(REQUEST_TYPES), z.literal('')]).optional(),
  status: z
    .union([
      z.enum([
        'awaiting_verification',
        'awaiting_agent_confirmation',
        'awaiting_approval',
        'in_progress',
        'completed',
        'denied',
      ]),
      z.literal(''),
    ])
    .optional(),
  law: z.union([z.enum(['gdpr', 'ccpa']), z.literal('')]).optional(),
  overdue: z.literal('yes').optional(),
  approval: z.literal('yes').optional(),
});

/** The queue's filters as the address or the search form gives them. */
type QueueQuery = Omit<z.infer<typeof filterFields>, 'q'> & { q?: string | undefined };

/** The verification form's fields: a refused verification shows them again as they were typed. */
const VERIFY_FIELDS = [
  'email',
  'phone',
  'accountId',
  'address_line1',
  'address_line2',
  'address_city',
  'address_region',
  'address_postal_code',
  'address_country',
  'declarationSigned',
] as const;

/** Actions only a privacy officer takes. */
const OFFICER_ONLY: ReadonlySet<string> = new Set([
  'deny',
  'lift',
  'approve_verification',
  'reject_verification',
]);

export const requestConsoleRoutes: RouteModule = (app, ctx, services) => {
  const rights = services.rights;

  async function requestPage(
    req: FastifyRequest,
    reply: FastifyReply,
    rid: string,
    message?: { ok: boolean; text: string },
    status = 200,
    typed?: FormState,
  ) {
    const staff = staffIdOf(req);
    // The detail first: opening it is itself an event of the timeline.
    const request = await rights.detail(rid, staff);
    const [events, names, mayDecide] = await Promise.all([
      ctx.audit.list({ targetType: 'request', targetId: rid, limit: 1000 }),
      staffNames(services),
      request.pendingVerification && isOfficer(req)
        ? rights.mayDecideVerification(rid, staff)
        : Promise.resolve(false),
    ]);
    return sendHtml(
      reply,
      renderStaffRequest(consoleFrame(ctx, req), {
        request,
        events,
        names,
        isOfficer: isOfficer(req),
        staffId: staff,
        mayDecideVerification: mayDecide,
        typed,
        message,
      }),
      status,
    );
  }

  async function queuePage(req: FastifyRequest, q: QueueQuery, refusal?: FilterRefusal): Promise<string> {
    const filter: QueueFilter = {
      text: q.q,
      show: q.show ?? (q.status === 'completed' || q.status === 'denied' ? 'all' : 'open'),
      type: q.type || undefined,
      status: q.status || undefined,
      law: q.law || undefined,
      overdue: q.overdue === 'yes',
      pendingApproval: q.approval === 'yes',
    };
    const [requests, complaints, pendingApprovals] = await Promise.all([
      rights.staffQueue(staffIdOf(req), filter),
      services.complaints.list(),
      rights.pendingApprovals(),
    ]);
    return renderStaffQueue(
      consoleFrame(ctx, req),
      requests,
      complaints.filter((c) => c.status === 'open').length,
      filter,
      pendingApprovals,
      refusal,
    );
  }

  // Filters (no personal value) may sit in the address; a search is posted, so the email or name
  // typed never reaches a URL, the browser history or a log line.
  app.get(
    '/staff/requests',
    {
      config: {
        access: 'staff:customer_service',
        // A refused filter in the address: the queue without it, the field marked (400).
        filterPage: (req, refusal) => queuePage(req, refusal.query as QueueQuery, refusal),
      },
      schema: {
        tags: ['pages'],
        summary: 'The request queue page',
        hide: true,
        querystring: filterFields.omit({ q: true }).strict(),
      },
    },
    async (req, reply) => sendHtml(reply, await queuePage(req, req.query)),
  );

  app.post(
    '/staff/requests',
    {
      config: { access: 'staff:customer_service' },
      schema: {
        tags: ['pages'],
        summary: 'The request queue, searched',
        hide: true,
        body: filterFields.extend(csrfBodyField).strict(),
      },
    },
    async (req, reply) => {
      const { _csrf, ...q } = req.body;
      return sendHtml(reply, await queuePage(req, q));
    },
  );

  app.get(
    '/staff/requests/:id',
    {
      config: { access: 'staff:customer_service' },
      schema: {
        tags: ['pages'],
        summary: "A request's page",
        hide: true,
        params: z.strictObject({ id }),
        querystring: z.strictObject({ done: z.enum([...ACTIONS, 'verify_pending']).optional() }),
      },
    },
    async (req, reply) =>
      requestPage(
        req,
        reply,
        req.params.id,
        req.query.done ? { ok: true, text: DONE_TEXT[req.query.done] } : undefined,
      ),
  );

  app.post(
    '/staff/requests/:id',
    {
      config: { access: 'staff:customer_service' },
      schema: {
        tags: ['pages'],
        summary: "A request page's action form",
        hide: true,
        params: z.strictObject({ id }),
        body: z.object({
          _csrf: line().optional(),
          action: z.enum(ACTIONS),
          confirmed: z.literal('yes').optional(),
          email: line().max(254).optional(),
          phone: line().max(40).optional(),
          accountId: line().max(200).optional(),
          ...addressPartsBody,
          declarationSigned: line().optional(),
          reason: prose().max(1000).optional(),
          basis: prose().max(1000).optional(),
        }),
      },
    },
    async (req, reply) => {
      const staff = staffIdOf(req);
      const rid = req.params.id;
      const b = req.body;
      if (OFFICER_ONLY.has(b.action) && !isOfficer(req))
        return requestPage(
          req,
          reply,
          rid,
          {
            ok: false,
            text: 'Not done: only a privacy officer may refuse a request, lift a restriction, or approve or reject a verification.',
          },
          403,
        );
      if (!REVERSIBLE.has(b.action) && b.confirmed !== 'yes') {
        // The confirmation step: what will happen and what cannot be undone; nothing changes yet.
        const detail = await rights.detail(rid, staff);
        const { _csrf, confirmed, ...fields } = b;
        return sendHtml(
          reply,
          renderConfirmation(
            consoleFrame(ctx, req),
            requestConfirmation(detail, b.action, fields, ctx.policy),
          ),
        );
      }
      let done: string = b.action;
      try {
        switch (b.action) {
          case 'verify_data_points': {
            const verified = await rights.verifyByDataPoints(
              rid,
              {
                email: b.email || undefined,
                phone: b.phone || undefined,
                accountId: b.accountId || undefined,
                address: typedAddress(b),
              },
              b.declarationSigned === 'yes',
              staff,
            );
            if (verified.pendingApproval) done = 'verify_pending';
            break;
          }
          case 'approve_verification':
            await rights.approveVerification(rid, staff);
            break;
          case 'reject_verification':
            await rights.rejectVerification(rid, staff, b.reason ?? '');
            break;
          case 'confirm_agent':
            await rights.confirmAgent(rid, staff);
            break;
          case 'approve_correction':
            await rights.approveCorrection(rid, staff);
            break;
          case 'extend':
            await rights.extend(rid, b.reason ?? '', staff);
            break;
          case 'acknowledge':
            await rights.acknowledge(rid, staff);
            break;
          case 'deny':
            await rights.deny(rid, b.basis ?? '', staff);
            break;
          case 'lift':
            await rights.liftRestriction(rid, staff, b.reason ?? '');
            break;
        }
      } catch (err) {
        const { error, status } = refusalOf(err);
        // A refused verification comes back with what was typed, to correct or add a detail.
        const typed =
          b.action === 'verify_data_points'
            ? { values: Object.fromEntries(VERIFY_FIELDS.map((k) => [k, b[k]])) }
            : undefined;
        return requestPage(req, reply, rid, refusedAction(error), status, typed);
      }
      // Redirect after the post: a reload shows the page again instead of acting twice.
      return reply.redirect(`/staff/requests/${rid}?done=${done}`, 303);
    },
  );

  // Logging a request that arrived by email or postal mail (P24).
  app.get(
    '/staff/log-request',
    { config: { access: 'staff:customer_service' }, schema: { hide: true, querystring: z.strictObject({}) } },
    async (req, reply) => sendHtml(reply, renderLogRequest(consoleFrame(ctx, req), isoDay(ctx.clock.now()))),
  );

  app.post(
    '/staff/log-request',
    {
      config: { access: 'staff:customer_service' },
      schema: {
        hide: true,
        body: z.strictObject({
          ...csrfBodyField,
          type: z.enum(REQUEST_TYPES),
          jurisdiction: z.enum(JURISDICTIONS),
          channel: z.enum(['email', 'postal']),
          receivedOn: line().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD'),
          email: blankField(254),
          name: blankField(200),
          details: blankField(2000),
          correctionCategory: blankField(128),
          correctionValue: blankField(1000),
        }),
      },
    },
    async (req, reply) => {
      const b = req.body;
      try {
        if (b.email && !z.email().safeParse(b.email).success)
          throw new VowError('VOW_VALIDATION', 'The email address does not look right');
        const correction =
          b.type === 'correction' && b.correctionCategory && b.correctionValue
            ? { category: b.correctionCategory, value: b.correctionValue }
            : undefined;
        const r = await rights.submit(
          {
            type: b.type,
            jurisdiction: b.jurisdiction,
            email: b.email,
            name: b.name,
            details: b.details,
            correction,
          },
          { channel: b.channel, receivedOn: b.receivedOn, staffId: staffIdOf(req) },
        );
        return reply.redirect(`/staff/requests/${r.requestId}`, 303);
      } catch (err) {
        const { error, status } = refusalOf(err);
        const { _csrf, ...values } = b;
        return sendHtml(
          reply,
          renderLogRequest(consoleFrame(ctx, req), isoDay(ctx.clock.now()), values as LogRequestValues, {
            ok: false,
            text: `Not logged: ${error.message}`,
          }),
          status,
        );
      }
    },
  );
};
