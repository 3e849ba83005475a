// The audit trail over the JSON API, for auditors and the privacy officer: entries oldest first,
// paginated by sequence number (each read is itself audited), and the hash chain's verification.

import { z } from 'zod';
import { line } from '../../platform/strings.js';
import { cursor } from '../cursor.js';
import type { RouteModule } from '../route-module.js';

const auditRow = z.object({
  seq: z.number(),
  at: z.string(),
  actor: z.object({ type: z.string(), id: z.string().nullable() }),
  action: z.string(),
  target: z.object({ type: z.string(), id: z.string() }).nullable(),
  reason: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  hash: z.string(),
});

export const auditApiRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/v1/audit',
    {
      config: { access: 'staff:auditor' },
      schema: {
        tags: ['audit'],
        errors: [],
        summary: 'The audit trail, oldest first, paginated by sequence number',
        querystring: z.strictObject({
          after: cursor().default(0),
          limit: z.coerce.number().int().min(1).max(500).default(100),
          targetType: line().max(64).optional(),
          targetId: line().max(128).optional(),
        }),
        response: { 200: z.object({ entries: z.array(auditRow), next: z.number().nullable() }) },
      },
    },
    async (req) => {
      const q = req.query;
      const rows = await ctx.audit.list({
        afterSeq: q.after,
        limit: q.limit + 1,
        ...(q.targetType ? { targetType: q.targetType } : {}),
        ...(q.targetId ? { targetId: q.targetId } : {}),
      });
      const page = rows.slice(0, q.limit);
      await ctx.audit.record({
        actor:
          req.principal?.kind === 'staff' ? { type: 'staff', id: req.principal.staffId } : { type: 'system' },
        action: 'audit.read',
        details: { after: q.after, count: page.length },
      });
      return {
        entries: page.map((r) => ({
          seq: Number(r.seq),
          at: r.at,
          actor: { type: r.actor_type, id: r.actor_id },
          action: r.action,
          target: r.target_type && r.target_id ? { type: r.target_type, id: r.target_id } : null,
          reason: r.reason,
          details: JSON.parse(r.details) as Record<string, unknown>,
          hash: r.hash,
        })),
        next: rows.length > q.limit ? Number(page[page.length - 1]!.seq) : null,
      };
    },
  );

  app.get(
    '/v1/audit/verify',
    {
      config: { access: 'staff:auditor' },
      schema: {
        tags: ['audit'],
        errors: [],
        summary: 'Recompute the hash chain and check the anchors; names the first broken link',
        response: {
          200: z.object({
            ok: z.boolean(),
            entries: z.number(),
            head: z.string().optional(),
            brokenAt: z.number().optional(),
            problem: z.string().optional(),
            anchors: z.number(),
          }),
        },
      },
    },
    async () => ctx.audit.verify(),
  );
};
