// The scheduled audit anchor: every hour the chain head (seq, hash) is written to audit_anchors and to
// the anchor file outside the database, `onAnchor` may send it further (a mail to the privacy
// officers), and the job schedules its next run (one job per hour, by idempotency key).
import { z } from 'zod';
import type { Clock } from '../clock.js';
import { defineJob, type JobRunner } from '../jobs/index.js';
import type { AuditTrail } from './audit.js';

export const AUDIT_ANCHOR_JOB = 'audit.anchor';
export const ANCHOR_EVERY_MS = 60 * 60 * 1000;

function hourKey(at: Date): string {
  return `${AUDIT_ANCHOR_JOB}:${at.toISOString().slice(0, 13)}`;
}

export function registerAnchorJob(
  ctx: { readonly audit: AuditTrail; readonly clock: Clock },
  jobs: JobRunner,
  onAnchor?: (anchor: { seq: number; hash: string; at: string }) => Promise<void>,
): { schedule: () => Promise<void> } {
  const scheduleAt = async (at: Date) => {
    await jobs.enqueue({ name: AUDIT_ANCHOR_JOB, payload: {}, idempotencyKey: hourKey(at), runAt: at });
  };
  jobs.register(
    defineJob({
      id: AUDIT_ANCHOR_JOB,
      version: 1,
      schema: z.object({}),
      handler: async () => {
        const anchor = await ctx.audit.anchor('job');
        if (onAnchor && anchor.seq > 0) await onAnchor(anchor);
        const next = new Date(
          Math.floor(ctx.clock.now().getTime() / ANCHOR_EVERY_MS) * ANCHOR_EVERY_MS + ANCHOR_EVERY_MS,
        );
        await scheduleAt(next);
        return { seq: anchor.seq };
      },
    }),
  );
  return { schedule: () => scheduleAt(ctx.clock.now()) };
}
