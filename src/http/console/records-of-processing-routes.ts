// The console's record of processing activities page (auditors and the privacy officer): what
// GET /v1/records-of-processing answers, to read and print.
import { z } from 'zod';
import { buildRecordOfProcessing } from '../../modules/datasets/index.js';
import { consoleFrame, sendHtml } from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';
import { RECORDS_OF_PROCESSING_PATH, renderRecordsOfProcessing } from './records-of-processing.js';

export const recordsOfProcessingConsoleRoutes: RouteModule = (app, ctx, services) => {
  app.get(
    RECORDS_OF_PROCESSING_PATH,
    { config: { access: 'staff:auditor' }, schema: { hide: true, querystring: z.strictObject({}) } },
    async (req, reply) =>
      sendHtml(
        reply,
        renderRecordsOfProcessing(
          consoleFrame(ctx, req),
          buildRecordOfProcessing(ctx.policy, services.datasets.annotations()),
        ),
      ),
  );
};
