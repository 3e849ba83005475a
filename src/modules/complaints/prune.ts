// How long a complaint is kept: 24 months after staff close it, as the request log (CCPA regulations
// § 7101), then the daily `complaints.prune_closed` job deletes it with its replies and destroys its
// key. Kept until then under GDPR Art. 17(3)(e) (legal claims, the regulator), even after the
// complainant's deletion or the under-13 purge (docs/policy.md, "Complaints after an erasure").
import type { VowContext } from '../policy/index.js';

/** A closed complaint is kept this many months after it was closed. */
export const COMPLAINTS_KEPT_MONTHS = 24;

/** Deletes the complaints closed more than COMPLAINTS_KEPT_MONTHS ago (their keys destroyed); how many. */
export async function pruneClosedComplaints(ctx: VowContext): Promise<number> {
  const cutoff = new Date(ctx.clock.now());
  cutoff.setUTCMonth(cutoff.getUTCMonth() - COMPLAINTS_KEPT_MONTHS);
  const db = ctx.store.db;
  const old = await db
    .selectFrom('complaints')
    .select('id')
    .where('status', '=', 'closed')
    .where('updated_at', '<', cutoff.toISOString())
    .execute();
  for (const { id } of old) {
    await db.transaction().execute(async (trx) => {
      await trx.deleteFrom('complaint_replies').where('complaint_id', '=', id).execute();
      await trx.deleteFrom('complaints').where('id', '=', id).execute();
      await ctx.audit.record(
        {
          actor: { type: 'system' },
          action: 'complaint.pruned',
          target: { type: 'complaint', id },
          reason: `A closed complaint is kept ${COMPLAINTS_KEPT_MONTHS} months`,
        },
        trx,
      );
    });
    // After the commit: a crash in between leaves a key without rows, never rows without a key.
    await ctx.vault.destroyKey(`complaint:${id}`);
  }
  return old.length;
}
