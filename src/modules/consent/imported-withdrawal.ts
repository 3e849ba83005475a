// An opt-out brought in from another system (an email platform's unsubscribed or cleaned list, an
// SMS opt-out list): the identifier's keyed hash goes on the suppression list for the channels of
// its medium, so no automatic enrolment ever brings it back, and everyone Vow already holds with that
// identifier is taken off those channels in the ledger, the source kept in the event's details.
// Only the acts P11 names lift it: a new contest entry or promotional request (collection-rules.ts,
// rule 6), or the channel ticked on a form.
import type { Transaction } from 'kysely';
import type { IndexKind } from '../../platform/crypto/index.js';
import { type Database, type DialectName, isIn, listChunks } from '../../platform/store/index.js';
import { isEmailShaped } from '../../platform/strings.js';
import type { VowContext } from '../policy/index.js';
import { normaliseEmail, normalisePhone, searchableKind } from '../subjects/index.js';
import type { ConsentChange } from './consent-inputs.js';
import { lockPeople } from './consent-locks.js';
import type { ConsentService } from './consent-service.js';
import { addManyListEntries, lockIdentifiersToList } from './identifier-locks.js';
import { type StoredChannelState, storedStatesOf } from './ledger.js';
import { channelsOfMedium } from './list-coverage.js';

export interface ImportedWithdrawal {
  /** The medium of the list: an email address or a phone number. */
  readonly identifier:
    | { readonly kind: 'email'; readonly value: string }
    | { readonly kind: 'phone'; readonly value: string; readonly country?: string | undefined };
  /** `unsubscribed`: the person's own opt-out (P11). `bounced`: the address does not take mail. */
  readonly why: 'unsubscribed' | 'bounced';
  /** When it happened at the source (default: now). */
  readonly at?: Date | undefined;
  /** Where the fact came from (file name, its SHA-256, row): ids and codes only, kept in the ledger. */
  readonly evidence: Readonly<Record<string, unknown>>;
}

export interface WithdrawalOutcome {
  /** The channels the suppression list now covers for the identifier. */
  readonly channels: readonly string[];
  /** How many ledger events were appended (people Vow already holds who were on a channel). */
  readonly events: number;
}

/** The identifier's normalised form, or undefined when it is not a valid address or number. */
export function normaliseListIdentifier(identifier: ImportedWithdrawal['identifier']): string | undefined {
  if (identifier.kind === 'email') {
    const e = normaliseEmail(identifier.value);
    return isEmailShaped(e) ? e : undefined;
  }
  return normalisePhone(identifier.value, identifier.country ?? 'US');
}

/** One imported opt-out: recordImportedWithdrawals of it alone. */
export async function recordImportedWithdrawal(
  ctx: VowContext,
  consent: ConsentService,
  trx: Transaction<Database>,
  input: ImportedWithdrawal,
): Promise<WithdrawalOutcome> {
  return (await recordImportedWithdrawals(ctx, consent, trx, [input]))[0]!;
}

/**
 * Takes a batch's opt-outs' identifier locks (exclusive, in one statement, in their keys' order:
 * identifier-locks.ts) ahead of recordImportedWithdrawals, for a batch that also writes collections:
 * its caller takes them once the collections' rows are written and before their consent (the
 * collection module's afterRows), so the batch holds no person's consent lock yet. Taken after the
 * consent of its collections, as they were, a checkout holding one of these addresses (its batch's
 * shared lock) and waiting for a person the import's collections had locked would wait on it in a
 * circle (PostgreSQL would end one of the two). recordImportedWithdrawals takes them again: a
 * transaction's own advisory locks never make it wait.
 */
export async function lockImportedWithdrawals(
  ctx: VowContext,
  trx: Transaction<Database>,
  inputs: readonly Pick<ImportedWithdrawal, 'identifier'>[],
): Promise<void> {
  const identifiers = inputs.flatMap((input) => {
    const normalised = normaliseListIdentifier(input.identifier);
    const kind: IndexKind = input.identifier.kind;
    return normalised === undefined ? [] : [{ kind, blindIndex: ctx.vault.blindIndex(kind, normalised) }];
  });
  await lockIdentifiersToList(trx, ctx.store.dialect, identifiers);
}

/** An opt-out of the batch, its identifier's keyed hash and the channels it covers. */
interface Listed {
  readonly input: ImportedWithdrawal;
  readonly kind: IndexKind;
  readonly blindIndex: string;
  readonly channels: string[];
}

