// Layout experiments (P17), the JSON API: staff define them and read results; the shop (or its
// pages, cross-origin) asks which layout a cookie id sees and logs exposures, which Vow keeps only
// under layout-experiment consent.
import { z } from 'zod';
import { auditActor } from '../../modules/identity/index.js';
import { line, prose } from '../../platform/strings.js';
import type { RouteModule } from '../route-module.js';

const slug = line().regex(
  /^[a-z0-9][a-z0-9-]{0,62}$/,
  'lower-case letters, digits and hyphens, up to 63 characters',
);

/** The random id in Vow's consent cookie: letters, digits, "-" and "_" only (never an email or name). */
const visitorId = line()
  .min(8)
  .max(128)
  .regex(/^[A-Za-z0-9_-]+$/, 'the random cookie id (letters, digits, "-" and "_")')
  .describe("The random id in the visitor's consent cookie");

const variantSchema = z.strictObject({
  id: slug.describe('Layout id, e.g. "control" or "b"'),
  weight: z
    .number()
    .int()
    .min(1)
    .max(10_000)
    .describe('Whole-number share; visitors split by weight / total'),
  description: prose().trim().min(1).max(500).optional(),
});

const metricEnum = z.enum(['visit_duration_ms', 'conversion_rate', 'revenue_per_visitor_cents']);

const planSchema = z.object({
  metric: metricEnum,
  baseline: z.number(),
  sd: z.number().nullable(),
  mde: z.number(),
  power: z.number(),
  alpha: z.number(),
  alphaPerComparison: z.number(),
  sampleSize: z.object({ total: z.number(), perArm: z.record(z.string(), z.number()) }),
});

const planInput = z.strictObject({
  metric: metricEnum.describe('The metric the decision rests on'),
  baseline: z
    .number()
    .min(0)
    .max(1e12)
    .describe("The control's expected mean (a rate between 0 and 1 for conversion_rate)"),
  sd: z
    .number()
    .gt(0)
    .max(1e12)
    .optional()
    .describe('Per-visitor standard deviation (not for conversion_rate)'),
  power: z.number().min(0.5).max(0.99).optional().describe('Chance to detect the effect (default 0.8)'),
});

const experimentSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  variants: z.array(z.object({ id: z.string(), weight: z.number(), description: z.string().optional() })),
  minSamplePerArm: z.number(),
  currency: z.string(),
  status: z.enum(['running', 'stopped']),
  createdAt: z.string(),
  stoppedAt: z.string().nullable(),
  plan: planSchema.nullable(),
});

const idParams = z.strictObject({ id: slug });

const metricSummary = z.object({ n: z.number(), mean: z.number().nullable(), sd: z.number().nullable() });

const resultsSchema = z.object({
  experimentId: z.string(),
  status: z.enum(['not_enough_data', 'ready']),
  message: z.string(),
  minSamplePerArm: z.number(),
  variants: z.array(
    z.object({
      id: z.string(),
      weight: z.number(),
      visitors: z.number(),
      visitorsWithVisits: z.number(),
      visits: z.number(),
      metrics: z.object({
        visit_duration_ms: metricSummary,
        conversion_rate: metricSummary,
        revenue_per_visitor_cents: metricSummary,
      }),
    }),
  ),
  readiness: z.array(z.object({ metric: metricEnum, ready: z.boolean(), reason: z.string().nullable() })),
  sampleRatio: z.object({ chiSquare: z.number(), df: z.number(), pValue: z.number(), mismatch: z.boolean() }),
  comparisons: z.array(
    z.object({
      metric: metricEnum,
      control: z.string(),
      variant: z.string(),
      difference: z.number(),
      ci95: z.tuple([z.number(), z.number()]).nullable(),
      t: z.number().nullable(),
      df: z.number().nullable(),
      pValue: z.number().nullable(),
      adjustedPValue: z.number().nullable(),
      cuped: z
        .object({ theta: z.number(), varianceReduction: z.number(), preExposureShare: z.number() })
        .nullable(),
      sequential: z
        .object({
          difference: z.number(),
          ci: z.tuple([z.number(), z.number()]),
          pValue: z.number(),
          adjustedPValue: z.number(),
          tuningVisitors: z.number(),
        })
        .nullable(),
      significant: z.boolean(),
    }),
  ),
  alpha: z.number(),
  sequential: z.object({ method: z.literal('msprt_normal_mixture') }),
  plan: planSchema.nullable(),
  computedAt: z.string(),
});

