// GET /v1/records-of-processing: the controller's record of processing activities (GDPR Art. 30(1)),
// derived from the policy in force and the dataset annotations, as JSON or CSV. Structure only,
// never a person's data; for the auditor and the privacy officer.
import { z } from 'zod';
import { buildRecordOfProcessing, recordOfProcessingCsv } from '../../modules/datasets/index.js';
import { line } from '../../platform/strings.js';
import type { RouteModule } from '../route-module.js';

const named = z.object({ id: z.string(), description: z.string() });

const activitySchema = z.object({
  purpose: z.string(),
  description: z.string(),
  aggregateOnly: z.boolean(),
  legalBasis: z
    .string()
    .describe('The purpose\'s legal_basis in the policy, else "not stated in the policy"'),
  ruleBases: z
    .array(z.string())
    .describe("How the policy's rules allow the purpose: necessary, opt_out, opt_in (channel)"),
  promises: z.array(z.string()),
  subjectKinds: z.array(named),
  categories: z.array(named),
  sources: z.array(named).describe('The collection points (forms) that collect data for the purpose'),
  recipients: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      role: z.enum(['processor', 'third_party']),
      categories: z.array(z.string()),
    }),
  ),
  transfers: z.union([
    z.literal('not stated in the policy'),
    z.array(z.object({ recipient: z.string(), country: z.string(), safeguards: z.string() })),
  ]),
  retention: z.array(
    z.object({
      category: z.string(),
      subjectKinds: z.array(z.string()),
      keepFor: z.string().describe('ISO 8601 duration (P7Y) or until_deletion'),
      inWords: z.string(),
      from: z.string(),
      reason: z.string(),
    }),
  ),
  locations: z
    .array(z.object({ dataset: z.string(), table: z.string(), column: z.string(), category: z.string() }))
    .describe("Where the data sits: annotated columns of Vow's own tables and the shop's databases"),
});

export const recordOfProcessingSchema = z.object({
  basis: z.literal('GDPR Art. 30(1)'),
  policy: z.object({ name: z.string(), version: z.string(), effectiveDate: z.string() }),
  controller: z.object({
    name: z.string(),
    website: z.string(),
    email: z.string(),
    phone: z.string(),
    postalAddress: z.string(),
    requestsPostalAddress: z.string(),
    representative: z.string(),
    dataProtectionOfficer: z.string(),
  }),
  activities: z.array(activitySchema),
  security: z.object({ statement: z.string(), measures: z.array(z.string()) }),
});

export const recordOfProcessingRoutes: RouteModule = (app, ctx, services) => {
  app.get(
    '/v1/records-of-processing',
    {
      config: { access: 'staff:auditor' },
      schema: {
        tags: ['datasets'],
        summary: 'The record of processing activities (GDPR Art. 30(1)), from the policy and the data map',
        description:
          'One activity per purpose of the policy in force: whose data, which categories, from which forms, to which recipients, transfers, how long it is kept (ISO 8601 and in words) and where it sits (annotated datasets and columns); the controller and a description of the security measures. What the policy does not state is answered "not stated in the policy". format=csv answers text/csv, one row per activity. No personal data. For the auditor and the privacy officer.',
        querystring: z.strictObject({ format: z.enum(['json', 'csv']).default('json') }),
        response: { 200: z.union([recordOfProcessingSchema, line().describe('text/csv')]) },
      },
    },
    async (req, reply) => {
      const record = buildRecordOfProcessing(ctx.policy, services.datasets.annotations());
      if (req.query.format === 'csv') {
        return reply
          .type('text/csv; charset=utf-8')
          .header(
            'content-disposition',
            `attachment; filename="records-of-processing-${record.policy.version}.csv"`,
          )
          .send(recordOfProcessingCsv(record));
      }
      // The record's arrays are readonly; the answer's schema describes the same shape.
      return record as z.infer<typeof recordOfProcessingSchema>;
    },
  );
};
