// Staff actions on a person: the under-13 mark (P14).
import { z } from 'zod';
import { auditActor } from '../../security/principal.js';
import type { RouteModule } from './index.js';

export const subjectRoutes: RouteModule = (app, _ctx, services) => {
  app.post(
    '/v1/subjects/under13',
    {
      config: { access: 'staff:customer_service' },
      schema: {
        tags: ['subjects'],
        summary: 'Mark a person as under 13: delete everything held about them (P14)',
        description:
          'Destroys their data key and deletes their identifier, record, consent, restriction and disclosure rows; keeps only the blind indexes of their email, phone and account id, so a later collection with one of them is refused with VOW_UNDER_13. Audited.',
        body: z.strictObject({
          subjectId: z.string().min(1).max(64),
          reason: z.string().max(500).optional().describe('Why, for the audit trail (no personal values)'),
        }),
        response: {
          200: z.object({ subjectId: z.string(), under13: z.literal(true), markers: z.number().int() }),
        },
      },
    },
    async (req) => {
      const { markers } = await services.subjects.markUnder13(
        req.body.subjectId,
        auditActor(req.principal),
        req.body.reason,
      );
      return { subjectId: req.body.subjectId, under13: true as const, markers };
    },
  );
};
