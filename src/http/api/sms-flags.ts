// SMS replies flagged for staff (they may revoke consent but are not plainly STOP): the list, and the
// decision that withdraws marketing texts (answering the one confirmation for the gateway to send).
import { z } from 'zod';
import { line } from '../../platform/strings.js';
import { staffIdOf } from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';

export const smsFlagApiRoutes: RouteModule = (app, _ctx, services) => {
  const flags = services.consent.smsFlags;
  app.get(
    '/v1/sms/flags',
    {
      config: { access: 'staff:customer_service' },
      schema: {
        tags: ['consent'],
        errors: [],
        summary: 'SMS replies that may revoke consent, waiting for staff (`open=true`) or all',
        querystring: z.strictObject({ open: z.enum(['true', 'false']).optional() }),
        response: {
          200: z.array(
            z.object({
              id: z.string(),
              subjectId: z.string().nullable(),
              text: z.string().nullable(),
              word: z.string(),
              status: z.enum(['open', 'revoked', 'dismissed']),
              receivedAt: z.string(),
            }),
          ),
        },
      },
    },
    (req) => flags.list({ open: req.query.open === 'true' }),
  );
  app.post(
    '/v1/sms/flags/:id/decide',
    {
      config: { access: 'staff:customer_service' },
      schema: {
        tags: ['consent'],
        errors: ['VOW_SMS_FLAG_NOT_FOUND'],
        summary:
          '`revoke`: withdraw marketing texts for the number (the flag is the evidence); `dismiss`: not a revocation',
        params: z.strictObject({ id: line().min(1).max(80) }),
        body: z.strictObject({ decision: z.enum(['revoke', 'dismiss']) }),
        response: {
          200: z.object({
            status: z.enum(['revoked', 'dismissed']),
            changed: z.number(),
            reply: z.string().nullable(),
          }),
        },
      },
    },
    (req) => flags.decide(req.params.id, req.body.decision, staffIdOf(req)),
  );
};
