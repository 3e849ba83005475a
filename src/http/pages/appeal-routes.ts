// The appeal of a refused request, the shopper's form post (the form is on the request's status
// page): files the appeal and returns to the status page, which then shows it.
import { z } from 'zod';
import { line, prose } from '../../platform/strings.js';
import { refusalText } from '../refusal-text.js';
import { pageLocale, refusalOf, sendHtml } from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';
import { REQUEST_WORDS } from './i18n/requests.js';
import { renderRightsMessage } from './requests.js';
import { viewerOf } from './shopper-layout.js';

const token = line().min(20).max(100);

export const appealPageRoutes: RouteModule = (app, ctx, services) => {
  app.post(
    '/privacy/request/status/:token/appeal',
    {
      config: { access: 'public', csrf: 'form' },
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
