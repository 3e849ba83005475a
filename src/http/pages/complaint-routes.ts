// Complaints (P25), the shopper's pages: the complaint form and the status page reached by its
// unguessable token, which names the regulator to escalate to.

import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { JURISDICTIONS } from '../../modules/rights/index.js';
import { isVowError } from '../../platform/errors.js';
import { line, prose } from '../../platform/strings.js';
import { formToken } from '../access.js';
import { type FormPage, formRefusalOf } from '../form-issues.js';
import { pageLocale, sendHtml } from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';
import { COMPLAINT_FIELDS, renderComplaintForm, renderComplaintStatus } from './complaints.js';
import { type FormState, formStateOf } from './form-state.js';
import { REQUEST_WORDS } from './i18n/requests.js';
import { renderLinkError } from './requests.js';
import { viewerOf } from './shopper-layout.js';

export const complaintPageRoutes: RouteModule = (app, ctx, services) => {
  const complaints = services.complaints;
  /** The form again, with what was typed and each mistake at its field. */
  const formAgain = (req: FastifyRequest, reply: FastifyReply, state: FormState, status = 400) =>
    sendHtml(
      reply,
      renderComplaintForm(ctx.policy, formToken(ctx, '/privacy/complaint'), viewerOf(req), state),
      status,
    );
  const formPage: FormPage = (req, reply, refusal) =>
    formAgain(req, reply, formStateOf(refusal, pageLocale(req), COMPLAINT_FIELDS), refusal.status);

  app.get(
    '/privacy/complaint',
    { config: { access: 'public' }, schema: { tags: ['pages'], summary: 'The complaint form', hide: true } },
    async (req, reply) =>
      sendHtml(reply, renderComplaintForm(ctx.policy, formToken(ctx, '/privacy/complaint'), viewerOf(req))),
  );

  app.post(
    '/privacy/complaint',
    {
      config: { access: 'public', csrf: 'form', mailsTo: 'email', formPage },
      schema: {
        tags: ['pages'],
        summary: 'The complaint form, posted',
        hide: true,
        body: z.object({
          _csrf: line().optional(),
          jurisdiction: z.enum(JURISDICTIONS),
          // Both checked in the handler: a mistake comes back in the form, with what was typed.
          email: line().max(254).optional(),
          message: prose().max(8000),
        }),
      },
    },
    async (req, reply) => {
      const { _csrf, ...typed } = req.body;
      const email = typed.email?.trim();
      const rest = { jurisdiction: typed.jurisdiction, message: typed.message };
      const mistake: 'email' | 'message' | undefined =
        email && !z.email().safeParse(email).success ? 'email' : !rest.message.trim() ? 'message' : undefined;
      if (mistake)
        return formAgain(req, reply, {
          values: typed,
          errors: { [mistake]: REQUEST_WORDS[pageLocale(req)].mistakes[mistake] },
        });
      let r: Awaited<ReturnType<typeof complaints.submit>>;
      try {
        r = await complaints.submit(
          { ...rest, email: email || undefined },
          { channel: 'web', locale: pageLocale(req) },
        );
      } catch (err) {
        return formPage(req, reply, formRefusalOf(err, req.body));
      }
      return reply.code(303).header('location', `/privacy/complaint/status/${r.statusToken}`).send();
    },
  );

  app.get(
    '/privacy/complaint/status/:token',
    {
      config: { access: 'public' },
      schema: {
        tags: ['pages'],
        summary: "A complaint's status page",
        hide: true,
        params: z.strictObject({ token: line().min(20).max(100) }),
      },
    },
    async (req, reply) => {
      try {
        return sendHtml(
          reply,
          renderComplaintStatus(ctx.policy, await complaints.statusByToken(req.params.token), viewerOf(req)),
        );
      } catch (err) {
        if (isVowError(err) && err.code === 'VOW_COMPLAINT_NOT_FOUND')
          return sendHtml(reply, renderLinkError(ctx.policy, 'complaintNotFound', viewerOf(req)), 404);
        throw err;
      }
    },
  );
};
