// The scheduled audit anchor: every hour the chain head (seq, hash) is written to audit_anchors and to
// the anchor file outside the database, `onAnchor` may send it further (a mail to the privacy
// officers), and the job schedules its next run (one job per hour, by idempotency key).
import type { Clock } from '../clock.js';
import { HOUR_MS, type JobRunner, registerRecurringJob } from '../jobs/index.js';
import type { AuditTrail } from './audit.js';

export const AUDIT_ANCHOR_JOB = 'audit.anchor';
export const ANCHOR_EVERY_MS = HOUR_MS;

export function registerAnchorJob(
  ctx: { readonly audit: AuditTrail; readonly clock: Clock },
  jobs: JobRunner,
  onAnchor?: (anchor: { seq: number; hash: string; at: string }) => Promise<void>,
): { schedule: () => Promise<void> } {
  return registerRecurringJob(jobs, ctx.clock, {
    id: AUDIT_ANCHOR_JOB,
    everyMs: ANCHOR_EVERY_MS,
    run: async () => {
      const anchor = await ctx.audit.anchor('job');
      if (onAnchor && anchor.seq > 0) await onAnchor(anchor);
      return { seq: anchor.seq };
    },
  });
}
