// The appeal of a refused request, the shopper's form post (the form is on the request's status
// page): files the appeal and returns to the status page, which then shows it. An appeal refused
// for what it holds (a reason over 4,000 characters) brings the status page back with the reason
// typed and the mistake at its field.
import { z } from 'zod';
import { line, prose } from '../../platform/strings.js';
import { formToken } from '../access.js';
import type { FormPage } from '../form-issues.js';
import { refusalText } from '../refusal-text.js';
import { pageLocale, refusalOf, sendHtml } from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';
import { formStateOf } from './form-state.js';
import { REQUEST_WORDS } from './i18n/requests.js';
import { renderRequestStatus, renderRightsMessage } from './requests.js';
import { viewerOf } from './shopper-layout.js';

const token = line().min(20).max(100);

export const appealPageRoutes: RouteModule = (app, ctx, services) => {
  /** The status page again, the appeal's reason typed and its mistake at the field. */
  const formPage: FormPage = async (req, reply, refusal) => {
    const t = (req.params as { token: string }).token;
    const state = formStateOf(refusal, pageLocale(req), ['reason']);
    return sendHtml(
      reply,
      renderRequestStatus(
        ctx.policy,
        await services.rights.statusByToken(t),
        t,
        formToken(ctx, '/privacy/request/status/:token'),
        undefined,
        {
          offer: await services.rights.appealOffer(t),
          csrf: formToken(ctx, '/privacy/request/status/:token/appeal'),
          state,
        },
        viewerOf(req),
      ),
      refusal.status,
    );
  };
  app.post(
    '/privacy/request/status/:token/appeal',
    {
      config: { access: 'public', csrf: 'form', formPage },
      schema: {
        tags: ['pages'],
        summary: 'The appeal form of a refused request',
        hide: true,
        params: z.strictObject({ token }),
        body: z.object({ _csrf: line().optional(), reason: prose().max(4000).optional() }),
      },
    },
    async (req, reply) => {
      try {
        await services.rights.fileAppeal(req.params.token, req.body.reason?.trim() || undefined);
      } catch (err) {
        const { error } = refusalOf(err);
        if (error.code === 'VOW_REQUEST_NOT_FOUND' || error.code === 'VOW_APPEAL_NOT_OFFERED')
          return sendHtml(
            reply,
            renderRightsMessage(
              ctx.policy,
              REQUEST_WORDS[pageLocale(req)].noAppealTitle,
              refusalText(error, error.code === 'VOW_REQUEST_NOT_FOUND' ? 404 : 409, pageLocale(req)),
              'error',
              viewerOf(req),
            ),
            error.code === 'VOW_REQUEST_NOT_FOUND' ? 404 : 409,
          );
        throw err;
      }
      return reply.code(303).header('location', `/privacy/request/status/${req.params.token}`).send();
    },
  );
};
