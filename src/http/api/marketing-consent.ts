// A person's marketing consent (module consent), the JSON API: suppressions by customer service,
// the SMS gateway's webhook, campaign emails with one-click unsubscribe, and audiences for sends.
// People are named in bodies, never in URLs. The ledger's history of a person is read at
// POST /v1/consent/history, in ./cookie-consent.ts, which serves the whole /v1/consent prefix.
import { z } from 'zod';
import { audienceStream, audienceTarget, renderCampaignEmail } from '../../modules/consent/index.js';
import { auditActor } from '../../modules/identity/index.js';
import { VowError } from '../../platform/errors.js';
import { holdsContactShape, line, prose } from '../../platform/strings.js';
import type { RouteModule } from '../route-module.js';

const subjectId = line().min(1).max(64).describe("Vow's id of the person (subjects.id)");
const channel = line().min(1).max(64).describe('A consent channel of the policy, e.g. email_marketing');

export const marketingConsentApiRoutes: RouteModule = (app, ctx, services) => {
  app.post(
    '/v1/suppressions',
    {
      config: { access: 'staff:customer_service' },
      schema: {
        tags: ['consent'],
        errors: ['VOW_CONSENT_UNKNOWN_CHANNEL', 'VOW_UNKNOWN_SUBJECT'],
        summary: 'Remove a person from a marketing channel (customer service, P12)',
        description:
          'Records a `suppressed` event with the staff id and an audit entry. Later automatic enrolments (e.g. a new catalog request) do not bring the person back; only their explicit ask on a form does. Idempotent.',
        body: z.strictObject({
          subjectId,
          channel,
          reason: prose()
            .trim()
            .min(1)
            .max(500)
            .refine((v) => !holdsContactShape(v), {
              message: 'no email addresses or phone numbers: the reason goes to the audit trail',
            })
            .describe('Why (no email addresses or phone numbers: it is kept in the audit trail)'),
        }),
        response: {
          201: z.object({
            subjectId: z.string(),
            channel: z.string(),
            state: z.string(),
            alreadySuppressed: z.boolean(),
          }),
        },
      },
    },
    async (req, reply) => {
      const { subjectId: id, channel: ch, reason } = req.body;
      if (!(await services.subjects.exists(id)))
        throw new VowError('VOW_UNKNOWN_SUBJECT', 'No subject with this id is known');
      const actor = auditActor(req.principal);
      const result = await services.consent.suppress(undefined, {
        subjectId: id,
        channel: ch,
        staffId: actor.id,
        reason,
      });
      return reply.code(201).send({
        subjectId: id,
        channel: ch,
        state: 'withdrawn',
        alreadySuppressed: result.alreadySuppressed,
      });
    },
  );

  app.post(
    '/v1/sms/inbound',
    {
      config: { access: 'service' },
      schema: {
        tags: ['consent'],
        errors: [],
        summary: "The SMS gateway's webhook for texts people send",
        description:
          'STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE, OPT OUT and the Spanish PARAR, CANCELAR, … anywhere in a short reply (any case, punctuation or accents) withdraw marketing texts; a reply that only may mean stop is `flagged` for staff (GET /v1/sms/flags); START/UNSTOP restore them for someone who consented before; HELP answers. `reply` is the text for the gateway to send back (null: send nothing).',
        body: z.strictObject({
          from: line().min(3).max(32).describe('The sender, preferably E.164 (+16085550123)'),
          body: prose().max(1600),
        }),
        response: {
          200: z.object({
            action: z.enum(['stop', 'start', 'help', 'ignored', 'flagged']),
            reply: z.string().nullable(),
          }),
        },
      },
    },
    async (req) => {
      const r = await services.consent.smsInbound(req.body);
      return { action: r.action, reply: r.reply };
    },
  );

  app.post(
    '/v1/emails/render',
    {
      config: { access: 'service' },
      schema: {
        tags: ['consent'],
        errors: [
          'VOW_CONSENT_DENIED',
          'VOW_CONSENT_NO_CONTACT',
          'VOW_CONSENT_UNKNOWN_CHANNEL',
          'VOW_UNKNOWN_SUBJECT',
          'VOW_SUBJECT_SHREDDED',
        ],
        summary: 'Render a campaign email for one person (RFC 5322, with one-click unsubscribe)',
        description:
          'A full message: From, To, Subject, Date, Message-ID, List-Unsubscribe (a one-click token URL), List-Unsubscribe-Post, text and HTML with the unsubscribe link and the postal address in the footer. VOW_CONSENT_DENIED for a person decide() denies.',
        body: z.strictObject({
          subjectId,
          channel: channel.optional(),
          subject: line().trim().min(1).max(200).describe('The email subject line'),
          text: prose().min(1).max(100_000),
          html: line().min(1).max(500_000).optional(),
          from: line().min(3).max(200).optional(),
        }),
        response: {
          200: z.object({ messageId: z.string(), unsubscribeUrl: z.string(), message: z.string() }),
        },
      },
    },
    async (req) => {
      const r = await renderCampaignEmail(ctx, services.decisions, {
        ...req.body,
        actor: auditActor(req.principal),
      });
      return { messageId: r.messageId, unsubscribeUrl: r.unsubscribeUrl, message: r.raw };
    },
  );

  const audienceSchema = {
    tags: ['consent'],
    params: z.strictObject({ channel }),
    querystring: z.strictObject({
      format: z.enum(['ndjson', 'csv']).default('ndjson'),
      purpose: line()
        .min(1)
        .max(128)
        .optional()
        .describe("One of the channel's purposes (default: its first)"),
    }),
    response: {
      200: {
        description: 'The audience, streamed: one line per person, in the format asked for',
        content: {
          'application/x-ndjson': {
            schema: z
              .object({
                subjectId: z.string(),
                email: z.string().optional(),
                phone: z.string().optional(),
                name: z.string().optional(),
                address: z.record(z.string(), z.string()).optional(),
              })
              .describe('One JSON object per line: the person and the contact value of the channel'),
          },
          'text/csv': {
            schema: z
              .string()
              .describe('A header line (subject_id and the contact columns), then one row per person'),
          },
        },
      },
    },
  };
  for (const [url, access] of [
    ['/v1/audiences/:channel', 'staff:marketing'],
    ['/v1/service/audiences/:channel', 'service'],
  ] as const) {
    app.get(
      url,
      {
        config: { access },
        schema: {
          ...audienceSchema,
          errors: ['VOW_CONSENT_UNKNOWN_CHANNEL'],
          summary:
            access === 'service'
              ? 'The same audience, for the shop backend (API key)'
              : 'Who a marketing send on this channel may go to now (streamed)',
          description:
            'Enrolled or granted, not unsubscribed or suppressed, not restricted for the purpose, not under 13, and only contact values collected under a kind the policy lets the purpose use. NDJSON lines `{"subjectId","email"}` (or phone / address), or CSV. Each export is audited.',
        },
      },
      async (req, reply) => {
        const target = audienceTarget(ctx.policy, req.params.channel, req.query.purpose);
        const actor = auditActor(req.principal);
        const details = { channel: target.channel, purpose: target.purpose, format: req.query.format };
        await ctx.audit.record({ actor, action: 'audience.export_started', details });
        const stream = audienceStream(ctx, target, req.query.format, async (count) => {
          await ctx.audit.record({ actor, action: 'audience.exported', details: { ...details, count } });
        });
        // Streamed: its lines are what the response schema describes (for /openapi.json).
        return reply
          .type(
            req.query.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
          )
          .header('cache-control', 'no-store')
          .send(stream as never);
      },
    );
  }
};
