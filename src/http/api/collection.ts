// The collection endpoints, called by the shop backend: `POST /v1/collection-points/{id}/submissions`
// for every form of the policy in force (one route per form, each with its own body schema in
// /openapi.json), and the six built-in forms' historic URLs as aliases (/v1/orders, ...). Each
// answers 201 with the record id and the person's id (an order replayed with the same body answers
// 200 with the first answer). Each takes an `Idempotency-Key` header: a retry with the same key and
// body gets the first answer again (marked `Idempotent-Replayed: true`), the same key with another
// body 409 VOW_IDEMPOTENCY_CONFLICT.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  type AnySubmission,
  type CollectionResult,
  catalogRequestSchema,
  collectedSchema,
  consentEffects,
  contestEntrySchema,
  declaredForm,
  formSchema,
  IDEMPOTENCY_KEY,
  IDEMPOTENCY_TTL_MS,
  inboundMessageSchema,
  isOrderBody,
  type OrderCollected,
  orderCollectedSchema,
  orderSchema,
  registrationSchema,
  type Submission,
  smsSignupSchema,
} from '../../modules/collection/index.js';
import type { Policy } from '../../modules/policy/index.js';
import { VowError } from '../../platform/errors.js';
import { line } from '../../platform/strings.js';
import { withFastCheck } from '../fast-validation.js';
import type { RouteModule } from '../route-module.js';

const AGE_NOTE =
  ' A body whose `birth_date` or `age` shows the person is under 13, or carrying an identifier of someone marked as under 13, is refused with VOW_UNDER_13 and nothing of it is stored (P14).';
const IDEMPOTENCY_NOTE = ` With an \`Idempotency-Key\` header (1-255 printable ASCII characters, e.g. a UUID per attempt), the first answer is kept for ${IDEMPOTENCY_TTL_MS / 3_600_000} hours: a retry with the same key and body gets it again (same status and body, header \`Idempotent-Replayed: true\`); the same key with another body is refused with 409 VOW_IDEMPOTENCY_CONFLICT. Keys are scoped to the API key and the collection point.`;

/** Every header passes (the access checks read them); the Idempotency-Key is checked and documented. */
const headers = z.looseObject({
  'idempotency-key': line()
    .regex(IDEMPOTENCY_KEY, '1 to 255 printable ASCII characters')
    .optional()
    .describe('Your id for this attempt: a retry with the same id and body is answered, not stored twice'),
});

/** Who the key belongs to: the calling API key (the test principal in tests). */
function callerOf(req: FastifyRequest): string {
  const p = req.principal;
  return p?.kind === 'service' ? `key:${p.keyId}` : 'test';
}

/** The built-in forms: their historic URL (an alias of the generic one), body and submission type. */
interface BuiltIn {
  readonly url: string;
  readonly type: Submission['type'];
  readonly schema: (policy: Policy) => z.ZodType;
  readonly summary: string;
  readonly description: string;
}

const BUILT_IN: Readonly<Record<string, BuiltIn>> = {
  checkout: {
    url: '/v1/orders',
    type: 'order',
    schema: () => orderBodySchema,
    summary: 'Record an order (buyer and optional gift recipient)',
    description:
      'Idempotent on `shop_order_id`: the same id with the same body answers 200 with the first answer; with a different body, 409 VOW_ORDER_CONFLICT. A gift recipient is only ever used to ship and confirm delivery (P3).',
  },
  registration: {
    url: '/v1/registrations',
    type: 'registration',
    schema: registrationSchema,
    summary: 'Record an account registration',
    description:
      'The catalog/updates box (`catalog_opt_in: true`) grants the channels whose `granted_by` lists the registration form (P5). `gender` is kept as a plain answer for aggregate counts (P6). No password: the shop keeps its own.',
  },
  contest_entry: {
    url: '/v1/contest-entries',
    type: 'contest_entry',
    schema: () => contestEntrySchema,
    summary: 'Record a contest entry',
    description:
      'The entrant is enrolled in email marketing, and re-enrolled after an unsubscribe (P8, P11).',
  },
  catalog_request: {
    url: '/v1/catalog-requests',
    type: 'catalog_request',
    schema: catalogRequestSchema,
    summary: 'Record a free catalog request',
    description:
      "Every answer must be one of the values of the policy's catalog form; the requester gets postal mailings and email marketing (P8, P12). An `age_range` of under_18 does not prove an age under 13.",
  },
  sms_signup: {
    url: '/v1/sms-signups',
    type: 'sms_signup',
    schema: () => smsSignupSchema,
    summary: 'Record an SMS marketing sign-up',
    description:
      'The consent wording shown is kept with its SHA-256 as proof of prior express written consent; grants the channels whose `granted_by` lists the SMS form.',
  },
  inbound_email: {
    url: '/v1/inbound-messages',
    type: 'inbound_message',
    schema: () => inboundMessageSchema,
    summary: 'Record an email received by customer service',
    description: 'The return address may serve support.reply only (P4); it is never enrolled in anything.',
  },
};

