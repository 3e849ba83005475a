// The under-13 purge (P14): markers of the person's accounts, emails and phones first (they refuse a
// later collection), then every part of Vow erases its rows through the erasure registry, all in one
// transaction that destroys the person's data key first (so nothing is written for them meanwhile).
import type { AuditEntry } from '../../platform/audit/index.js';
import { VowError } from '../../platform/errors.js';
import { forgetOldPages } from '../../platform/store/index.js';
import type { VowContext } from '../policy/index.js';
import { searchableKind } from './searchable.js';
import type { PurgePorts } from './types.js';

/**
 * P14: staff learned the person is under 13. Everything Vow holds about them is deleted: every
 * part of Vow's eraser runs in purge mode in one transaction (the erasure registry), then their data
 * keys are destroyed. Only non-reversible markers remain: the blind indexes of their identifiers and
 * shopper-account emails, which refuse a later collection carrying the same email, phone or account.
 */
export async function markUnder13(
  ctx: VowContext,
  purge: PurgePorts,
  subjectId: string,
  actor: AuditEntry['actor'],
  reason?: string,
): Promise<{ markers: number }> {
  const db = ctx.store.db;
  const subject = await db.selectFrom('subjects').selectAll().where('id', '=', subjectId).executeTakeFirst();
  if (!subject) throw new VowError('VOW_UNKNOWN_SUBJECT', 'No subject with this id is known');
  if (Number(subject.under13) === 1)
    throw new VowError('VOW_SUBJECT_ALREADY_MARKED', 'This subject is already marked as under 13');
  const at = ctx.clock.now().toISOString();
  const { markers, destroyKeys } = await db.transaction().execute(async (trx) => {
    // The person's key first, before any of their rows goes: a writer that resolved them earlier
    // either committed before (its rows are deleted below) or finds the key destroyed in its own
    // transaction and writes nothing for them (the vault's closedAmong; ordered by a lock on
    // PostgreSQL). Rolled back with the rest if the purge fails.
    await ctx.vault.destroyKey(subjectId, trx);
    // Only what a later collection is refused by (an account, email or phone): a household's
    // address is not refused, so its keyed hash would be kept for nothing.
    const indexes = await trx
      .selectFrom('subject_identifiers')
      .select(['kind', 'blind_index'])
      .distinct()
      .where('subject_id', '=', subjectId)
      .where(searchableKind('kind'))
      .execute();
    for (const i of indexes) {
      await trx
        .insertInto('under13_markers')
        .values({ kind: i.kind, blind_index: i.blind_index, marked_at: at })
        .onConflict((oc) => oc.columns(['kind', 'blind_index']).doNothing())
        .execute();
    }
    // Their shopper accounts' emails stay blocked too (the accounts themselves go with the purge).
    for (const blindIndex of await purge.accountEmailIndexes(trx, subjectId)) {
      await trx
        .insertInto('under13_markers')
        .values({ kind: 'email', blind_index: blindIndex, marked_at: at })
        .onConflict((oc) => oc.columns(['kind', 'blind_index']).doNothing())
        .execute();
    }
    const erased = await purge.erasure.erase(trx, { subjectId, mode: 'purge', categories: 'all', at });
    await trx
      .updateTable('subjects')
      .set({ under13: 1, updated_at: at })
      .where('id', '=', subjectId)
      .execute();
    await ctx.audit.record(
      {
        actor,
        action: 'subject.marked_under_13',
        target: { type: 'subject', id: subjectId },
        reason: reason ?? 'Staff learned the person is under 13 (P14)',
        details: { markers: indexes.length },
      },
      trx,
    );
    return { markers: indexes.length, destroyKeys: erased.destroyKeys };
  });
  // The other keys (their accounts' emails): the rows sealed under them are already gone.
  for (const key of destroyKeys) await ctx.vault.destroyKey(key);
  // Nor do the pages as they were before stay in SQLite's write-ahead log.
  await forgetOldPages(ctx.store);
  return { markers };
}
