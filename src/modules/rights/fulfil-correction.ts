// Fulfilment of an approved correction (P16, P21, GDPR Art. 19): each recipient of the corrected
// category told (a downstream task, a `subject.corrected` event), the new value written everywhere
// the category is held, the identifiers the walker cannot recompute corrected by the directory, the
// look-ups recomputed, the suppression list applied to the addresses the person holds now (P11), and
// the person told once no blocking task is open; each step once. The audit records that the field
// changed, never its values.

import { VowError } from '../../platform/errors.js';
import type { JobContext } from '../../platform/jobs/index.js';
import type { PersonIdentity } from '../datasets/index.js';
import { categoryName } from '../policy/index.js';
import { correctedAddress } from '../subjects/index.js';
import { completeErased, erasedIn, forgetErasedContact } from './fulfil-erased.js';
import {
  awaitRecipients,
  complete,
  emailIndex,
  type RightsDeps,
  type Row,
  requireWalker,
  type Sealed,
  statusIn,
} from './internal.js';
import { rightsMail } from './mail-text.js';

type Correction = NonNullable<Sealed['correction']>;

/**
 * What the recipients may be sent, before minimisation: the identifiers the person is known by now
 * (before the correction: a recipient finds them by what it holds) and the new value. Each recipient
 * gets only the values of categories the policy lets it receive (src/modules/downstream/events.ts).
 */
async function recipientValues(deps: RightsDeps, r: Row, identity: PersonIdentity, c: Correction) {
  const directory = deps.ports().directory;
  const addresses = new Map<string, unknown>();
  if (r.subject_id && directory)
    for (const id of await directory.identifiers(r.subject_id))
      if (id.kind === 'address' && id.value !== null) addresses.set(JSON.stringify(id.value), id.value);
  const value = c.category === 'contact.postal_address' ? (correctedAddress(c.value) ?? c.value) : c.value;
  return {
    emails: identity.emails ?? [],
    phones: identity.phones ?? [],
    addresses: [...addresses.values()],
    corrected: { category: c.category, value },
  };
}

/** The email or phone a correction gives the person, by its keyed hash (stored normalised: intake.ts). */
function correctedIdentifier(deps: RightsDeps, c: Correction) {
  if (c.category === 'contact.email')
    return { indexKind: 'email' as const, blindIndex: emailIndex(deps.ctx, c.value) };
  if (c.category === 'contact.phone')
    return { indexKind: 'phone' as const, blindIndex: deps.ctx.vault.blindIndex('phone', c.value) };
  return undefined;
}