/**
 * Records a batch of imported opt-outs inside the caller's transaction, as one after the other in
 * their order would (the same suppression entries, ledger events, audit entries and listener calls;
 * a person an earlier opt-out of the batch withdrew gets no second event), in a few statements:
 * 1. every identifier's lock (identifier-locks.ts), in one statement, in their keys' order, before
 *    anything else: the people a batch of collections is writing with one of them now are found
 *    below, once that batch has committed; and before the batch holds any person's consent lock, so
 *    that a checkout holding one of the addresses and waiting for a person the batch withdraws does
 *    not wait on it in a circle (PostgreSQL would end one of the two);
 * 2. the entries of every identifier and channel, in multi-row inserts;
 * 3. the people holding them, in one query a kind (a LIST_CHUNK of identifiers on SQLite);
 * 4. those people's consent locks, at once and sorted (consent-locks.ts), their states in one
 *    query (after their locks, so a change another transaction committed meanwhile is seen), and
 *    which of them an erasure began for (the vault's closedAmong): no event for those, whose
 *    consent rows the erasure deletes; the identifier's entry is listed all the same (it is the
 *    address's, linked to no one, and what keeps P11 once they are gone);
 * 5. the events, states and audit entries (ConsentService.recordMany; the people step 4 read open
 *    stay so until the batch commits: the read's shared row locks hold an erasure's closing back).
 * Idempotent: a second run adds no suppression entry (unique per identifier and channel) and no
 * event for a channel already off. Returns each opt-out's outcome, in order.
 */
export async function recordImportedWithdrawals(
  ctx: VowContext,
  consent: ConsentService,
  trx: Transaction<Database>,
  inputs: readonly ImportedWithdrawal[],
): Promise<WithdrawalOutcome[]> {
  if (inputs.length === 0) return [];
  const dialect = ctx.store.dialect;
  const listed = inputs.map((input): Listed => {
    const normalised = normaliseListIdentifier(input.identifier);
    if (normalised === undefined) throw new Error('recordImportedWithdrawal: identifier not normalisable');
    const kind: IndexKind = input.identifier.kind;
    const blindIndex = ctx.vault.blindIndex(kind, normalised);
    return { input, kind, blindIndex, channels: channelsOfMedium(ctx.policy, input.identifier.kind) };
  });
  await lockIdentifiersToList(trx, dialect, listed);
  await addManyListEntries(
    ctx,
    trx,
    listed.map((l) => ({ ...l, reason: reasonOf(l.input.why) })),
  );
  const holders = await holdersOf(trx, dialect, listed);
  const people = [...new Set([...holders.values()].flat())];
  await lockPeople(ctx, trx, people);
  const states =
    people.length > 0
      ? await storedStatesOf(trx, dialect, people)
      : new Map<string, Record<string, StoredChannelState>>();
  const erasing = people.length > 0 ? await ctx.vault.closedAmong(trx, people) : new Set<string>();
  const changes: ConsentChange[] = [];
  const outcomes = listed.map((l): WithdrawalOutcome => {
    const event = l.input.why === 'unsubscribed' ? 'unsubscribed' : 'withdrawn';
    let events = 0;
    for (const subjectId of holders.get(`${l.kind}\u0000${l.blindIndex}`) ?? []) {
      if (erasing.has(subjectId)) continue;
      const current: Record<string, StoredChannelState> = states.get(subjectId) ?? {};
      states.set(subjectId, current);
      for (const channel of l.channels) {
        const state = current[channel]?.state;
        if (state === undefined || state === 'withdrawn') continue;
        changes.push({
          subjectRef: subjectId,
          channel,
          event,
          cause: { type: 'request', ref: 'import' },
          ...(l.input.at ? { at: l.input.at } : {}),
          details: { imported: l.input.why, source: l.input.evidence },
          reason: reasonOf(l.input.why),
        });
        // A later opt-out of the batch finds the channel off, as it would one after the other.
        current[channel] = { state: 'withdrawn', lastEvent: event };
        events++;
      }
    }
    return { channels: l.channels, events };
  });
  await consent.recordMany(trx, changes, new Set(people.filter((p) => !erasing.has(p))));
  return outcomes;
}

