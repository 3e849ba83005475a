// Disclosures to recipients: prepare a minimised payload (or be refused), and list what was sent.
// A person's disclosures are searched with a POST body: ids of people never go in URLs.
import { z } from 'zod';
import { auditActor } from '../../modules/identity/index.js';
import { line } from '../../platform/strings.js';
import type { RouteModule } from '../route-module.js';

const reasonSchema = z.object({
  code: z.string(),
  message: z.string(),
  rule: z.string().optional(),
  promise: z.string().optional(),
});

export const disclosureRequestSchema = z
  .strictObject({
    recipient: line().min(1).max(64).describe('A recipient of the policy, e.g. carrier'),
    purpose: line().min(1).max(128),
    subjectId: line().min(1).max(64).optional(),
    recordId: line().min(1).max(64).optional().describe('A record id Vow answered a collection with'),
    orderId: line().min(1).max(100).optional().describe("The shop's order id (instead of recordId)"),
    categories: z
      .array(line().min(1).max(128))
      .min(1)
      .max(32)
      .optional()
      .describe('Categories asked for; when absent, whatever the recipient may receive'),
  })
  .refine((b) => b.subjectId !== undefined || b.recordId !== undefined || b.orderId !== undefined, {
    message: 'name a subjectId, a recordId or an orderId',
  });

const payloadSchema = z.object({
  disclosureId: z.string(),
  recipient: z.string(),
  purpose: z.string(),
  policyVersion: z.string(),
  parties: z.array(
    z.object({
      subjectId: z.string(),
      subjectKind: z.string(),
      recordId: z.string(),
      fields: z.array(z.object({ field: z.string(), category: z.string(), value: z.unknown() })),
    }),
  ),
  withheld: z.array(
    z.object({
      subjectId: z.string(),
      field: z.string(),
      category: z.string(),
      reasons: z.array(reasonSchema),
    }),
  ),
});

const logEntrySchema = z.object({
  disclosureId: z.string(),
  recipient: z.string(),
  purpose: z.string(),
  recordId: z.string().nullable(),
  categories: z.array(z.string()),
  fields: z.array(z.string()),
  rules: z.array(z.string()),
  policyVersion: z.string(),
  disclosedAt: z.string(),
});

export const disclosureRoutes: RouteModule = (app, _ctx, services) => {
  app.post(
    '/v1/disclosures',
    {
      config: { access: 'service' },
      schema: {
        tags: ['disclosures'],
        errors: [
          'VOW_DISCLOSURE_DENIED',
          'VOW_NOT_FOUND',
          'VOW_UNKNOWN_CATEGORY',
          'VOW_UNKNOWN_PURPOSE',
          'VOW_UNKNOWN_RECIPIENT',
          'VOW_UNKNOWN_SUBJECT',
          'VOW_SUBJECT_SHREDDED',
        ],
        summary: 'Prepare the data a recipient may receive for a purpose, and log it',
        description:
          "Each value is decided under the kind it was collected as (a gift recipient's address is never marketing's) and only for the purposes its form field serves; the answer holds only allowed values and lists what was withheld. Asking for anything the policy does not allow, or when nothing may be sent, answers 403 VOW_DISCLOSURE_DENIED (P2, P3, P4, P19). Logged and audited without values.",
        body: disclosureRequestSchema,
        response: { 200: payloadSchema },
      },
    },
    async (req) => services.disclosures.disclose(req.body, auditActor(req.principal)),
  );

  app.post(
    '/v1/disclosures/search',
    {
      config: { access: 'staff:customer_service' },
      schema: {
        tags: ['disclosures'],
        errors: ['VOW_UNKNOWN_SUBJECT'],
        summary: "List a person's disclosures (what went to whom, why; no values)",
        body: z.strictObject({ subjectId: line().min(1).max(64) }),
        response: { 200: z.object({ disclosures: z.array(logEntrySchema) }) },
      },
    },
    async (req) => ({ disclosures: await services.disclosures.forSubject(req.body.subjectId) }),
  );
};
