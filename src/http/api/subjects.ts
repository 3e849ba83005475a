// Staff actions on a person: finding them, and the under-13 mark (P14) with four eyes: customer
// service proposes, a privacy officer who is another person approves, and only then the purge runs.
import { z } from 'zod';
import { auditActor } from '../../modules/identity/index.js';
import { line } from '../../platform/strings.js';
import { staffIdOf } from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';

export const subjectRoutes: RouteModule = (app, ctx, services) => {
  app.post(
    '/v1/subjects/search',
    {
      config: { access: 'staff:customer_service' },
      schema: {
        tags: ['subjects'],
        errors: [],
        summary: 'Find a person by email, phone or shop account id (in the body, never the URL)',
        description:
          'Exactly one of email, phone or account_id. Answers the person Vow knows by it (their id, the kinds their data was collected under, whether marked under 13), or an empty list. Audited.',
        body: z
          .strictObject({
            email: line().trim().min(3).max(254).optional(),
            phone: line().trim().min(3).max(32).optional(),
            country: line()
              .regex(/^[A-Z]{2}$/)
              .optional()
              .describe('Where a phone number without a + prefix is read (US when absent)'),
            account_id: line().trim().min(1).max(100).optional(),
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

  const proposalSchema = z.object({
    id: z.string(),
    subjectId: z.string(),
    status: z.enum(['pending', 'approved', 'rejected']),
    proposedBy: z.string(),
    proposedAt: z.string(),
    reason: z.string().nullable(),
    decidedBy: z.string().nullable(),
    decidedAt: z.string().nullable(),
  });
  const reason = line().max(500).optional().describe('Why, for the audit trail (no personal values)');

  app.post(
    '/v1/subjects/under13',
    {
      config: { access: 'staff:customer_service' },
      schema: {
        tags: ['subjects'],
        errors: ['VOW_PROPOSAL_PENDING', 'VOW_SUBJECT_ALREADY_MARKED', 'VOW_UNKNOWN_SUBJECT'],
        summary: 'Propose marking a person as under 13 (P14): a privacy officer must approve',
        description:
          'Four eyes: nothing is deleted yet. A privacy officer who is another person approves with POST /v1/subjects/under13/proposals/{id}/approve, which runs the purge: their data key is destroyed and their identifier, record, consent, restriction and disclosure rows deleted; only the blind indexes of their email, phone and account id are kept, so a later collection with one of them is refused with VOW_UNDER_13. Audited.',
        body: z.strictObject({ subjectId: line().min(1).max(64), reason }),
        response: { 202: proposalSchema },
      },
    },
    async (req, reply) =>
      reply
        .code(202)
        .send(await services.under13.propose(req.body.subjectId, staffIdOf(req), req.body.reason)),
  );

  app.get(
    '/v1/subjects/under13/proposals',
    {
      config: { access: 'staff:customer_service' },
      schema: {
        tags: ['subjects'],
        errors: [],
        summary: 'Under-13 proposals waiting for a privacy officer, oldest first',
        response: { 200: z.object({ proposals: z.array(proposalSchema) }) },
      },
    },
    async () => ({ proposals: await services.under13.pending() }),
  );

  app.post(
    '/v1/subjects/under13/proposals/:id/approve',
    {
      config: { access: 'staff:privacy_officer' },
      schema: {
        tags: ['subjects'],
        errors: ['VOW_FOUR_EYES', 'VOW_PROPOSAL_NOT_FOUND'],
        summary: 'Approve an under-13 proposal: the purge runs (P14). Not by its proposer (VOW_FOUR_EYES)',
        params: z.strictObject({ id: line().min(1).max(64) }),
        body: z.strictObject({}).nullish(),
        response: {
          200: z.object({ subjectId: z.string(), under13: z.literal(true), markers: z.number().int() }),
        },
      },
    },
    async (req) => {
      const { subjectId, markers } = await services.under13.approve(req.params.id, staffIdOf(req));
      return { subjectId, under13: true as const, markers };
    },
  );

  app.post(
    '/v1/subjects/under13/proposals/:id/reject',
    {
      config: { access: 'staff:privacy_officer' },
      schema: {
        tags: ['subjects'],
        errors: ['VOW_PROPOSAL_NOT_FOUND'],
        summary: 'Reject an under-13 proposal: nothing is deleted',
        params: z.strictObject({ id: line().min(1).max(64) }),
        body: z.strictObject({ reason }).nullish(),
        response: { 200: proposalSchema },
      },
    },
    async (req) => services.under13.reject(req.params.id, staffIdOf(req), req.body?.reason),
  );
};
