// Vow's own format, for anything else: one JSON object per line, a collection body exactly as the API
// takes it: {"type": "order" | "registration" | "contest_entry" | "catalog_request" | "sms_signup" |
// "inbound_message" | "form", "point"?: a declared form's id, "body": {...}, "collected_at"?: ISO
// 8601}. Each body is checked by its endpoint's schema and the under-13 gate.
import { z } from 'zod';
import {
  type AnySubmission,
  catalogRequestSchema,
  contestEntrySchema,
  declaredForm,
  formSchema,
  inboundMessageSchema,
  orderSchema,
  registrationSchema,
  smsSignupSchema,
} from '../../collection/index.js';
import type { Policy } from '../../policy/index.js';
import { cachedSchema, gate, inFuture, invalid } from './rows.js';
import type { FormatEnv, ImportFormat, Refusal, SourceRecord, Unit } from './types.js';

const envelope = z.strictObject({
  type: z.enum([
    'order',
    'registration',
    'contest_entry',
    'catalog_request',
    'sms_signup',
    'inbound_message',
    'form',
  ]),
  point: z.string().max(100).optional(),
  body: z.record(z.string(), z.unknown()),
  collected_at: z.iso.datetime({ offset: true }).optional(),
});

function schemaOf(policy: Policy, type: string, point: string | undefined): z.ZodType | Refusal {
  switch (type) {
    case 'order':
      return orderSchema;
    case 'registration':
      return cachedSchema(policy, type, () => registrationSchema(policy));
    case 'contest_entry':
      return contestEntrySchema;
    case 'catalog_request':
      return cachedSchema(policy, type, () => catalogRequestSchema(policy));
    case 'sms_signup':
      return smsSignupSchema;
    case 'inbound_message':
      return inboundMessageSchema;
    default:
      if (point === undefined || !declaredForm(policy, point))
        return { code: 'VOW_VALIDATION', reason: 'point: not a form the policy declares' };
      return cachedSchema(policy, `form:${point}`, () => formSchema(policy, point));
  }
}

type Gated = { birth_date?: string; age?: number };

function unit(value: unknown, env: FormatEnv): AnySubmission | Refusal {
  const e = envelope.safeParse(value);
  if (!e.success) return invalid(e.error);
  const schema = schemaOf(env.policy, e.data.type, e.data.point);
  if ('code' in schema) return schema;
  const body = schema.safeParse(e.data.body);
  if (!body.success) return invalid(body.error, 'body.');
  const b = body.data as Gated & { buyer?: Gated; gift_recipient?: Gated };
  const refused = gate(e.data.type === 'order' ? [b.buyer, b.gift_recipient] : [b], env);
  if (refused) return refused;
  const late = e.data.collected_at ? inFuture(e.data.collected_at, env, 'collected_at') : undefined;
  if (late) return late;
  const at = e.data.collected_at ? { collectedAt: new Date(e.data.collected_at) } : {};
  return e.data.type === 'form'
    ? ({ type: 'form', point: e.data.point!, body: body.data, ...at } as AnySubmission)
    : ({ type: e.data.type, body: body.data, ...at } as AnySubmission);
}

async function* units(records: AsyncIterable<SourceRecord>, env: FormatEnv): AsyncIterable<Unit> {
  for await (const r of records) {
    if (r.malformed !== undefined) {
      yield {
        line: r.line,
        lastLine: r.lastLine,
        refused: { code: 'VOW_IMPORT_MALFORMED', reason: r.malformed },
      };
      continue;
    }
    const out = unit(r.value, env);
    yield 'code' in out
      ? { line: r.line, lastLine: r.lastLine, refused: out }
      : { line: r.line, lastLine: r.lastLine, facts: [{ kind: 'collect', submission: out }] };
  }
}

export const ndjson: ImportFormat = { id: 'ndjson', syntax: 'ndjson', units };
