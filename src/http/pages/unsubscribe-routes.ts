// One-click unsubscribe (P10, RFC 8058): /u/:token. POST with `List-Unsubscribe=One-Click` (form
// encoded) unsubscribes without login or cookie, idempotently, and answers 200 (never a redirect);
// GET only shows a confirmation page with a button, because link scanners prefetch GETs.
// The page's own button posts the same body plus `via=page`, and is answered with a redirect to the
// page's GET (`?done=1`): a public write never sees the session (security #22), a GET does, so a
// signed-in shopper's confirmation shows them signed in. The token stays in the one address it has.
import { z } from 'zod';
import { isVowError } from '../../platform/errors.js';
import { line } from '../../platform/strings.js';
import type { RouteModule } from '../route-module.js';
import { optionalHint, refuseControlCharacters } from './optional-query.js';
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
      preValidation: refuseControlCharacters,
      schema: {
        tags: ['consent'],
        summary: 'Unsubscribe confirmation page (changes nothing)',
        params,
        querystring: z.object({
          done: optionalHint(z.literal('1')).describe("Set by the page's own button once it unsubscribed"),
        }),
      },
    },
    async (req, reply) => {
      void reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
      try {
        const t = await services.consent.describeToken(req.params.token);
        // After the page's own button: "You are unsubscribed" (only when it is so).
        if (req.query.done === '1' && t.unsubscribed)
          return reply.send(renderUnsubscribed(ctx.policy, { channel: t.channel }, viewerOf(req)));
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
          "Body `List-Unsubscribe=One-Click` (application/x-www-form-urlencoded). No login, no cookie; idempotent; 200 with a confirmation page. The confirmation page's own button adds `via=page` and is answered 303 to the page's GET (`?done=1`).",
        params,
        body: z.strictObject({
          'List-Unsubscribe': z.literal('One-Click'),
          via: z.literal('page').optional(),
        }),
      },
    },
    async (req, reply) => {
      const r = await services.consent.unsubscribeByToken(req.params.token);
      // The page's button: post/redirect/get, so the confirmation is a GET that sees the session.
      if (req.body.via === 'page')
        return reply
          .code(303)
          .header('cache-control', 'no-store')
          .header('location', `/u/${encodeURIComponent(req.params.token)}?done=1`)
          .send();
      return reply
        .code(200)
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(renderUnsubscribed(ctx.policy, { channel: r.channel }, viewerOf(req)));
    },
  );
};