function reasonOf(why: ImportedWithdrawal['why']): string {
  return why === 'unsubscribed'
    ? 'imported unsubscribe (P11: lifted only by a new contest entry or promotional request)'
    : 'imported bounce (the address does not take mail)';
}

/**
 * The people holding each identifier (`kind` NUL keyed hash: their ids, sorted), in one query a
 * kind (one per LIST_CHUNK identifiers on SQLite), as subjectsByBlindIndex finds them one by one.
 */
async function holdersOf(
  trx: Transaction<Database>,
  dialect: DialectName,
  listed: readonly Listed[],
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const kind of [...new Set(listed.map((l) => l.kind))]) {
    const indexes = [...new Set(listed.filter((l) => l.kind === kind).map((l) => l.blindIndex))];
    for (const chunk of listChunks(dialect, indexes)) {
      const rows = await trx
        .selectFrom('subject_identifiers')
        .select(['blind_index', 'subject_id'])
        .distinct()
        .where('kind', '=', kind)
        .where(searchableKind('kind'))
        .where((eb) => isIn(eb, dialect, 'blind_index', chunk))
        .execute();
      for (const r of rows) {
        const key = `${kind}\u0000${r.blind_index}`;
        const ids = out.get(key) ?? [];
        ids.push(r.subject_id);
        out.set(key, ids);
      }
    }
  }
  for (const ids of out.values()) ids.sort();
  return out;
}

/**
 * Whether an identifier is withdrawn from any of the channels: on the suppression list for one, or
 * held by a person whose state there is `withdrawn`. An imported opt-in (an old "accepts marketing"
 * flag) is not a new request, so it must not lift that (P11); the importer asks first.
 */
export async function isIdentifierWithdrawn(
  ctx: VowContext,
  identifier: ImportedWithdrawal['identifier'],
  channels: readonly string[],
): Promise<boolean> {
  return (await withdrawnIdentifiers(ctx, [identifier], channels)).has(0);
}

/**
 * `isIdentifierWithdrawn` for many identifiers of one kind at once (an import's batch): the
 * positions of those withdrawn, in two queries a kind (two per LIST_CHUNK identifiers on SQLite).
 */
export async function withdrawnIdentifiers(
  ctx: VowContext,
  identifiers: readonly ImportedWithdrawal['identifier'][],
  channels: readonly string[],
): Promise<Set<number>> {
  const out = new Set<number>();
  if (channels.length === 0) return out;
  const db = ctx.store.db;
  const byIndex = new Map<string, { kind: IndexKind; positions: number[] }>();
  for (const [n, identifier] of identifiers.entries()) {
    const normalised = normaliseListIdentifier(identifier);
    if (normalised === undefined) continue;
    const blindIndex = ctx.vault.blindIndex(identifier.kind, normalised);
    const key = `${identifier.kind}:${blindIndex}`;
    const entry = byIndex.get(key) ?? { kind: identifier.kind, positions: [] };
    entry.positions.push(n);
    byIndex.set(key, entry);
  }
  const kinds = [...new Set([...byIndex.values()].map((e) => e.kind))];
  const dialect = ctx.store.dialect;
  for (const kind of kinds) {
    const indexes = [...byIndex].filter(([, e]) => e.kind === kind).map(([k]) => k.slice(kind.length + 1));
    for (const chunk of listChunks(dialect, indexes)) {
      const withdrawn = new Set<string>();
      const listed = await db
        .selectFrom('suppression_list')
        .select('blind_index')
        .where('index_kind', '=', kind)
        .where((eb) => isIn(eb, dialect, 'blind_index', chunk))
        .where('channel', 'in', [...channels, '*'])
        .execute();
      for (const r of listed) withdrawn.add(r.blind_index);
      const held = await db
        .selectFrom('subject_identifiers as si')
        .innerJoin('consent_state as cs', 'cs.subject_ref', 'si.subject_id')
        .select('si.blind_index')
        .distinct()
        .where('si.kind', '=', kind)
        .where(searchableKind('si.kind'))
        .where((eb) => isIn(eb, dialect, 'si.blind_index', chunk))
        .where('cs.channel', 'in', [...channels])
        .where('cs.state', '=', 'withdrawn')
        .execute();
      for (const r of held) withdrawn.add(r.blind_index);
      for (const index of withdrawn)
        for (const position of byIndex.get(`${kind}:${index}`)?.positions ?? []) out.add(position);
    }
  }
  return out;
}
