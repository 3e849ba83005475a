// Appeals of refused requests and the state laws behind them, the JSON API: the person appeals from
// the refusal's status link; staff list, extend and decide appeals (never the one who refused).
import { z } from 'zod';
import { VowError } from '../../platform/errors.js';
import { line, prose } from '../../platform/strings.js';
import { staffIdOf } from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';

const token = line().min(20).max(100);
const id = line().min(1).max(64);

const appealSchema = z.object({
  id: z.string(),
  requestId: z.string(),
  jurisdiction: z.string(),
  status: z.enum(['open', 'granted', 'upheld']),
  receivedOn: z.string(),
  dueOn: z.string(),
  extended: z.boolean(),
  overdue: z.boolean(),
  firstDecider: z.string().nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  cite: z.string().nullable(),
});

const offerSchema = z.object({
  offered: z.boolean(),
  decideWithinDays: z.number().nullable(),
  appeal: z
    .object({ status: z.string(), receivedOn: z.string(), dueOn: z.string(), answer: z.string().nullable() })
    .nullable(),
});

export const appealApiRoutes: RouteModule = (app, ctx, services) => {
  const rights = services.rights;

  app.get(
    '/v1/us-state-laws',
    {
      config: { access: 'public' },
      schema: {
        tags: ['rights'],
        errors: [],
        summary:
          'The US state privacy laws in force in the policy: rights, deadlines, appeals, universal opt-out',
        response: { 200: z.object({ laws: z.record(z.string(), z.unknown()) }) },
      },
    },
    async () => ({ laws: { ...(ctx.policy.doc.us_state_laws ?? {}) } }),
  );

  app.get(
    '/v1/requests/status/:token/appeal',
    {
      config: { access: 'public' },
      schema: {
        tags: ['rights'],
        errors: ['VOW_REQUEST_NOT_FOUND'],
        summary: 'Whether a refused request may be appealed, and its appeal (with the answer once decided)',
        params: z.strictObject({ token }),
        response: { 200: offerSchema },
      },
    },
    async (req) => rights.appealOffer(req.params.token),
  );

  app.post(
    '/v1/requests/appeal',
    {
      config: { access: 'public' },
      schema: {
        tags: ['rights'],
        errors: ['VOW_REQUEST_NOT_FOUND', 'VOW_APPEAL_NOT_OFFERED'],
        summary: "Appeal a refused request (where the person's state law offers an appeal)",
        body: z.strictObject({ statusToken: token, reason: prose().max(4000).optional() }),
        response: {
          202: z.object({
            status: z.string(),
            receivedOn: z.string(),
            dueOn: z.string(),
            cite: z.string().nullable(),
          }),
        },
      },
    },
    async (req, reply) => {
      const a = await rights.fileAppeal(req.body.statusToken, req.body.reason);
      return reply
        .code(202)
        .send({ status: a.status, receivedOn: a.receivedOn, dueOn: a.dueOn, cite: a.cite });
    },
  );

  app.get(
    '/v1/staff/appeals',
    {
      config: { access: 'staff:customer_service' },
      schema: {
        tags: ['rights'],
        errors: [],
        summary: 'The appeal queue: open appeals (or all), soonest deadline first',
        querystring: z.strictObject({ include: z.enum(['open', 'all']).default('open') }),
        response: { 200: z.object({ appeals: z.array(appealSchema) }) },
      },
    },
    async (req) => ({ appeals: await rights.appeals({ includeDecided: req.query.include === 'all' }) }),
  );

  app.get(
    '/v1/staff/appeals/:id',
    {
      config: { access: 'staff:customer_service' },
      schema: {
        tags: ['rights'],
        errors: ['VOW_APPEAL_NOT_FOUND'],
        summary: "One appeal with the person's reasons and the answer",
        params: z.strictObject({ id }),
        response: {
          200: appealSchema.extend({ reason: z.string().nullable(), answer: z.string().nullable() }),
        },
      },
    },
    async (req) => rights.appeal(req.params.id),
  );

  app.post(
    '/v1/staff/appeals/:id/decide',
    {
      config: { access: 'staff:privacy_officer' },
      schema: {
        tags: ['rights'],
        errors: ['VOW_APPEAL_NOT_FOUND', 'VOW_APPEAL_SAME_DECIDER'],
        summary:
          'Decide an appeal (not by the staff member who refused): granted reopens the request; upheld answers with the reasons and, where the law requires, the attorney general',
        params: z.strictObject({ id }),
        body: z.strictObject({ outcome: z.enum(['granted', 'upheld']), reasons: line().min(3).max(2000) }),
        response: { 200: z.object({ appeal: appealSchema, answer: z.string() }) },
      },
    },
    async (req) => {
      if (!req.body.reasons.trim()) throw new VowError('VOW_VALIDATION', 'Give the reasons for the decision');
      return rights.decideAppeal(req.params.id, req.body, staffIdOf(req));
    },
  );

  app.post(
    '/v1/staff/appeals/:id/extend',
    {
      config: { access: 'staff:privacy_officer' },
      schema: {
        tags: ['rights'],
        errors: ['VOW_APPEAL_NOT_FOUND', 'VOW_EXTENSION_NOT_ALLOWED'],
        summary: "Extend an appeal's deadline once, where the state's law allows it (e.g. Colorado +60 days)",
        params: z.strictObject({ id }),
        body: z.strictObject({}),
        response: { 200: z.object({ appeal: appealSchema }) },
      },
    },
    async (req) => ({ appeal: await rights.extendAppeal(req.params.id, staffIdOf(req)) }),
  );
};
