// One-click unsubscribe (P10, RFC 8058): /u/:token. POST with `List-Unsubscribe=One-Click` (form
// encoded) unsubscribes without login or cookie, idempotently, and answers 200 (never a redirect);
// GET only shows a confirmation page with a button, because link scanners prefetch GETs.
import { z } from 'zod';
import { isVowError } from '../../platform/errors.js';
import { line } from '../../platform/strings.js';
import type { RouteModule } from '../route-module.js';
import { viewerOf } from './shopper-layout.js';
import { renderUnsubscribeConfirm, renderUnsubscribed, renderUnsubscribeInvalid } from './unsubscribe.js';

const params = z.strictObject({
  token: line().min(1).max(200).describe('The opaque token from the email'),
});

export const unsubscribePageRoutes: RouteModule = (app, ctx, services) => {
  app.get(
    '/u/:token',
    {
      config: { access: 'public' },
      schema: {
        tags: ['consent'],
        summary: 'Unsubscribe confirmation page (changes nothing)',
        params,
      },
    },
    async (req, reply) => {
      void reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
      try {
        const t = await services.consent.describeToken(req.params.token);
        return reply.send(
          renderUnsubscribeConfirm(
            ctx.policy,
            {
              action: `/u/${req.params.token}`,
              channel: t.channel,
              alreadyUnsubscribed: t.unsubscribed,
            },
            viewerOf(req),
          ),
        );
      } catch (err) {
        if (isVowError(err) && err.code === 'VOW_UNSUBSCRIBE_TOKEN_INVALID')
          return reply.code(404).send(renderUnsubscribeInvalid(ctx.policy, viewerOf(req)));
        throw err;
      }
    },
  );

  app.post(
    '/u/:token',
    {
      config: { access: 'public' },
      schema: {
        tags: ['consent'],
        summary: 'One-click unsubscribe (RFC 8058)',
        description:
          'Body `List-Unsubscribe=One-Click` (application/x-www-form-urlencoded). No login, no cookie; idempotent; 200 with a confirmation page.',
        params,
        body: z.strictObject({ 'List-Unsubscribe': z.literal('One-Click') }),
      },
    },
    async (req, reply) => {
      const r = await services.consent.unsubscribeByToken(req.params.token);
      return reply
        .code(200)
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(renderUnsubscribed(ctx.policy, { channel: r.channel }, viewerOf(req)));
    },
  );
};
