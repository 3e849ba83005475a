// The suppression list's two writers beside a batch of collections (identifier-locks.ts): entries
// added for several identifiers at once (a deletion's emails and phones), and the list applied to a
// person who came to hold a listed address without a collection (a correction, P21): P11, "unsubscribing
// will permanently remove the user", holds whichever way the address reached them.
import type { Transaction } from 'kysely';
import type { IndexKind } from '../../platform/crypto/index.js';
import type { Database } from '../../platform/store/index.js';
import type { VowContext } from '../policy/index.js';
import { assertChannel } from './collection-rules.js';
import type { ConsentChange } from './consent-inputs.js';
import { lockPeople } from './consent-locks.js';
import {
  addManyListEntries,
  LISTED_KINDS,
  lockIdentifiersToList,
  sharedIdentifierLocks,
} from './identifier-locks.js';
import { suppressionsOf } from './identifiers.js';
import { storedStates } from './ledger.js';
import { channelsCovered } from './list-coverage.js';

/** An email or phone by its keyed hash. */
export interface ListedIdentifier {
  readonly indexKind: IndexKind;
  readonly blindIndex: string;
}

/**
 * An identifier to put on the list, for `channel` ('*', the default: every channel its medium reaches,
 * list-coverage.ts) or each of `channels`.
 */
export interface ListEntryInput {
  readonly indexKind: IndexKind;
  readonly blindIndex: string;
  readonly channel?: string | undefined;
  readonly channels?: readonly string[] | undefined;
  readonly reason: string;
}

/**
 * Adds the entries of several identifiers in the caller's transaction, after taking all their locks
 * in ONE statement, in their keys' order (PostgreSQL): two deletions of people sharing addresses, or a
 * deletion and an import's batch of opt-outs (recordImportedWithdrawals), never wait on each other in
 * a circle, as they could when each address took its locks on its own, in the caller's order.
 */
export async function suppressIdentifiers(
  ctx: VowContext,
  trx: Transaction<Database>,
  inputs: readonly ListEntryInput[],
): Promise<void> {
  const channelsOf = (i: ListEntryInput) => i.channels ?? [i.channel ?? '*'];
  for (const input of inputs) {
    if (!LISTED_KINDS.has(input.indexKind))
      throw new Error(`suppressIdentifiers: not a listed kind: ${input.indexKind}`);
    for (const channel of channelsOf(input)) if (channel !== '*') assertChannel(ctx.policy, channel);
  }
  const identifiers = inputs.map((i) => ({ kind: i.indexKind, blindIndex: i.blindIndex }));
  await lockIdentifiersToList(trx, ctx.store.dialect, identifiers);
  await addManyListEntries(
    ctx,
    trx,
    inputs.map((i) => ({
      kind: i.indexKind,
      blindIndex: i.blindIndex,
      channels: channelsOf(i),
      reason: i.reason,
    })),
  );
}

/**
 * Withdraws the person, in the caller's transaction, from each channel the suppression list covers
 * for `identifiers` (the emails and phones a correction gave them) where they hold one now and are
 * not withdrawn already (a channel they were never on stays so: no automatic enrolment passes the
 * list, collection-rules.ts rule 6); each a `withdrawn` event saying why, as a collection the list
 * blocks records. An entry for every channel ('*') covers the channels the address reaches: an
 * email's marketing mail, a phone's marketing texts, not catalogs by post (P12). Only these
 * identifiers: an address the person held before and is back on a channel with (a START text, a
 * tick on a form; or a deletion of someone sharing it listed it without withdrawing them) is not a
 * reason to withdraw them now. Call it once the identifiers are committed (a correction's walk and
 * re-index). Idempotent: a second call finds them withdrawn. Nothing for a person whose erasure
 * began. Returns the number of events.
 *
 * Against a concurrent suppressIdentifier(s) of one of these addresses (PostgreSQL): they are
 * locked SHARED first, and the list read in a later statement, as a batch of collections does. If
 * the suppression locked first, this lock waits for it to commit, and the read after sees its
 * entry. If this locked first, the suppression's exclusive lock waits for this to commit, and its
 * look-up of the holders, which comes after its lock, sees the corrected identifier (committed
 * before this began) and finds the person withdrawn. Either way the person ends withdrawn.
 */
export async function applySuppressionList(
  ctx: VowContext,
  record: (trx: Transaction<Database>, change: ConsentChange) => Promise<unknown>,
  trx: Transaction<Database>,
  subjectId: string,
  identifiers: readonly ListedIdentifier[],
  details: Readonly<Record<string, unknown>> = {},
): Promise<{ events: number }> {
  const given = identifiers
    .filter((i) => LISTED_KINDS.has(i.indexKind))
    .map((i) => ({ kind: i.indexKind, blindIndex: i.blindIndex }));
  if (given.length === 0) return { events: 0 };
  if ((await ctx.vault.closedAmong(trx, [subjectId])).size > 0) return { events: 0 };
  const locks = ctx.store.dialect === 'postgres' ? sharedIdentifierLocks(given) : undefined;
  if (locks) await trx.executeQuery(locks.compile());
  // A statement after the locks: it sees every entry added by a suppression that held one of them.
  const wanted = new Set(given.map((i) => `${i.kind}\u0000${i.blindIndex}`));
  const entries = (await suppressionsOf(trx, subjectId)).filter((e) =>
    wanted.has(`${e.indexKind}\u0000${e.blindIndex}`),
  );
  if (entries.length === 0) return { events: 0 };
  // An entry for every channel ('*': a deletion, a hard bounce) covers those the address reaches,
  // as mail feedback and an imported opt-out withdraw: an email's marketing mail, a phone's texts.
  const covered = new Set(entries.flatMap((e) => channelsCovered(ctx.policy, e)));
  const channels = Object.keys(ctx.policy.doc.channels).filter((c) => covered.has(c));
  await lockPeople(ctx, trx, [subjectId]);
  const current = await storedStates(trx, subjectId);
  let events = 0;
  for (const channel of channels) {
    const state = current[channel]?.state;
    if (state === undefined || state === 'withdrawn') continue;
    await record(trx, {
      subjectRef: subjectId,
      channel,
      event: 'withdrawn',
      cause: { type: 'request', ref: 'suppression_list' },
      details: { ...details, blockedBy: 'suppression_list' },
      reason: 'The address is on the suppression list; only a new contest entry or request lifts it (P11)',
    });
    events++;
  }
  return { events };
}
