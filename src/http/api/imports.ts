// POST /v1/imports: `vow import` over HTTP for staff tools. The body is the export itself (text/csv
// or application/x-ndjson), streamed to the imports service, never parsed into memory; the answer is
// the run's report with every refused row's line and reason (GET …/refusals pages through them).
import { z } from 'zod';
import { IMPORT_FORMAT_IDS } from '../../modules/imports/index.js';
import { VowError } from '../../platform/errors.js';
import { line } from '../../platform/strings.js';
import { cursor } from '../cursor.js';
import { staffIdOf } from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';

const counts = z.object({
  units: z.number().describe('Rows read (orders, for shopify-orders)'),
  collected: z.record(z.string(), z.number()).describe('Collections stored, by type'),
  unchanged: z.number().describe('Orders already stored with the same body'),
  withdrawn: z.object({ unsubscribed: z.number(), bounced: z.number() }),
  ledgerEvents: z.number().describe('Consent events appended for people Vow already held'),
  optInsNotApplied: z
    .number()
    .describe(
      'Imported opt-ins left out: the address or number had withdrawn (an old flag is no new request, P11)',
    ),
  noted: z.number().describe('Rows with nothing to write (a list\'s "subscribed")'),
  refused: z.number(),
});
const refusal = z.object({ line: z.number(), code: z.string(), reason: z.string() });
const report = z.object({
  runId: z.string().nullable(),
  format: z.string(),
  fileName: z.string(),
  sha256: z.string(),
  dryRun: z.boolean(),
  resumedFromLine: z.number(),
  alreadyImported: z.boolean(),
  counts,
  refusals: z.array(refusal).describe('The refused rows (the first 1,000)'),
  elapsedMs: z.number(),
});

const ACCESS = 'staff:admin' as const;

export const importApiRoutes: RouteModule = (app, _ctx, services) => {
  // The export reaches the handler as a stream: nothing is buffered whole.
  app.addContentTypeParser(['text/csv', 'application/x-ndjson'], (_req, payload, done) =>
    done(null, payload),
  );

  app.post(
    '/v1/imports',
    {
      // A file of up to VOW_IMPORT_MAX_BYTES takes as long as it takes (src/http/body-deadline.ts).
      config: { access: ACCESS, bodyDeadline: false },
      schema: {
        tags: ['imports'],
        errors: ['VOW_IMPORT_COLUMNS', 'VOW_IMPORT_ENCODING', 'VOW_IMPORT_QUOTES'],
        summary: "Import a shop's customers, orders or marketing lists (the body is the file)",
        description:
          "The body is the export as is: `Content-Type: text/csv` (shopify-customers, shopify-orders, mailchimp, klaviyo, sms-optouts) or `application/x-ndjson` (ndjson), streamed. Resumable and idempotent by the file's SHA-256: the same file again continues an interrupted run, or changes nothing. `dry_run=true` checks every row and writes nothing. See docs/import.md.",
        consumes: ['text/csv', 'application/x-ndjson'],
        body: z
          .unknown()
          .describe(
            'The export file itself, as the system that made it wrote it (streamed, never parsed whole)',
          ),
        querystring: z.strictObject({
          format: z.enum(IMPORT_FORMAT_IDS),
          file_name: line()
            .min(1)
            .max(200)
            .optional()
            .describe(
              'Accepted and not kept: a run is named by its format and SHA-256 (a file named after a person would keep that name)',
            ),
          dry_run: z.enum(['true', 'false']).default('false'),
        }),
        response: { 200: report },
      },
    },
    async (req) => {
      const body = req.body as NodeJS.ReadableStream | undefined;
      if (!body || typeof (body as { pipe?: unknown }).pipe !== 'function')
        throw new VowError('VOW_UNSUPPORTED_MEDIA_TYPE', 'Send the file as text/csv or application/x-ndjson');
      return services.imports.runStream(body, {
        format: req.query.format,
        dryRun: req.query.dry_run === 'true',
        actor: { type: 'staff', id: staffIdOf(req) },
      });
    },
  );

  app.get(
    '/v1/imports',
    {
      config: { access: ACCESS },
      schema: {
        tags: ['imports'],
        errors: [],
        summary: 'Every import run, newest first: file, SHA-256, status, checkpoint and counts',
        response: {
          200: z.object({
            runs: z.array(
              z.object({
                id: z.string(),
                format: z.string(),
                fileName: z.string(),
                sha256: z.string(),
                status: z.string(),
                checkpointLine: z.number(),
                counts,
                startedAt: z.string(),
                finishedAt: z.string().nullable(),
              }),
            ),
          }),
        },
      },
    },
    async () => ({ runs: await services.imports.runs() }),
  );

  app.get(
    '/v1/imports/:id/refusals',
    {
      config: { access: ACCESS },
      schema: {
        tags: ['imports'],
        errors: ['VOW_IMPORT_NOT_FOUND'],
        summary: "A run's refused rows in line order, a page at a time",
        params: z.strictObject({ id: line().min(1).max(64) }),
        querystring: z.strictObject({
          after: cursor().default(0).describe('The last line of the previous page'),
          limit: z.coerce.number().int().min(1).max(1000).default(1000),
        }),
        response: { 200: z.object({ refusals: z.array(refusal) }) },
      },
    },
    async (req) => ({
      refusals: await services.imports.refusals(req.params.id, req.query.after, req.query.limit),
    }),
  );
};
