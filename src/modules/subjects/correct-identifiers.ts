// A correction of an identifier the datasets walker cannot recompute (P21): the postal address,
// whose keyed hash depends on how this module normalises addresses. Every address the person is
// known by becomes the corrected one, sealed under their key with its keyed hash, and their
// look-ups are recomputed, so the old address no longer finds them and the new one does where an
// address is what finds them.
import { VowError } from '../../platform/errors.js';
import type { VowContext } from '../policy/index.js';
import { correctedAddress, normaliseAddress } from './normalise.js';
import { reindex } from './queries.js';
import { IDENTIFIER_CATEGORY } from './types.js';

export async function correctIdentifiers(
  ctx: VowContext,
  subjectId: string,
  correction: { readonly category: string; readonly value: string },
): Promise<{ changed: number }> {
  if (correction.category !== IDENTIFIER_CATEGORY.address) return { changed: 0 };
  const address = correctedAddress(correction.value);
  if (!address)
    throw new VowError('VOW_VALIDATION', 'The corrected postal address is not an address', {
      issues: [{ path: '/correction/value', message: 'not a postal address' }],
    });
  const blindIndex = ctx.vault.blindIndex('address', normaliseAddress(address));
  // Sealed before the transaction: the vault may open the person's key on its own connection.
  const sealed = await ctx.vault.encrypt(subjectId, JSON.stringify(address));
  const changed = await ctx.store.db.transaction().execute(async (trx) => {
    // Not for someone whose erasure began meanwhile (VOW_SUBJECT_SHREDDED): ordered against it.
    await ctx.vault.assertOpen(trx, [subjectId]);
    const res = await trx
      .updateTable('subject_identifiers')
      .set({ sealed_value: sealed, blind_index: blindIndex })
      .where('subject_id', '=', subjectId)
      .where('kind', '=', 'address')
      .executeTakeFirst();
    return Number(res.numUpdatedRows);
  });
  await reindex(ctx, subjectId);
  return { changed };
}
