// Staff actions on a person: the under-13 mark (P14).
import { z } from 'zod';
import { auditActor } from '../../modules/identity/index.js';
import type { RouteModule } from '../route-module.js';

export const subjectRoutes: RouteModule = (app, ctx, services) => {
  app.post(
    '/v1/subjects/search',
    {
      config: { access: 'staff:customer_service' },
      schema: {
        tags: ['subjects'],
        summary: 'Find a person by email, phone or shop account id (in the body, never the URL)',
        description:
          'Exactly one of email, phone or account_id. Answers the person Vow knows by it (their id, the kinds their data was collected under, whether marked under 13), or an empty list. Audited.',
        body: z
          .strictObject({
            email: z.string().trim().min(3).max(254).optional(),
            phone: z.string().trim().min(3).max(32).optional(),
            country: z
              .string()
              .regex(/^[A-Z]{2}$/)
              .optional()
              .describe('Where a phone number without a + prefix is read (US when absent)'),
            account_id: z.string().trim().min(1).max(100).optional(),
          })
          .refine((b) => [b.email, b.phone, b.account_id].filter((v) => v !== undefined).length === 1, {
            message: 'give exactly one of email, phone or account_id',
          }),
        response: {
          200: z.object({
            subjects: z.array(
              z.object({ subjectId: z.string(), kinds: z.array(z.string()), under13: z.boolean() }),
            ),
          }),
        },
      },
    },
    async (req) => {
      const subjects = services.subjects;
      const b = req.body;
      const by = b.email !== undefined ? 'email' : b.phone !== undefined ? 'phone' : 'account_id';
      const found =
        b.email !== undefined
          ? await subjects.findByEmail(b.email)
          : b.phone !== undefined
            ? await subjects.findByPhone(b.phone, b.country)
            : await subjects.findByAccount(b.account_id ?? '');
      await ctx.audit.record({
        actor: auditActor(req.principal),
        action: 'subject.looked_up',
        target: found ? { type: 'subject', id: found } : undefined,
        reason: `Staff looked a person up by ${by}`,
        details: { by, found: found !== undefined },
      });
      if (!found) return { subjects: [] };
      const state = await subjects.provider(found);
      return {
        subjects: [{ subjectId: found, kinds: [...(state?.kinds ?? [])], under13: state?.under13 === true }],
      };
    },
  );

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
