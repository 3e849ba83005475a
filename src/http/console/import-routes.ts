// The imports pages of the console (admin and the privacy officer, as POST /v1/imports): the runs,
// and one run with its refused rows, 100 a page.
import { z } from 'zod';
import { line } from '../../platform/strings.js';
import { cursor } from '../cursor.js';
import { consoleFrame, sendHtml } from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';
import { renderImportRun, renderImports } from './imports.js';

const PAGE = 100;

export const importConsoleRoutes: RouteModule = (app, ctx, services) => {
  app.get(
    '/staff/imports',
    // No query at all: a cursor or filter sent here (`?after=x`) is refused, not silently ignored.
    { config: { access: 'staff:admin' }, schema: { hide: true, querystring: z.strictObject({}) } },
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
        querystring: z.strictObject({ after: cursor().optional() }),
      },
    },
    async (req, reply) => {
      const run = await services.imports.findRun(req.params.id);
      const after = req.query.after ?? 0;
      const rows = await services.imports.refusals(run.id, after, PAGE + 1);
      return sendHtml(
        reply,
        renderImportRun(consoleFrame(ctx, req), {
          run,
          refusals: rows.slice(0, PAGE),
          after,
          more: rows.length > PAGE,
        }),
      );
    },
  );
};
