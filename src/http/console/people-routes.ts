// Person look-up for customer service (POST only: no personal value or subject id in any URL),
// and removing someone from a mailing from their page. Every look-up is audited.

import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { suppressionLog } from '../../modules/consent/index.js';
import { VowError } from '../../platform/errors.js';
import { holdsContactShape, line, prose } from '../../platform/strings.js';
import { blankField, consoleFrame, csrfBodyField, refusalOf, sendHtml, staffIdOf } from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';
import { renderConfirmation } from './confirm.js';
import { staffNames } from './labels.js';
import { type PersonView, renderPeopleSearch, renderPerson } from './people.js';
import { withAddresses } from './person-catalog.js';
import { type ConsoleFrame, refused } from './shell.js';
import { renderSuppressions } from './suppressions.js';

/** What a look-up was by, in the words of "No one is known by that …". */
const LOOKED_UP_BY = { email: 'email address', phone: 'phone number', order: 'order number' } as const;

export const peopleConsoleRoutes: RouteModule = (app, ctx, services) => {
  const actor = (req: FastifyRequest) => ({ type: 'staff' as const, id: staffIdOf(req) });

  /** The names the person gave (orders, forms, account), from the data map's identity.name columns. */
  async function namesOf(subjectId: string): Promise<string[]> {
    try {
      const held = await services.datasets.export({ subjectIds: [subjectId] });
      const names = held.values
        .filter((v) => v.category === 'identity.name' && typeof v.value === 'string' && v.value.trim())
        .map((v) => (v.value as string).trim());
      return [...new Set(names)];
    } catch {
      return [];
    }
  }

  /** The person's page, its viewing audited (`by`: how staff reached it), with a form's outcome if any. */

  async function showPerson(
    req: FastifyRequest,
    reply: FastifyReply,
    frame: ConsoleFrame,
    subjectId: string,
    by: string,
    outcome?: { message: { ok: boolean; text: string }; status: number },
  ): Promise<FastifyReply> {
    const view = await person(subjectId);
    await ctx.audit.record({
      actor: actor(req),
      action: 'person.viewed',
      target: { type: 'subject', id: subjectId },
      details: { by },
    });
    return sendHtml(reply, renderPerson(frame, view, outcome?.message), outcome?.status);
  }

  async function person(subjectId: string): Promise<PersonView> {
    const s = services;
    const [
      identifiers,
      catalogRequests,
      kinds,
      states,
      history,
      disclosures,
      requests,
      restrictions,
      under13,
      proposals,
      erased,
      orders,
    ] = await Promise.all([
      s.subjects.identifiers(subjectId),
      s.collection.catalogRequests(subjectId),
      s.subjects.kinds(subjectId),
      s.consent.states(subjectId),
      s.consent.history(subjectId),
      s.disclosures.forSubject(subjectId),
      s.rights.forSubject(subjectId),
      s.rights.restrictionsOf(subjectId),
      s.subjects.isMarkedUnder13(subjectId),
      s.under13.pending(),
      s.subjects.erased(subjectId),
      s.collection.orders(subjectId),
    ]);
    const emails = identifiers
      .filter((i) => i.kind === 'email' && typeof i.value === 'string')
      .map((i) => i.value as string);
    const [account, complaints, names, staff] = await Promise.all([
      s.identity.accounts.forSubject(subjectId),
      s.complaints.forPerson(
        emails,
        requests.map((r) => r.id),
      ),
      namesOf(subjectId),
      staffNames(s),
    ]);
    return {
      subjectId,
      names,
      account: account
        ? { id: account.id, verified: account.emailVerifiedAt !== null, createdAt: account.createdAt }
        : null,
      complaints,
      staffNames: staff,
      under13,
      under13Proposed: proposals.some((p) => p.subjectId === subjectId),
      erased,
      orders,
      kinds,
      identifiers,
      catalogRequests: withAddresses(catalogRequests, identifiers),
      states,
      history,
      disclosures,
      requests,
      restrictions,
    };
  }

  app.get(
    '/staff/suppressions',
    { config: { access: 'staff:customer_service' }, schema: { hide: true, querystring: z.strictObject({}) } },
    async (req, reply) => {
      const [log, names] = await Promise.all([suppressionLog(ctx), staffNames(services)]);
      await ctx.audit.record({
        actor: actor(req),
        action: 'suppressions.viewed',
        details: { people: log.people.length },
      });
      return sendHtml(reply, renderSuppressions(consoleFrame(ctx, req), log, names));
    },
  );

  app.get(
    '/staff/people',
    // The search is a form's body, never the address (a person's email would sit in the history and
    // the logs): an address carrying one is refused, not silently shown an empty search.
    { config: { access: 'staff:customer_service' }, schema: { hide: true, querystring: z.strictObject({}) } },
    async (req, reply) => sendHtml(reply, renderPeopleSearch(consoleFrame(ctx, req))),
  );

  app.post(
    '/staff/people',
    {
      config: { access: 'staff:customer_service' },
      schema: {
        hide: true,
        body: z.strictObject({
          ...csrfBodyField,
          email: blankField(254),
          phone: blankField(40),
          // The shop's order number (its shop_order_id), as a customer quotes it.
          order: blankField(100),
          // Vow's id of the person, from a page that names them by it (an under-13 report).
          subjectId: blankField(64),
        }),
      },
    },
    async (req, reply) => {
      const frame = consoleFrame(ctx, req);
      const { email, phone } = req.body;
      const order = req.body.order?.trim().replace(/^#/, '');
      if (req.body.subjectId) {
        const id = req.body.subjectId;
        if (!(await services.subjects.exists(id)))
          return sendHtml(
            reply,
            renderPeopleSearch(frame, { ok: false, text: 'No one is known by that id.' }),
            404,
          );
        return showPerson(req, reply, frame, id, 'id');
      }
      if (!email && !phone && !order)
        return sendHtml(
          reply,
          renderPeopleSearch(frame, {
            ok: false,
            text: 'Type an email address, a phone number or an order number.',
          }),
          400,
        );
      const by = email ? 'email' : phone ? 'phone' : 'order';
      const buyer = by === 'order' ? await services.collection.buyerOfOrder(order!) : undefined;
      if (buyer?.erased) {
        // Only the order's history is kept (its exemption); the person's page would show nothing.
        await ctx.audit.record({ actor: actor(req), action: 'person.lookup_no_match', details: { by } });
        return sendHtml(
          reply,
          renderPeopleSearch(frame, {
            ok: false,
            text: `That order's buyer had their data deleted: Vow keeps only the order's history (items, totals, dates) under the exemption "${ctx.policy.doc.exemptions.service_customers?.title ?? 'service_customers'}", and nothing that says who they are.`,
          }),
          404,
        );
      }
      const subjectId = email
        ? await services.subjects.findByEmail(email)
        : phone
          ? await services.subjects.findByPhone(phone).catch(() => undefined)
          : buyer?.subjectId;
      if (!subjectId) {
        await ctx.audit.record({ actor: actor(req), action: 'person.lookup_no_match', details: { by } });
        return sendHtml(
          reply,
          renderPeopleSearch(frame, {
            ok: false,
            text: `No one is known by that ${LOOKED_UP_BY[by]}.`,
          }),
          404,
        );
      }
      return showPerson(req, reply, frame, subjectId, by);
    },
  );

  app.post(
    '/staff/people/suppress',
    {
      config: { access: 'staff:customer_service' },
      schema: {
        hide: true,
        body: z.strictObject({
          ...csrfBodyField,
          subjectId: line().min(1).max(64),
          channel: line().min(1).max(64),
          reason: prose().trim().min(1).max(500),
          confirmed: z.literal('yes').optional(),
        }),
      },
    },
    async (req, reply) => {
      const frame = consoleFrame(ctx, req);
      const { subjectId, channel, reason } = req.body;
      if (!(await services.subjects.exists(subjectId)))
        throw new VowError('VOW_UNKNOWN_SUBJECT', 'No subject with this id is known');
      if (req.body.confirmed !== 'yes' && !holdsContactShape(reason))
        return sendHtml(
          reply,
          renderConfirmation(frame, {
            title: `suppress from ${channel.replace(/[._]/g, ' ')}`,
            section: '/staff/people',
            action: '/staff/people/suppress',
            back: '/staff/people',
            fields: { subjectId, channel, reason },
            willHappen: [
              `The person is taken off ${channel.replace(/[._]/g, ' ')} at once: no send on this channel may reach them.`,
              `Your reason is kept in the audit trail under your name: “${reason}”.`,
            ],
            cannotUndo:
              'Staff cannot lift a suppression: only the person asking again, explicitly, on a form brings them back.',
            confirmLabel: 'Suppress',
            tone: 'proceed',
          }),
        );
      let message: { ok: boolean; text: string };
      let status = 200;
      if (holdsContactShape(reason)) {
        message = {
          ok: false,
          text: 'Not done: the reason goes to the audit trail, so it may not hold an email address or phone number.',
        };
        status = 400;
      } else {
        try {
          const r = await services.consent.suppress(undefined, {
            subjectId,
            channel,
            staffId: staffIdOf(req),
            reason,
          });
          message = {
            ok: true,
            text: r.alreadySuppressed
              ? `Already suppressed from ${channel}.`
              : `Suppressed from ${channel}: only the person's own explicit ask on a form brings them back.`,
          };
        } catch (err) {
          const refusal = refusalOf(err);
          message = refused(refusal.error);
          status = refusal.status;
        }
      }
      return showPerson(req, reply, frame, subjectId, 'suppression_form', { message, status });
    },
  );

  app.post(
    '/staff/people/under13',
    {
      config: { access: 'staff:customer_service' },
      schema: {
        hide: true,
        body: z.strictObject({
          ...csrfBodyField,
          subjectId: line().min(1).max(64),
          reason: blankField(500),
          confirmed: z.literal('yes').optional(),
        }),
      },
    },
    async (req, reply) => {
      const frame = consoleFrame(ctx, req);
      const { subjectId, reason } = req.body;
      if (!(await services.subjects.exists(subjectId)))
        throw new VowError('VOW_UNKNOWN_SUBJECT', 'No subject with this id is known');
      if (req.body.confirmed !== 'yes')
        return sendHtml(
          reply,
          renderConfirmation(frame, {
            title: 'report the person as under 13',
            section: '/staff/people',
            action: '/staff/people/under13',
            back: '/staff/people',
            fields: { subjectId, reason },
            willHappen: [
              'A privacy officer (another person than you) is asked to review the report.',
              'If they approve, everything Vow holds about the person is deleted, for good, and their data is refused in future.',
              'Until then nothing is deleted.',
            ],
            cannotUndo:
              'The report stays in the audit trail under your name; an approved report deletes the person’s data for good.',
            confirmLabel: 'Report as under 13',
            tone: 'proceed',
          }),
        );
      let message: { ok: boolean; text: string };
      let status = 202;
      try {
        await services.under13.propose(subjectId, staffIdOf(req), reason);
        message = {
          ok: true,
          text: 'Reported as under 13: a privacy officer will review it. Nothing is deleted until they approve.',
        };
      } catch (err) {
        const refusal = refusalOf(err);
        message = refused(refusal.error);
        status = refusal.status;
      }
      return showPerson(req, reply, frame, subjectId, 'under13_form', { message, status });
    },
  );
};
