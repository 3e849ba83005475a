// The collection endpoints, called by the shop backend: each answers 201 with the record id and
// the person's id (an order replayed with the same body answers 200 with the first answer). Each
// takes an `Idempotency-Key` header: a retry with the same key and body gets the first answer again
// (marked `Idempotent-Replayed: true`), the same key with another body 409 VOW_IDEMPOTENCY_CONFLICT.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  type CollectionResult,
  catalogRequestSchema,
  collectedSchema,
  contestEntrySchema,
  IDEMPOTENCY_KEY,
  IDEMPOTENCY_TTL_MS,
  inboundMessageSchema,
  type OrderCollected,
  orderCollectedSchema,
  orderSchema,
  registrationSchema,
  type Submission,
  smsSignupSchema,
} from '../../modules/collection/index.js';
import { line } from '../../platform/strings.js';
import type { RouteModule } from '../route-module.js';

const AGE_NOTE =
  ' A body whose `birth_date` or `age` shows the person is under 13, or carrying an identifier of someone marked as under 13, is refused with VOW_UNDER_13 and nothing of it is stored (P14).';
const IDEMPOTENCY_NOTE = ` With an \`Idempotency-Key\` header (1-255 printable ASCII characters, e.g. a UUID per attempt), the first answer is kept for ${IDEMPOTENCY_TTL_MS / 3_600_000} hours: a retry with the same key and body gets it again (same status and body, header \`Idempotent-Replayed: true\`); the same key with another body is refused with 409 VOW_IDEMPOTENCY_CONFLICT. Keys are scoped to the API key and the endpoint.`;

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

export const collectionRoutes: RouteModule = (app, ctx, services) => {
  const collection = services.collection;
  const points = ctx.policy.doc.collection_points;
  const has = (point: string) => Object.hasOwn(points, point);
  const common = (summary: string, description: string) => ({
    tags: ['collection'],
    summary,
    description: description + AGE_NOTE + IDEMPOTENCY_NOTE,
    headers,
  });
  /** Collects once per Idempotency-Key (when one is sent) and answers with the (kept) answer. */
  const answer = async (req: FastifyRequest, reply: FastifyReply, s: Submission) => {
    const key = req.headers['idempotency-key'];
    const result: CollectionResult<OrderCollected> = await collection.collect(
      s,
      typeof key === 'string' ? { caller: callerOf(req), key } : undefined,
    );
    if (result.replayed) void reply.header('idempotent-replayed', 'true');
    return reply.code(result.status).send(result.body);
  };

  if (has('checkout')) {
    app.post(
      '/v1/orders',
      {
        config: { access: 'service' },
        schema: {
          ...common(
            'Record an order (buyer and optional gift recipient)',
            'Idempotent on `shop_order_id`: the same id with the same body answers 200 with the first answer; with a different body, 409 VOW_ORDER_CONFLICT. A gift recipient is only ever used to ship and confirm delivery (P3).',
          ),
          body: orderSchema,
          response: { 200: orderCollectedSchema, 201: orderCollectedSchema },
        },
      },
      async (req, reply) => answer(req, reply, { type: 'order', body: req.body }),
    );
  }

  const simple = <S extends z.ZodType>(
    point: string,
    url: string,
    schema: S,
    summary: string,
    description: string,
    type: Exclude<Submission['type'], 'order'>,
  ) => {
    if (!has(point)) return;
    app.post(
      url,
      {
        config: { access: 'service' },
        schema: {
          ...common(summary, description),
          body: schema,
          response: { 200: collectedSchema, 201: collectedSchema },
        },
      },
      async (req, reply) => answer(req, reply, { type, body: req.body } as Submission),
    );
  };

  simple(
    'registration',
    '/v1/registrations',
    registrationSchema(ctx.policy),
    'Record an account registration',
    'The catalog/updates box (`catalog_opt_in: true`) grants the channels whose `granted_by` lists the registration form (P5). `gender` is kept as a plain answer for aggregate counts (P6). No password: the shop keeps its own.',
    'registration',
  );
  simple(
    'contest_entry',
    '/v1/contest-entries',
    contestEntrySchema,
    'Record a contest entry',
    'The entrant is enrolled in email marketing, and re-enrolled after an unsubscribe (P8, P11).',
    'contest_entry',
  );
  simple(
    'catalog_request',
    '/v1/catalog-requests',
    catalogRequestSchema(ctx.policy),
    'Record a free catalog request',
    "Every answer must be one of the values of the policy's catalog form; the requester gets postal mailings and email marketing (P8, P12). An `age_range` of under_18 does not prove an age under 13.",
    'catalog_request',
  );
  simple(
    'sms_signup',
    '/v1/sms-signups',
    smsSignupSchema,
    'Record an SMS marketing sign-up',
    'The consent wording shown is kept with its SHA-256 as proof of prior express written consent; grants the channels whose `granted_by` lists the SMS form.',
    'sms_signup',
  );
  simple(
    'inbound_email',
    '/v1/inbound-messages',
    inboundMessageSchema,
    'Record an email received by customer service',
    'The return address may serve support.reply only (P4); it is never enrolled in anything.',
    'inbound_message',
  );
};
