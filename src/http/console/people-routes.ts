// Person look-up for customer service (POST only: no personal value or subject id in any URL),
// and removing someone from a mailing from their page. Every look-up is audited.

import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { VowError } from '../../platform/errors.js';
import { line, prose } from '../../platform/strings.js';
import { blankField, consoleFrame, csrfBodyField, refusalOf, sendHtml, staffIdOf } from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';
import { type PersonView, renderPeopleSearch, renderPerson } from './people.js';

export const peopleConsoleRoutes: RouteModule = (app, ctx, services) => {
  const actor = (req: FastifyRequest) => ({ type: 'staff' as const, id: staffIdOf(req) });

  async function person(subjectId: string): Promise<PersonView> {
    const s = services;
    const [identifiers, kinds, states, history, disclosures, requests, restrictions, under13, proposals] =
      await Promise.all([
        s.subjects.identifiers(subjectId),
        s.subjects.kinds(subjectId),
        s.consent.states(subjectId),
        s.consent.history(subjectId),
        s.disclosures.forSubject(subjectId),
        s.rights.forSubject(subjectId),
        s.rights.restrictionsOf(subjectId),
        s.subjects.isMarkedUnder13(subjectId),
        s.under13.pending(),
      ]);
    return {
      subjectId,
      under13,
      under13Proposed: proposals.some((p) => p.subjectId === subjectId),
      kinds,
      identifiers,
      states,
      history,
      disclosures,
      requests,
      restrictions,
    };
  }

  app.get(
    '/staff/people',
    { config: { access: 'staff:customer_service' }, schema: { hide: true } },
    async (req, reply) => sendHtml(reply, renderPeopleSearch(consoleFrame(ctx, req))),
  );

  app.post(
    '/staff/people',
    {
      config: { access: 'staff:customer_service' },
      schema: {
        hide: true,
        body: z.strictObject({ ...csrfBodyField, email: blankField(254), phone: blankField(40) }),
      },
    },
    async (req, reply) => {
      const frame = consoleFrame(ctx, req);
      const { email, phone } = req.body;
      if (!email && !phone)
        return sendHtml(
          reply,
          renderPeopleSearch(frame, {
            ok: false,
            text: 'Type an email address or a phone number.',
          }),
          400,
        );
      const by = email ? 'email' : 'phone';
      const subjectId = email
        ? await services.subjects.findByEmail(email)
        : await services.subjects.findByPhone(phone!).catch(() => undefined);
      if (!subjectId) {
        await ctx.audit.record({ actor: actor(req), action: 'person.lookup_no_match', details: { by } });
        return sendHtml(
          reply,
          renderPeopleSearch(frame, {
            ok: false,
            text: `No one is known by that ${by === 'email' ? 'email address' : 'phone number'}.`,
          }),
          404,
        );
      }
      const view = await person(subjectId);
      await ctx.audit.record({
        actor: actor(req),
        action: 'person.viewed',
        target: { type: 'subject', id: subjectId },
        details: { by },
      });
      return sendHtml(reply, renderPerson(frame, view));
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
        }),
      },
    },
    async (req, reply) => {
      const frame = consoleFrame(ctx, req);
      const { subjectId, channel, reason } = req.body;
      if (!(await services.subjects.exists(subjectId)))
        throw new VowError('VOW_UNKNOWN_SUBJECT', 'No subject with this id is known');
      let message: { ok: boolean; text: string };
      let status = 200;
      if (/@|\d[\d ().-]{6,}\d/.test(reason)) {
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
          message = { ok: false, text: `Not done: ${refusal.error.message}` };
          status = refusal.status;
        }
      }
      const view = await person(subjectId);
      await ctx.audit.record({
        actor: actor(req),
        action: 'person.viewed',
        target: { type: 'subject', id: subjectId },
        details: { by: 'suppression_form' },
      });
      return sendHtml(reply, renderPerson(frame, view, message), status);
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
        }),
      },
    },
    async (req, reply) => {
      const frame = consoleFrame(ctx, req);
      const { subjectId, reason } = req.body;
      if (!(await services.subjects.exists(subjectId)))
        throw new VowError('VOW_UNKNOWN_SUBJECT', 'No subject with this id is known');
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
        message = { ok: false, text: `Not done: ${refusal.error.message}` };
        status = refusal.status;
      }
      return sendHtml(reply, renderPerson(frame, await person(subjectId), message), status);
    },
  );
};
