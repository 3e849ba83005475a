// POST /v1/decisions: may this data be used for this purpose (and go to this recipient)?
import { z } from 'zod';
import { line } from '../../platform/strings.js';
import type { RouteModule } from '../route-module.js';

const subjectSchema = z.union([
  z.strictObject({
    kind: line().min(1).max(64).describe('The kind the data was collected under, e.g. gift_recipient'),
  }),
  z.strictObject({ kinds: z.array(line().min(1).max(64)).min(1).max(16) }),
  z.strictObject({ id: line().min(1).max(64).describe("Vow's id of the person") }),
]);

const reasonSchema = z.object({
  code: z.string(),
  effect: z.enum(['allow', 'deny']),
  message: z.string(),
  rule: z.string().optional(),
  promise: z.string().optional(),
  category: z.string().optional(),
  kind: z.string().optional(),
  channel: z.string().optional(),
});

export const decisionRequestSchema = z.strictObject({
  subject: subjectSchema,
  purpose: line().min(1).max(128),
  categories: z.array(line().min(1).max(128)).min(1).max(64),
  recipient: line().min(1).max(64).optional(),
});

export const decisionResponseSchema = z.object({
  decision: z.enum(['allow', 'deny']),
  reasons: z.array(reasonSchema),
  policyVersion: z.string(),
});

export const decisionRoutes: RouteModule = (app, _ctx, services) => {
  app.post(
    '/v1/decisions',
    {
      config: { access: 'service' },
      schema: {
        tags: ['decisions'],
        summary: 'Decide whether data may be used for a purpose',
        description:
          'Deny by default. Unknown purposes, categories, kinds or recipients are errors (VOW_UNKNOWN_*), not denials.',
        body: decisionRequestSchema,
        response: { 200: decisionResponseSchema },
      },
    },
    // Not async: a decision about a kind is a plain value, sent without a promise.
    (req) => services.decisions.decide(req.body),
  );
};
