// The imports pages of the console (admin and the privacy officer, as POST /v1/imports): the runs,
// and one run with its refused rows, 100 a page.
import { z } from 'zod';
import { line } from '../../platform/strings.js';
import { consoleFrame, sendHtml } from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';
import { renderImportRun, renderImports } from './imports.js';

const PAGE = 100;

export const importConsoleRoutes: RouteModule = (app, ctx, services) => {
  app.get(
    '/staff/imports',
    { config: { access: 'staff:admin' }, schema: { hide: true } },
    async (req, reply) =>
      sendHtml(reply, renderImports(consoleFrame(ctx, req), await services.imports.runs())),
  );

  app.get(
    '/staff/imports/:id',
    {
      config: { access: 'staff:admin' },
      schema: {
        hide: true,
        params: z.strictObject({ id: line().min(1).max(64) }),
        querystring: z.strictObject({ after: z.coerce.number().int().min(0).default(0) }),
      },
    },
    async (req, reply) => {
      const run = await services.imports.findRun(req.params.id);
      const rows = await services.imports.refusals(run.id, req.query.after, PAGE + 1);
      return sendHtml(
        reply,
        renderImportRun(consoleFrame(ctx, req), {
          run,
          refusals: rows.slice(0, PAGE),
          after: req.query.after,
          more: rows.length > PAGE,
        }),
      );
    },
  );
};
