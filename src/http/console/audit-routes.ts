// The audit trail in the console, for auditors and the privacy officer: a page of entries (each
// read is itself audited) and the verification of the hash chain.

import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { consoleFrame, csrfBodyField, sendHtml, staffIdOf } from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';
import { renderAudit } from './audit.js';
import { staffNames } from './labels.js';

const AUDIT_PAGE = 50;

export const auditConsoleRoutes: RouteModule = (app, ctx, services) => {
  const actor = (req: FastifyRequest) => ({ type: 'staff' as const, id: staffIdOf(req) });

  async function auditPage(
    req: FastifyRequest,
    reply: FastifyReply,
    after: number | undefined,
    verified?: Awaited<ReturnType<typeof ctx.audit.verify>>,
  ) {
    const head = await ctx.audit.headSeq();
    const from = Math.min(after ?? Math.max(0, head - AUDIT_PAGE), head);
    const [rows, names] = await Promise.all([
      ctx.audit.list({ afterSeq: from, limit: AUDIT_PAGE }),
      staffNames(services),
    ]);
    await ctx.audit.record({
      actor: actor(req),
      action: 'audit.read',
      details: { after: from, count: rows.length },
    });
    return sendHtml(
      reply,
      renderAudit(consoleFrame(ctx, req), {
        rows,
        names,
        head,
        after: from,
        pageSize: AUDIT_PAGE,
        ...(verified ? { verified } : {}),
      }),
    );
  }

  app.get(
    '/staff/audit',
    {
      config: { access: 'staff:auditor' },
      schema: {
        hide: true,
        querystring: z.strictObject({ after: z.coerce.number().int().min(0).optional() }),
      },
    },
    async (req, reply) => auditPage(req, reply, req.query.after),
  );

  app.post(
    '/staff/audit/verify',
    {
      config: { access: 'staff:auditor' },
      schema: { hide: true, body: z.strictObject({ ...csrfBodyField }).nullish() },
    },
    async (req, reply) => {
      const result = await ctx.audit.verify();
      await ctx.audit.record({
        actor: actor(req),
        action: 'audit.verified',
        details: {
          ok: result.ok,
          entries: result.entries,
          ...(result.ok ? {} : { brokenAt: result.brokenAt }),
        },
      });
      return auditPage(req, reply, undefined, result);
    },
  );
};
