// The JSON shapes the rights routes share (src/http/api/rights.ts and rights-staff-actions.ts): a
// request's id, an email address and a request as staff see it.
import { z } from 'zod';
import { line } from '../platform/strings.js';

export const id = line().min(1).max(64);
export const email = z.email().max(254);

/** A request as the staff API shows it. */
export const viewSchema = z.object({
  id: z.string(),
  type: z.string(),
  jurisdiction: z.string(),
  law: z.string(),
  channel: z.string(),
  status: z.string(),
  scope: z.object({ categories: z.array(z.string()).optional(), purposes: z.array(z.string()).optional() }),
  subjectId: z.string().nullable(),
  receivedOn: z.string(),
  dueOn: z.string(),
  originalDueOn: z.string(),
  extended: z.boolean(),
  extensionPossibleUntil: z.string().nullable(),
  ackDueOn: z.string().nullable(),
  acknowledgedAt: z.string().nullable(),
  overdue: z.boolean(),
  ackOverdue: z.boolean(),
  daysLeft: z.number(),
  verificationMethod: z.string().nullable(),
  verifiedAt: z.string().nullable(),
  isAgent: z.boolean(),
  agentConfirmed: z.boolean(),
  respondedAt: z.string().nullable(),
  responseNature: z.string().nullable(),
  denialBasis: z.string().nullable(),
  result: z.unknown(),
});
