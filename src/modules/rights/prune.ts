// Upkeep of the request log (CCPA regulations: kept 24 months): the daily `rights.prune_log` job
// removes expired export links and answered requests past retention, their vault keys destroyed.

import { z } from 'zod';
import { defineJob, type JobDefinition } from '../../platform/jobs/index.js';
import type { VowContext } from '../policy/index.js';
import { PRUNE_JOB } from './constants.js';
import { addDays, isoDay } from './deadlines.js';
import type { RightsDeps } from './internal.js';

/** CCPA regulations: the request log is kept 24 months. */
const LOG_RETENTION_MONTHS = 24;
/** Finished jobs (ids and counts only) are kept 90 days for inspection. */
const FINISHED_JOBS_KEPT_MS = 90 * 24 * 3600_000;

/**
 * Schedules the daily upkeep (next UTC midnight): answered requests leave the log after 24
 * months (CCPA record-keeping), expired export links lose their data. One job per day, however
 * many processes call this.
 */
export async function scheduleMaintenance(deps: RightsDeps): Promise<void> {
  const next = addDays(isoDay(deps.ctx.clock.now()), 1);
  await deps.jobs.enqueue({
    name: PRUNE_JOB,
    payload: { day: next },
    idempotencyKey: `${PRUNE_JOB}:${next}`,
    runAt: new Date(`${next}T00:00:00.000Z`),
  });
}

/** Removes expired exports and requests answered more than 24 months ago (their keys destroyed). */
export async function pruneLog(ctx: VowContext): Promise<{ requests: number; exports: number }> {
  const now = ctx.clock.now();
  const cutoff = new Date(now);
  cutoff.setUTCMonth(cutoff.getUTCMonth() - LOG_RETENTION_MONTHS);
  const db = ctx.store.db;
  const exports = await db
    .deleteFrom('rights_exports')
    .where('expires_at', '<=', now.toISOString())
    .executeTakeFirst();
  const old = await db
    .selectFrom('rights_requests')
    .select('id')
    .where('responded_at', 'is not', null)
    .where('responded_at', '<', cutoff.toISOString())
    .execute();
  for (const { id } of old) {
    await db.transaction().execute(async (trx) => {
      await trx.deleteFrom('rights_verifications').where('request_id', '=', id).execute();
      await trx.deleteFrom('rights_exports').where('request_id', '=', id).execute();
      await trx.deleteFrom('rights_requests').where('id', '=', id).execute();
      await ctx.audit.record(
        {
          actor: { type: 'system' },
          action: 'request.log_pruned',
          target: { type: 'request', id },
          reason: 'The request log is kept 24 months',
        },
        trx,
      );
    });
    // After the commit: a crash in between leaves a key without rows, never rows without a key.
    await ctx.vault.destroyKey(`request:${id}`);
  }
  return { requests: old.length, exports: Number(exports.numDeletedRows) };
}

/** The daily job: prunes the log and the finished jobs, then schedules the next day's run. */
export function pruneJob(deps: RightsDeps): JobDefinition<{ day: string }> {
  return defineJob({
    id: PRUNE_JOB,
    version: 1,
    schema: z.object({ day: z.string() }),
    handler: async () => {
      const pruned = await pruneLog(deps.ctx);
      const jobs = await deps.jobs.prune(FINISHED_JOBS_KEPT_MS);
      await scheduleMaintenance(deps);
      return { ...pruned, jobs };
    },
  });
}