export async function fulfilCorrection(
  deps: RightsDeps,
  r: Row,
  contact: Sealed,
  identity: PersonIdentity,
  job: JobContext,
): Promise<unknown> {
  const walker = requireWalker(deps);
  const c = contact.correction;
  if (!c) throw new VowError('VOW_REQUEST_INVALID', 'The correction is missing');
  const { directory, downstream } = deps.ports();
  const given = correctedIdentifier(deps, c);
  // 0. Whether the person already holds the email or phone the correction gives them, asked before
  // anything changes and kept: for P11 at step 4b that address is no new reason (its entry on the
  // list did its work when it was listed, or they came back since). A retried job that did not keep
  // the answer (it began before this step existed) cannot tell any more, and takes it as new.
  const heldBefore =
    r.subject_id && given && directory?.holds
      ? await job.once('held-before', async () =>
          job.attempt === 1
            ? directory.holds!(r.subject_id!, { kind: given.indexKind, value: c.value })
            : false,
        )
      : false;
  // 1. The recipients' tasks, opened first, while the identifiers they know the person by are still
  // the old ones (a retried job would read the corrected ones). Outside a step: the vault seals the
  // events' values on its own connection; opening twice returns the first count.
  const opened = downstream
    ? await job.once('downstream', async () =>
        downstream.open({
          requestId: r.id,
          kind: 'correction',
          subjectId: r.subject_id,
          person: await recipientValues(deps, r, identity, c),
          scope: [c.category],
          data: { category: c.category },
        }),
      )
    : { tasks: 0, blocking: 0 };
  // 2. Every copy the datasets walker reaches (Vow's own tables and the shop's).
  const changed = await job.once('corrected', async () => {
    const report = await walker.correct(
      identity,
      { category: c.category, ...(c.column ? { column: c.column } : {}), value: c.value },
      { type: 'staff', ...(r.approved_by ? { id: r.approved_by } : {}), requestId: r.id },
    );
    return { changes: report.changes };
  });
  // 3. The identifiers whose keyed hash only the directory computes (the postal address).
  let changes = changed.changes;
  if (r.subject_id && directory?.correctIdentifiers) {
    const subjectId = r.subject_id;
    const identifiers = await job.once('identifiers', () => directory.correctIdentifiers!(subjectId, c));
    changes += identifiers.changed;
  }
  // 4. The corrected identifier finds the person from now on, and the old one no longer does (P21).
  if (r.subject_id && directory?.reindex) {
    const subjectId = r.subject_id;
    await job.once('reindexed', () => directory.reindex!(subjectId));
  }
  // 4b. P11: the email or phone the correction gave the person may be on the suppression list
  // (unsubscribed, bounced, or kept from a deletion): they are withdrawn from the channels it covers,
  // each event saying why, as a collection of a listed address would be. That address only, and only
  // when it is new to them: one they held before is no reason now (step 0). After the re-index, so
  // the corrected identifier is committed (a suppression of the address meanwhile: suppression-list.ts).
  const suppressor = deps.ports().suppressor;
  if (r.subject_id && suppressor && given && !heldBefore) {
    const subjectId = r.subject_id;
    await job.step('suppression-list', (trx) =>
      suppressor.applySuppressionList(trx, subjectId, [given], { requestId: r.id }),
    );
  }
  // 5. The answer, once no blocking task is open (else the answer job gives it when the last closes).
  if (downstream && opened.blocking > 0) {
    await job.step('await-recipients', async (trx) => {
      await awaitRecipients(deps, trx, r.id, { corrected: { changes } }, opened.blocking);
      return { blocking: opened.blocking };
    });
    if ((await downstream.pending(r.id)) > 0) return { awaiting: 'recipients', blocking: opened.blocking };
  }
  return answerCorrection(deps, r, contact, changes, job);
}

/** The changes a correction waiting for its recipients recorded (null: its own steps are not done). */
export function correctedChangesOf(r: Row): number | null {
  if (!r.result) return null;
  const parsed = JSON.parse(r.result) as { corrected?: { changes?: number } };
  return typeof parsed.corrected?.changes === 'number' ? parsed.corrected.changes : null;
}

/** The reply (also sent by the answer job once the recipients confirmed); given once. */
export async function answerCorrection(
  deps: RightsDeps,
  r: Row,
  contact: Sealed,
  changes: number,
  job: JobContext,
): Promise<unknown> {
  const c = contact.correction;
  if (!c) throw new VowError('VOW_REQUEST_INVALID', 'The correction is missing');
  const answered = await job.step('answer', async (trx) => {
    const result = { category: c.category, changes };
    // The fulfilment and the answer job may both reach this when the last task closes meanwhile.
    const now = await statusIn(trx, r.id);
    if (now !== 'in_progress') return { skipped: now };
    // Nothing changed because the person was erased after the fulfilment began (their key closed
    // before the walk, their rows gone): answered that nothing is left to correct, not "corrected".
    // Read in this transaction, so an erasure is ordered before or after this answer.
    if (changes === 0 && (await erasedIn(deps, trx, r))) return completeErased(deps, trx, r, contact);
    // The audit says that the field changed, never the old or the new value.
    await deps.ctx.audit.record(
      {
        actor: { type: 'staff', id: r.approved_by ?? undefined },
        action: 'request.corrected',
        target: { type: 'request', id: r.id },
        details: { category: c.category, changes },
      },
      trx,
    );
    await complete(
      deps,
      trx,
      r,
      'corrected',
      result,
      rightsMail(r.locale).corrected({ category: categoryName(deps.ctx.policy, c.category, r.locale) }),
      contact.email,
    );
    return result;
  });
  if ('erased' in answered) await forgetErasedContact(deps, r);
  return answered;
}
