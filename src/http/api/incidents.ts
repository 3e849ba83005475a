// The personal-data breach register (P13; GDPR Art. 33, 34), the JSON API for staff: record an incident
// (customer service reports, a privacy officer owns), the risk decision, the 72-hour clock to the lead
// supervisory authority, the notification, the communication to the people affected, notes, closing.
// Reading: the privacy officer, customer service and the auditor; marketing is refused.

import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { MAX_SUBJECT, RISK_LEVELS } from '../../modules/incidents/index.js';
import { VowError } from '../../platform/errors.js';
import { LOCALES } from '../../platform/i18n/index.js';
import { line, prose } from '../../platform/strings.js';
import { usStatesView } from '../incident-state-schemas.js';
import { staffActorOf, staffIdOf } from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';

const id = line().min(1).max(64);
const time = line().max(40).describe('ISO 8601 date and time; now when left out');
const count = z.number().int().min(0).max(1_000_000_000).nullable();
const facts = {
  summary: prose().min(1).max(8000).describe('What happened, naming no one'),
  dataCategories: z
    .array(line().max(100))
    .max(50)
    .describe("Categories of personal data: the policy's category ids"),
  subjectKinds: z.array(line().max(100)).max(50).describe("Categories of people: the policy's subject kinds"),
  approxSubjects: count.optional(),
  approxRecords: count.optional(),
  consequences: prose().max(8000).optional(),
  measures: prose().max(8000).optional(),
  authority: line()
    .max(64)
    .nullable()
    .optional()
    .describe('The lead supervisory authority: a policy `regulators` id'),
};
const incidentView = z.object({
  id: z.string(),
  status: z.enum(['open', 'closed']),
  summary: z.string(),
  awareAt: z.string(),
  recordedAt: z.string(),
  reportedBy: z.string().nullable(),
  ownerId: z.string().nullable(),
  dataCategories: z.array(z.string()),
  subjectKinds: z.array(z.string()),
  approxSubjects: z.number().nullable(),
  approxRecords: z.number().nullable(),
  consequences: z.string(),
  measures: z.string(),
  risk: z.object({
    level: z.enum(['undecided', 'none', 'risk', 'high']),
    reason: z.string().nullable(),
    decidedAt: z.string().nullable(),
    decidedBy: z.string().nullable(),
  }),
  authority: z.object({ id: z.string(), name: z.string(), url: z.string() }).nullable(),
  clock: z.object({
    state: z.enum(['running', 'overdue', 'notified', 'not_required']),
    deadlineAt: z.string(),
    msLeft: z.number().nullable(),
    late: z.boolean(),
  }),
  notification: z
    .object({ at: z.string(), reference: z.string(), delayReason: z.string().nullable() })
    .nullable(),
  subjectsInformed: z.object({ at: z.string(), how: z.string() }).nullable(),
  closedAt: z.string().nullable(),
});
const detail = incidentView.extend({
  notes: z.array(z.object({ at: z.string(), staffId: z.string().nullable(), text: z.string() })),
  usStates: usStatesView.describe(
    "US state breach laws: the residents per state and each state's clocks, nearest open deadline first",
  ),
});

/** The Art. 34 message in one language (every language the policy is published in is needed). */
const noticeVersion = z.strictObject({
  lang: z.enum(LOCALES).describe("The version's language: the policy's locale or one of its translations"),
  subject: line().max(MAX_SUBJECT),
  whatHappened: prose()
    .max(8000)
    .describe('The nature of the breach, in clear and plain language; naming no one'),
  consequences: prose().max(8000).describe('The likely consequences (Art. 33(3)(c))'),
  measures: prose().max(8000).describe('The measures taken or proposed (Art. 33(3)(d))'),
  advice: prose().max(8000).default('').describe('What a person can do to protect themselves'),
});
const noticeBody = z.strictObject({ versions: z.array(noticeVersion).min(1).max(LOCALES.length) });
const noticeProgress = z.object({
  queuedAt: z.string(),
  queuedBy: z.string(),
  doneAt: z.string().nullable(),
  queued: z.number(),
  sent: z.number(),
  noAddress: z.number(),
  erased: z.number(),
});
const NOTICE_REFUSALS = [
  'VOW_INCIDENT_NOT_FOUND',
  'VOW_INCIDENT_NOT_HIGH_RISK',
  'VOW_INCIDENT_INVALID',
  'VOW_INCIDENT_TRANSLATION_MISSING',
  'VOW_INCIDENT_STATE',
] as const;

