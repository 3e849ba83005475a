// POST /v1/decisions: may this data be used for this purpose (and go to this recipient)?
import { z } from 'zod';
import { line, oneByte } from '../../platform/strings.js';
import { hasOnlyKeys, isLine, isLines, isRecord, withFastCheck } from '../fast-validation.js';
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

export const decisionRequestSchema = withFastCheck(
  z.strictObject({
    subject: subjectSchema,
    purpose: line().min(1).max(128),
    categories: z.array(line().min(1).max(128)).min(1).max(64),
    recipient: line().min(1).max(64).optional(),
  }),
  (body) => (isDecisionRequest(body) ? body : undefined),
);

const REQUEST_KEYS = new Set(['subject', 'purpose', 'categories', 'recipient']);
const REQUIRED = ['subject', 'purpose', 'categories'];
const SUBJECT_KEYS = [new Set(['kind']), new Set(['kinds']), new Set(['id'])];

/** decisionRequestSchema's compiled check (src/http/fast-validation.ts): true only if Zod would accept. */
function isDecisionRequest(b: unknown): boolean {
  if (!isRecord(b) || !hasOnlyKeys(b, REQUEST_KEYS, REQUIRED)) return false;
  const subject = b.subject;
  if (!isRecord(subject)) return false;
  const subjectOk =
    (hasOnlyKeys(subject, SUBJECT_KEYS[0]!, ['kind']) && isLine(subject.kind, 1, 64)) ||
    (hasOnlyKeys(subject, SUBJECT_KEYS[1]!, ['kinds']) && isLines(subject.kinds, 1, 16, 1, 64)) ||
    (hasOnlyKeys(subject, SUBJECT_KEYS[2]!, ['id']) && isLine(subject.id, 1, 64));
  return (
    subjectOk &&
    isLine(b.purpose, 1, 128) &&
    isLines(b.categories, 1, 64, 1, 128) &&
    (b.recipient === undefined || isLine(b.recipient, 1, 64))
  );
}

export const decisionResponseSchema = z.object({
  decision: z.enum(['allow', 'deny']),
  reasons: z.array(reasonSchema),
  policyVersion: z.string(),
});

/**
 * The decisions about kinds the service remembers are deep-frozen, shared answers (DecisionService):
 * each is serialised once and the same text sent again. Any other answer (about a person) as usual.
 */
const decisionTexts = new WeakMap<object, string>();
function serializeDecision(data: unknown): string {
  if (typeof data !== 'object' || data === null || !Object.isFrozen(data)) return JSON.stringify(data);
  let text = decisionTexts.get(data);
  if (text === undefined) {
    text = oneByte(JSON.stringify(data));
    decisionTexts.set(data, text);
  }
  return text;
}

export const decisionRoutes: RouteModule = (app, _ctx, services) => {
  app.post(
    '/v1/decisions',
    {
      config: { access: 'service' },
      schema: {
        tags: ['decisions'],
        errors: [
          'VOW_UNKNOWN_PURPOSE',
          'VOW_UNKNOWN_RECIPIENT',
          'VOW_UNKNOWN_SUBJECT',
          'VOW_UNKNOWN_SUBJECT_KIND',
        ],
        summary: 'Decide whether data may be used for a purpose',
        description:
          'Deny by default. Unknown purposes, categories, kinds or recipients are errors (VOW_UNKNOWN_*), not denials.',
        body: decisionRequestSchema,
        response: { 200: decisionResponseSchema },
      },
      serializerCompiler: () => serializeDecision,
    },
    // Not async: a decision about a kind is a plain value, sent without a promise.
    (req) => services.decisions.decide(req.body),
  );
};
