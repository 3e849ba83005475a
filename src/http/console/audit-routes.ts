// The audit trail in the console, for auditors and the privacy officer: a page of entries (each
// read is itself audited) and the verification of the hash chain.

import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { cursor } from '../cursor.js';
import { consoleFrame, csrfBodyField, sendHtml, staffIdOf } from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';
import { AUDIT_FAMILY_IDS, type AuditFamily, renderAudit } from './audit.js';
import type { FilterRefusal } from './filter-refusal.js';
import { staffNames } from './labels.js';

const AUDIT_PAGE = 50;

/** The page's query: a page of the whole trail (`after`), or of one family or staff member (`before`). */
interface AuditQuery {
  readonly after?: number | undefined;
  readonly before?: number | undefined;
  readonly kind?: AuditFamily | undefined;
  readonly who?: string | undefined;
}

export const auditConsoleRoutes: RouteModule = (app, ctx, services) => {
  const actor = (req: FastifyRequest) => ({ type: 'staff' as const, id: staffIdOf(req) });

  async function auditHtml(
    req: FastifyRequest,
    query: AuditQuery,
    verified?: Awaited<ReturnType<typeof ctx.audit.verify>>,
    refusal?: FilterRefusal,
  ): Promise<string> {
    const [head, names] = await Promise.all([ctx.audit.headSeq(), staffNames(services)]);
    const who = query.who ? [...names].find(([, name]) => name === query.who)?.[0] : undefined;
    const filter = query.kind || query.who ? { kind: query.kind, who: query.who } : undefined;
    let rows: Awaited<ReturnType<typeof ctx.audit.list>>;
    let from = 0;
    if (filter) {
      // Filtered: newest first from `before`, 50 a page (an unknown user name matches nothing).
      rows =
        who || !query.who
          ? (
              await ctx.audit.list({
                newestFirst: true,
                family: query.kind,
                actorId: who,
                ...(query.before ? { beforeSeq: query.before } : {}),
                limit: AUDIT_PAGE,
              })
            ).reverse()
          : [];
    } else {
      from = Math.min(query.after ?? Math.max(0, head - AUDIT_PAGE), head);
      rows = await ctx.audit.list({ afterSeq: from, limit: AUDIT_PAGE });
    }
    await ctx.audit.record({
      actor: actor(req),
      action: 'audit.read',
      details: { after: from, count: rows.length, ...(filter ? { filtered: true } : {}) },
    });
    return renderAudit(consoleFrame(ctx, req), {
      rows,
      names,
      head,
      after: from,
      pageSize: AUDIT_PAGE,
      ...(filter ? { filter } : {}),
      ...(verified ? { verified } : {}),
      ...(refusal ? { refusal } : {}),
    });
  }

  app.get(
    '/staff/audit',
    {
      config: {
        access: 'staff:auditor',
        // A refused filter or cursor: the trail without it, the field marked (400).
        filterPage: (req, refusal) => auditHtml(req, refusal.query as AuditQuery, undefined, refusal),
      },
      schema: {
        hide: true,
        querystring: z.strictObject({
          after: cursor().optional(),
          before: cursor(1).optional(),
          kind: z
            .enum(AUDIT_FAMILY_IDS)
            .or(z.literal('').transform(() => undefined))
            .optional(),
          who: z
            .string()
            .max(64)
            .optional()
            .transform((v) => v || undefined),
        }),
      },
    },
    async (req, reply) => sendHtml(reply, await auditHtml(req, req.query)),
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
      return sendHtml(reply, await auditHtml(req, {}, result));
    },
  );
};