const READERS = ['privacy_officer', 'customer_service', 'auditor'];

/** Reading the register: the privacy officer, customer service and the auditor, not marketing. */
function assertReader(req: FastifyRequest): readonly string[] {
  const roles = staffActorOf(req).roles;
  if (!roles.some((r) => READERS.includes(r)))
    throw new VowError(
      'VOW_FORBIDDEN',
      'The incident register is for the privacy officer, customer service and the auditor',
    );
  return roles;
}

export const incidentApiRoutes: RouteModule = (app, _ctx, services) => {
  const incidents = services.incidents;
  const officer = { access: 'staff:privacy_officer' } as const;

  app.post(
    '/v1/incidents',
    {
      config: { access: 'staff:customer_service' },
      schema: {
        tags: ['incidents'],
        errors: ['VOW_INCIDENT_INVALID'],
        summary:
          'Record a personal-data breach (customer service reports; a privacy officer owns what they record)',
        body: z.strictObject({ ...facts, awareAt: time.optional() }),
        response: { 201: incidentView },
      },
    },
    async (req, reply) => {
      const actor = staffActorOf(req);
      const view = await incidents.record(req.body, {
        staffId: actor.id,
        privacyOfficer: actor.roles.includes('privacy_officer'),
      });
      return reply.code(201).send(view);
    },
  );

  app.get(
    '/v1/incidents',
    {
      config: { access: 'staff:any' },
      schema: {
        tags: ['incidents'],
        errors: [],
        summary: 'The register: open incidents, nearest 72-hour deadline first, with their clocks',
        querystring: z.strictObject({ include: z.enum(['open', 'all']).default('open') }),
        response: { 200: z.object({ incidents: z.array(incidentView) }) },
      },
    },
    async (req) => {
      assertReader(req);
      return { incidents: await incidents.list({ includeClosed: req.query.include === 'all' }) };
    },
  );

  app.get(
    '/v1/incidents/:id',
    {
      config: { access: 'staff:any' },
      schema: {
        tags: ['incidents'],
        errors: ['VOW_INCIDENT_NOT_FOUND'],
        summary:
          'One incident with its notes and its US state clocks (residents per state below 5 read "fewer than 5" but for the privacy officer)',
        params: z.strictObject({ id }),
        response: { 200: detail },
      },
    },
    async (req) => {
      const roles = assertReader(req);
      const [found, usStates] = await Promise.all([
        incidents.detail(req.params.id),
        services.incidentStates.view(req.params.id, roles.includes('privacy_officer')),
      ]);
      return { ...found, usStates };
    },
  );

  app.get(
    '/v1/incidents/:id/affected',
    {
      // The privacy officer's tool: counts in a window of one's choosing tell whether someone had data
      // of a category collected at a given moment (security.md #41).
      config: officer,
      schema: {
        tags: ['incidents'],
        errors: ['VOW_INCIDENT_NOT_FOUND', 'VOW_INCIDENT_INVALID'],
        summary:
          "Who is affected, counted: the people and records Vow holds with data of the incident's categories collected in the window (to the time it became known by default)",
        params: z.strictObject({ id }),
        querystring: z.strictObject({ from: time.optional(), to: time.optional() }),
        response: {
          200: z.object({
            people: z.number(),
            records: z.number(),
            categories: z.array(z.string()),
            from: z.string().nullable(),
            to: z.string(),
          }),
        },
      },
    },
    async (req) => incidents.affected(req.params.id, req.query),
  );

  app.patch(
    '/v1/incidents/:id',
    {
      config: officer,
      schema: {
        tags: ['incidents'],
        errors: ['VOW_INCIDENT_NOT_FOUND', 'VOW_INCIDENT_INVALID', 'VOW_INCIDENT_STATE'],
        summary:
          'Change the facts (they may come in phases, Art. 33(4)); a new time of awareness moves the clock',
        params: z.strictObject({ id }),
        body: z.strictObject({ ...z.object(facts).partial().shape, awareAt: time.optional() }),
        response: { 200: incidentView },
      },
    },
    async (req) => incidents.update(req.params.id, req.body, staffIdOf(req)),
  );

  app.post(
    '/v1/incidents/:id/take-over',
    {
      config: officer,
      schema: {
        tags: ['incidents'],
        errors: ['VOW_INCIDENT_NOT_FOUND', 'VOW_INCIDENT_STATE'],
        summary: 'A privacy officer takes over an incident',
        params: z.strictObject({ id }),
        body: z.strictObject({}).optional(),
        response: { 200: incidentView },
      },
    },
    async (req) => incidents.takeOver(req.params.id, staffIdOf(req)),
  );

  app.post(
    '/v1/incidents/:id/risk',
    {
      config: officer,
      schema: {
        tags: ['incidents'],
        errors: [
          'VOW_INCIDENT_NOT_FOUND',
          'VOW_INCIDENT_INVALID',
          'VOW_INCIDENT_REASON_MISSING',
          'VOW_INCIDENT_STATE',
        ],
        summary:
          'The risk decision and its reason; `none` (unlikely to result in a risk) settles the clock and is kept',
        params: z.strictObject({ id }),
        body: z.strictObject({ level: z.enum(RISK_LEVELS), reason: prose().max(8000) }),
        response: { 200: incidentView },
      },
    },
    async (req) => incidents.decideRisk(req.params.id, req.body.level, req.body.reason, staffIdOf(req)),
  );

  app.post(
    '/v1/incidents/:id/authority-notification',
    {
      config: officer,
      schema: {
        tags: ['incidents'],
        errors: [
          'VOW_INCIDENT_NOT_FOUND',
          'VOW_INCIDENT_INVALID',
          'VOW_INCIDENT_DELAY_REASON_MISSING',
          'VOW_INCIDENT_STATE',
        ],
        summary: 'The supervisory authority was notified; after 72 hours only with the reasons for the delay',
        params: z.strictObject({ id }),
        body: z.strictObject({
          at: time.optional(),
          reference: line().min(1).max(200),
          delayReason: prose().max(8000).optional(),
          authority: line().max(64).optional(),
        }),
        response: { 200: incidentView },
      },
    },
    async (req) => incidents.notifyAuthority(req.params.id, req.body, staffIdOf(req)),
  );

  app.post(
    '/v1/incidents/:id/subjects-informed',
    {
      config: officer,
      schema: {
        tags: ['incidents'],
        errors: ['VOW_INCIDENT_NOT_FOUND', 'VOW_INCIDENT_INVALID', 'VOW_INCIDENT_STATE'],
        summary: 'The people affected were told (Art. 34): when, and how',
        params: z.strictObject({ id }),
        body: z.strictObject({ at: time.optional(), how: prose().min(1).max(8000) }),
        response: { 200: incidentView },
      },
    },
    async (req) => incidents.informSubjects(req.params.id, req.body, staffIdOf(req)),
  );

  app.post(
    '/v1/incidents/:id/notes',
    {
      config: officer,
      schema: {
        tags: ['incidents'],
        errors: ['VOW_INCIDENT_NOT_FOUND', 'VOW_INCIDENT_INVALID', 'VOW_INCIDENT_STATE'],
        summary: 'Add a note to the timeline',
        params: z.strictObject({ id }),
        body: z.strictObject({ text: prose().min(1).max(8000) }),
        response: { 200: incidentView },
      },
    },
    async (req) => incidents.addNote(req.params.id, req.body.text, staffIdOf(req)),
  );

  app.post(
    '/v1/incidents/:id/close',
    {
      config: officer,
      schema: {
        tags: ['incidents'],
        errors: ['VOW_INCIDENT_NOT_FOUND', 'VOW_INCIDENT_STATE'],
        summary: 'Close an incident whose clock is settled (notified, or decided no risk)',
        params: z.strictObject({ id }),
        body: z.strictObject({}).optional(),
        response: { 200: incidentView },
      },
    },
    async (req) => incidents.close(req.params.id, staffIdOf(req)),
  );

  app.get(
    '/v1/incidents/:id/notice',
    {
      config: officer,
      schema: {
        tags: ['incidents'],
        errors: ['VOW_INCIDENT_NOT_FOUND'],
        summary:
          'Art. 34: the message to the people affected, one version per language the policy is published in (the one queued, else prefilled), and its progress once queued',
        params: z.strictObject({ id }),
        response: {
          200: z.object({
            languages: z.array(z.string()),
            versions: z.array(noticeVersion),
            progress: noticeProgress.nullable(),
          }),
        },
      },
    },
    async (req) => {
      const notices = services.incidentNotices;
      const [versions, progress] = await Promise.all([
        notices.draft(req.params.id),
        notices.progress(req.params.id),
      ]);
      return { languages: notices.languages(), versions, progress };
    },
  );

  app.get(
    '/v1/incidents/:id/notice/without-email',
    {
      config: officer,
      schema: {
        tags: ['incidents'],
        errors: ['VOW_INCIDENT_NOT_FOUND', 'VOW_INCIDENT_STATE'],
        summary:
          'Art. 34: once Vow has written to everyone it could, the people it could not email, with the postal address and phone number collected last, to tell them by letter or phone (audited, counts only)',
        params: z.strictObject({ id }),
        response: {
          200: z.object({
            people: z.array(
              z.object({
                subjectId: z.string(),
                address: z
                  .object({
                    line1: z.string(),
                    line2: z.string().optional(),
                    city: z.string(),
                    region: z.string().optional(),
                    postal_code: z.string(),
                    country: z.string(),
                  })
                  .optional(),
                phone: z.string().optional(),
              }),
            ),
          }),
        },
      },
    },
    async (req) => ({ people: await services.incidentNotices.unreached(req.params.id, staffIdOf(req)) }),
  );

  app.post(
    '/v1/incidents/:id/notice/preview',
    {
      config: officer,
      schema: {
        tags: ['incidents'],
        errors: [...NOTICE_REFUSALS],
        summary:
          'Art. 34: the mail exactly as every person gets it (every version, the policy’s language first) and how many people the incident concerns; nothing is kept or sent',
        params: z.strictObject({ id }),
        body: noticeBody,
        response: {
          200: z.object({
            recipients: z.number(),
            languages: z.array(z.string()),
            subject: z.string(),
            text: z.string(),
            html: z.string(),
          }),
        },
      },
    },
    async (req) => services.incidentNotices.preview(req.params.id, req.body.versions),
  );

  app.post(
    '/v1/incidents/:id/notice',
    {
      config: officer,
      schema: {
        tags: ['incidents'],
        errors: [...NOTICE_REFUSALS],
        summary:
          'Art. 34, confirmed: Vow keeps the message and queues the one job that writes to each person affected with an email address, once; a second confirmation is refused',
        params: z.strictObject({ id }),
        body: noticeBody,
        response: { 202: noticeProgress },
      },
    },
    async (req, reply) => {
      const progress = await services.incidentNotices.queue(req.params.id, req.body.versions, staffIdOf(req));
      return reply.code(202).send(progress);
    },
  );
};
