// A request whose person was erased after it found them (their deletion of everything by another
// request, or the under-13 purge, between its verification and its fulfilment): there is nothing
// left to export, correct or restrict, so it is answered so, once, instead of a fulfilment that
// fails until its job gives up and leaves the request "in progress" for ever. A deletion is not
// answered here: it runs on, changes nothing, and answers that the data is deleted. A correction
// whose erasure began after its start but before its walk changes nothing: its answer step asks
// again (erasedIn) and answers so too (fulfil-correction.ts).

import type { Transaction } from 'kysely';
import { isVowError } from '../../platform/errors.js';
import type { JobContext } from '../../platform/jobs/index.js';
import type { Database } from '../../platform/store/index.js';
import { forgetContact } from './erasure.js';
import { complete, type RightsDeps, type Row, type Sealed, statusIn } from './internal.js';
import { rightsMail } from './mail-text.js';

/** What the log says was answered, by kind (no personal value). */
const NATURE = {
  access: 'nothing held: erased',
  portability: 'nothing held: erased',
  correction: 'nothing to correct: erased',
  restriction: 'nothing to restrict: erased',
  objection: 'nothing to restrict: erased',
} as const;

type ErasedKind = keyof typeof NATURE;

function answeredWhenErased(r: Row): r is Row & { type: ErasedKind; subject_id: string } {
  return r.subject_id !== null && r.type in NATURE;
}

/**
 * Whether the request's person was erased (their data key closed by an erasure) since the request
 * found them. A deletion never is: its own first steps close the key.
 */
export async function erasedMeanwhile(deps: RightsDeps, r: Row): Promise<boolean> {
  if (!answeredWhenErased(r)) return false;
  return deps.ctx.store.db.transaction().execute((trx) => erasedIn(deps, trx, r));
}

/** Whether a fulfilment's failure is its person's erasure meanwhile (VOW_SUBJECT_SHREDDED, key closed). */
export async function failedByErasure(deps: RightsDeps, r: Row, err: unknown): Promise<boolean> {
  return isVowError(err) && err.code === 'VOW_SUBJECT_SHREDDED' && (await erasedMeanwhile(deps, r));
}

/**
 * Whether the request's person is erased, read inside the transaction that answers it: on
 * PostgreSQL the look share-locks the person's key row, so an erasure closing the key either
 * committed before (and is seen) or waits for the answer to commit.
 */
export async function erasedIn(deps: RightsDeps, trx: Transaction<Database>, r: Row): Promise<boolean> {
  if (!answeredWhenErased(r)) return false;
  return (await deps.ctx.vault.closedAmong(trx, [r.subject_id])).size > 0;
}

/**
 * Completes the request in the caller's transaction, answered that nothing is held any more: the
 * log entry, the audit entry and the reply (to the contact on the request, in its language; a purge
 * has forgotten it, so nobody is mailed), and the contact forgotten in the same transaction (a
 * crash after the answer cannot leave it: a completed request's job is not run again). The caller
 * then destroys the contact's key (forgetErasedContact).
 */
export async function completeErased(
  deps: RightsDeps,
  trx: Transaction<Database>,
  r: Row,
  contact: Sealed,
): Promise<{ erased: true } | { skipped: string }> {
  if (!answeredWhenErased(r)) return { skipped: r.type };
  const say = rightsMail(r.locale);
  const result = { erased: true as const };
  await complete(
    deps,
    trx,
    r,
    NATURE[r.type],
    result,
    say.erasedMeanwhile({ kind: r.type, type: say.typeName[r.type] }),
    contact.email,
  );
  // Forgotten as the erasure forgets an answered request's contact.
  await forgetContact(trx, r.id, deps.ctx.clock.now().toISOString());
  return result;
}

/** After the answer committed: the forgotten contact's key is destroyed. */
export async function forgetErasedContact(deps: RightsDeps, r: Row): Promise<void> {
  // The key forgetContact names (the request's own, its contact sealed under it).
  await deps.ctx.vault.destroyKey(`request:${r.id}`);
}

/**
 * Answers the request: nothing is held any more (completeErased in a step of its own, then the
 * contact forgotten).
 */
export async function answerErased(
  deps: RightsDeps,
  r: Row,
  contact: Sealed,
  job: JobContext,
): Promise<unknown> {
  if (!answeredWhenErased(r)) return { skipped: r.type };
  const answered = await job.step('answer-erased', async (trx) => {
    const now = await statusIn(trx, r.id);
    if (now !== 'in_progress') return { skipped: now };
    return completeErased(deps, trx, r, contact);
  });
  if ('skipped' in answered) return answered;
  await forgetErasedContact(deps, r);
  return answered;
}