export const experimentApiRoutes: RouteModule = (app, _ctx, services) => {
  app.post(
    '/v1/experiments',
    {
      config: { access: 'staff:marketing' },
      schema: {
        tags: ['experiments'],
        errors: ['VOW_EXPERIMENT_EXISTS', 'VOW_EXPERIMENT_INVALID'],
        summary: 'Define a layout experiment',
        description:
          'Two or more layouts with whole-number weights; the first layout is the control. The id is part of the assignment hash and can never be reused.',
        body: z.strictObject({
          id: slug.describe('The experiment id used in the assignment hash, e.g. "homepage-hero"'),
          name: line().trim().min(1).max(200),
          description: prose().trim().max(2000).optional(),
          variants: z.array(variantSchema).min(2).max(20),
          minSamplePerArm: z
            .number()
            .int()
            .min(2)
            .max(10_000_000)
            .optional()
            .describe('Visitors each layout needs before results are computed (default 100)'),
          currency: line()
            .regex(/^[A-Z]{3}$/)
            .optional()
            .describe('Completed orders in this currency count as sales (default USD)'),
          plan: planInput
            .extend({
              mde: z.number().gt(0).max(1e12).describe('The smallest absolute difference worth detecting'),
            })
            .optional()
            .describe('What you expect: Vow computes the visitors needed (kept with the experiment)'),
        }),
        response: { 201: experimentSchema },
      },
    },
    async (req, reply) => {
      const experiment = await services.experiments.create(req.body, auditActor(req.principal));
      return reply.code(201).send(experiment);
    },
  );

  app.post(
    '/v1/experiments/power',
    {
      config: { access: 'staff:marketing' },
      schema: {
        tags: ['experiments'],
        errors: ['VOW_EXPERIMENT_INVALID'],
        summary: 'Power calculator: visitors needed for an effect, or the effect some visitors can detect',
        description:
          'For the given layouts (weights; the first is the control), at the level the results use (0.05 split over every comparison they adjust together). Give mde (visitors needed) or visitors (minimum detectable effect). Fixed-horizon normal approximation.',
        body: planInput.extend({
          variants: z.array(variantSchema).min(2).max(20),
          mde: z.number().gt(0).max(1e12).optional(),
          visitors: z.number().int().min(2).max(1e10).optional(),
        }),
        response: { 200: planSchema },
      },
    },
    async (req) => {
      const { variants, ...input } = req.body;
      return services.experiments.power(variants, input);
    },
  );

  app.get(
    '/v1/experiments',
    {
      config: { access: 'staff:marketing' },
      schema: {
        tags: ['experiments'],
        errors: [],
        summary: 'List layout experiments',
        response: { 200: z.object({ experiments: z.array(experimentSchema) }) },
      },
    },
    async () => ({ experiments: await services.experiments.list() }),
  );

  app.get(
    '/v1/experiments/:id',
    {
      config: { access: 'staff:marketing' },
      schema: {
        tags: ['experiments'],
        errors: ['VOW_EXPERIMENT_NOT_FOUND'],
        summary: 'One layout experiment',
        params: idParams,
        response: { 200: experimentSchema },
      },
    },
    async (req) => services.experiments.get(req.params.id),
  );

  app.post(
    '/v1/experiments/:id/stop',
    {
      config: { access: 'staff:marketing' },
      schema: {
        tags: ['experiments'],
        errors: ['VOW_EXPERIMENT_NOT_FOUND'],
        summary: 'Stop an experiment (no more exposures; results stay readable)',
        params: idParams,
        response: { 200: experimentSchema },
      },
    },
    async (req) => services.experiments.stop(req.params.id, auditActor(req.principal)),
  );

  app.post(
    '/v1/experiments/:id/assignment',
    {
      config: { access: 'public', cors: true },
      schema: {
        tags: ['experiments'],
        errors: ['VOW_EXPERIMENT_NOT_FOUND'],
        summary: 'Which layout a cookie id sees',
        description:
          'Deterministic: MurmurHash3 x86 32 (seed 0) of the UTF-8 bytes of "experimentId:visitorId", divided by 2^32, cut by cumulative weights (README). Show `layout`: the variant only when the visitor granted layout experiments and the experiment runs, otherwise the control. Writes nothing.',
        params: idParams,
        body: z.strictObject({ visitorId }),
        response: {
          200: z.object({
            experimentId: z.string(),
            variant: z.string(),
            hash: z.number(),
            position: z.number(),
            status: z.enum(['running', 'stopped']),
            consented: z.boolean().describe('The visitor granted layout experiments'),
            layout: line().describe(
              'The layout to show: the variant if consented and running, else the control',
            ),
          }),
        },
      },
    },
    async (req) => services.experiments.assign(req.params.id, req.body.visitorId),
  );

  app.post(
    '/v1/experiments/:id/exposures',
    {
      config: { access: 'public', cors: true },
      schema: {
        tags: ['experiments'],
        errors: ['VOW_EXPERIMENT_NOT_FOUND', 'VOW_EXPERIMENT_STOPPED'],
        summary: 'Log that a visitor saw their layout',
        description:
          'Kept only when the visitor granted layout experiments (consent channel cookies.experiments); otherwise answers recorded: false and stores nothing. Only the first exposure counts.',
        params: idParams,
        body: z.strictObject({ visitorId }),
        response: {
          200: z.object({
            recorded: z.boolean(),
            firstExposure: z.boolean(),
            variant: z.string(),
            reason: z.literal('no_consent').optional(),
          }),
        },
      },
    },
    async (req) => services.experiments.recordExposure(req.params.id, req.body.visitorId),
  );

  app.get(
    '/v1/experiments/:id/results',
    {
      config: { access: 'staff:marketing' },
      schema: {
        tags: ['experiments'],
        errors: ['VOW_EXPERIMENT_NOT_FOUND'],
        summary: 'Results per layout: visit duration, conversion rate, revenue per visitor',
        description:
          'Per metric, once every layout has minSamplePerArm values of it and they differ: an always-valid mixture sequential test (mSPRT), CUPED-adjusted with pre-exposure behaviour when there is some, Holm–Bonferroni adjusted (significant); and, for reference, Welch t-tests (valid for one look at a planned sample). A sample-ratio-mismatch check (Pearson chi-square, flagged at p < 0.001). Means are shown only for layouts that reached the minimum.',
        params: idParams,
        response: { 200: resultsSchema },
      },
    },
    async (req) => services.experiments.results(req.params.id, auditActor(req.principal)),
  );
};
