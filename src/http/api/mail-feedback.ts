// Mail feedback posted as a raw message (for a mail service that forwards reports over HTTP instead
// of the SMTP listener): one RFC 3464 delivery status notification or RFC 5965 ARF report per call.
import { z } from 'zod';
import type { RouteModule } from '../route-module.js';

export const mailFeedbackApiRoutes: RouteModule = (app, _ctx, services) => {
  app.addContentTypeParser('message/rfc822', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('text/plain', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.post(
    '/v1/mail/feedback',
    {
      config: { access: 'service' },
      schema: {
        tags: ['consent'],
        errors: [],
        summary:
          'A bounce (RFC 3464) or a spam complaint (ARF, RFC 5965), as the raw message (message/rfc822)',
        consumes: ['message/rfc822', 'text/plain'],
        body: z
          .string()
          .min(1)
          .max(2 * 1024 * 1024),
        response: {
          200: z.object({
            outcomes: z.array(
              z.object({
                kind: z.enum(['hard_bounce', 'soft_bounce', 'complaint', 'ignored']),
                suppressed: z.number(),
                withdrawn: z.number(),
              }),
            ),
          }),
        },
      },
    },
    async (req) => ({ outcomes: await services.mailFeedback.handle(req.body) }),
  );
};
