// The collection endpoints, called by the shop backend: each answers 201 with the record id and
// the person's id (an order replayed with the same body answers 200 with the first answer).
import type { z } from 'zod';
import {
  catalogRequestSchema,
  collectedSchema,
  contestEntrySchema,
  inboundMessageSchema,
  orderCollectedSchema,
  orderSchema,
  registrationSchema,
  smsSignupSchema,
} from '../../modules/collection/index.js';
import type { RouteModule } from '../route-module.js';

const AGE_NOTE =
  ' A body whose `birth_date` or `age` shows the person is under 13, or carrying an identifier of someone marked as under 13, is refused with VOW_UNDER_13 and nothing of it is stored (P14).';

export const collectionRoutes: RouteModule = (app, ctx, services) => {
  const collection = services.collection;
  const points = ctx.policy.doc.collection_points;
  const has = (point: string) => Object.hasOwn(points, point);
  const common = (summary: string, description: string) => ({
    tags: ['collection'],
    summary,
    description: description + AGE_NOTE,
  });

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
      async (req, reply) => {
        const result = await collection.order(req.body);
        return reply.code(result.status).send(result.body);
      },
    );
  }

  const simple = <S extends z.ZodType>(
    point: string,
    url: string,
    schema: S,
    summary: string,
    description: string,
    run: (body: z.infer<S>) => Promise<{ status: 200 | 201; body: z.infer<typeof collectedSchema> }>,
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
      async (req, reply) => {
        const result = await run(req.body as z.infer<S>);
        return reply.code(result.status).send(result.body);
      },
    );
  };

  simple(
    'registration',
    '/v1/registrations',
    registrationSchema(ctx.policy),
    'Record an account registration',
    'The catalog/updates box (`catalog_opt_in: true`) grants the channels whose `granted_by` lists the registration form (P5). `gender` is kept as a plain answer for aggregate counts (P6). No password: the shop keeps its own.',
    (b) => collection.registration(b),
  );
  simple(
    'contest_entry',
    '/v1/contest-entries',
    contestEntrySchema,
    'Record a contest entry',
    'The entrant is enrolled in email marketing, and re-enrolled after an unsubscribe (P8, P11).',
    (b) => collection.contestEntry(b),
  );
  simple(
    'catalog_request',
    '/v1/catalog-requests',
    catalogRequestSchema(ctx.policy),
    'Record a free catalog request',
    "Every answer must be one of the values of the policy's catalog form; the requester gets postal mailings and email marketing (P8, P12). An `age_range` of under_18 does not prove an age under 13.",
    (b) => collection.catalogRequest(b),
  );
  simple(
    'sms_signup',
    '/v1/sms-signups',
    smsSignupSchema,
    'Record an SMS marketing sign-up',
    'The consent wording shown is kept with its SHA-256 as proof of prior express written consent; grants the channels whose `granted_by` lists the SMS form.',
    (b) => collection.smsSignup(b),
  );
  simple(
    'inbound_email',
    '/v1/inbound-messages',
    inboundMessageSchema,
    'Record an email received by customer service',
    'The return address may serve support.reply only (P4); it is never enrolled in anything.',
    (b) => collection.inboundMessage(b),
  );
};