export const collectionRoutes: RouteModule = (app, ctx, services) => {
  const collection = services.collection;
  const policy = ctx.policy;
  /** Collects once per Idempotency-Key (when one is sent) and answers with the (kept) answer. */
  const answer = async (req: FastifyRequest, reply: FastifyReply, s: AnySubmission) => {
    const key = req.headers['idempotency-key'];
    const result: CollectionResult<OrderCollected> = await collection.collect(
      s,
      typeof key === 'string' ? { caller: callerOf(req), key } : undefined,
    );
    if (result.replayed) void reply.header('idempotent-replayed', 'true');
    return reply.code(result.status).send(result.body);
  };
  const route = (
    url: string,
    body: z.ZodType,
    summary: string,
    description: string,
    submission: (body: unknown) => AnySubmission,
    response: z.ZodType = collectedSchema,
  ) =>
    app.post(
      url,
      {
        config: { access: 'service' },
        schema: {
          tags: ['collection'],
          // An order's `shop_order_id` replayed with another body is the checkout form's alone.
          errors:
            response === orderCollectedSchema
              ? ['VOW_UNDER_13', 'VOW_IDEMPOTENCY_CONFLICT', 'VOW_ORDER_CONFLICT']
              : ['VOW_UNDER_13', 'VOW_IDEMPOTENCY_CONFLICT'],
          summary,
          description: description + AGE_NOTE + IDEMPOTENCY_NOTE,
          headers,
          body,
          response: { 200: response, 201: response },
        },
      },
      async (req, reply) => answer(req, reply, submission(req.body)),
    );

  // One route per form of the policy in force: its body is known, so /openapi.json describes it.
  for (const id of Object.keys(policy.doc.collection_points)) {
    const generic = `/v1/collection-points/${id}/submissions`;
    const builtIn = Object.hasOwn(BUILT_IN, id) ? BUILT_IN[id] : undefined;
    if (builtIn) {
      const schema = builtIn.schema(policy);
      const response = id === 'checkout' ? orderCollectedSchema : collectedSchema;
      const submission = (body: unknown) => ({ type: builtIn.type, body }) as Submission;
      route(builtIn.url, schema, builtIn.summary, builtIn.description, submission, response);
      route(
        generic,
        schema,
        `${builtIn.summary} (the same as POST ${builtIn.url})`,
        builtIn.description,
        submission,
        response,
      );
      continue;
    }
    const form = declaredForm(policy, id);
    if (!form) continue;
    route(
      generic,
      formSchema(policy, id),
      `Submit the form "${form.title}"`,
      `A form the policy declares (collection_points.${id}): each field is checked by its type and stored with its category and purposes; email, phone and postal address find the person again. ${consentEffects(policy, form)}`,
      (body) => ({ type: 'form', point: id, body: body as Record<string, unknown> }),
    );
  }

  // Any other id: the policy in force has no such form (a coded 404, not Fastify's own).
  app.post(
    '/v1/collection-points/:id/submissions',
    {
      config: { access: 'service' },
      schema: { hide: true, params: z.strictObject({ id: line().max(200) }) },
    },
    async () => {
      throw new VowError('VOW_NOT_FOUND', 'The policy in force has no form with this id');
    },
  );
};

/** POST /v1/orders's body schema: orderSchema with its compiled check. */
export const orderBodySchema = withFastCheck(orderSchema, (body) => (isOrderBody(body) ? body : undefined));
