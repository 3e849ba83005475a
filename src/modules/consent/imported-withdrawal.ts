// An opt-out brought in from another system (an email platform's unsubscribed or cleaned list, an
// SMS opt-out list): the identifier's keyed hash goes on the suppression list for the channels of
// its medium, so no automatic enrolment ever brings it back, and everyone Vow already holds with that
// identifier is taken off those channels in the ledger, the source kept in the event's details.
// Only the acts P11 names lift it: a new contest entry or promotional request (collection-rules.ts,
// rule 6), or the channel ticked on a form.
import { type Kysely, sql, type Transaction } from 'kysely';
import type { IndexKind } from '../../platform/crypto/index.js';
import { type Database, isIn, listChunks } from '../../platform/store/index.js';
import { isEmailShaped } from '../../platform/strings.js';
import type { Policy, VowContext } from '../policy/index.js';
import { normaliseEmail, normalisePhone, searchableKind } from '../subjects/index.js';
import type { ConsentService } from './consent-service.js';
import { lockIdentifiersToList } from './identifier-locks.js';
import { subjectsByBlindIndex } from './identifiers.js';
import { storedStates } from './ledger.js';
import { emailMarketingChannels, smsChannels } from './sms.js';

type Executor = Kysely<Database> | Transaction<Database>;

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

/** The channels an opt-out of a medium covers: every channel marketing by email, or by text. */
export function channelsOfMedium(policy: Policy, kind: 'email' | 'phone'): string[] {
  return kind === 'email' ? emailMarketingChannels(policy) : smsChannels(policy);
}

/** The identifier's normalised form, or undefined when it is not a valid address or number. */
export function normaliseListIdentifier(identifier: ImportedWithdrawal['identifier']): string | undefined {
  if (identifier.kind === 'email') {
    const e = normaliseEmail(identifier.value);
    return isEmailShaped(e) ? e : undefined;
  }
  return normalisePhone(identifier.value, identifier.country ?? 'US');
}

/**
 * Takes, before a batch of imported opt-outs is recorded in the caller's transaction, the locks
 * each takes (identifier-locks.ts) at once and in their keys' order, before the batch holds any
 * person's consent lock: a checkout holding one of the addresses and waiting for a person the batch
 * withdrew earlier would otherwise wait on it in a circle (PostgreSQL ends one of the two).
 */
export async function lockImportedWithdrawals(
  ctx: VowContext,
  trx: Transaction<Database>,
  inputs: readonly Pick<ImportedWithdrawal, 'identifier'>[],
): Promise<void> {
  const identifiers = inputs.flatMap((input) => {
    const normalised = normaliseListIdentifier(input.identifier);
    const kind = input.identifier.kind;
    return normalised === undefined ? [] : [{ kind, blindIndex: ctx.vault.blindIndex(kind, normalised) }];
  });
  await lockIdentifiersToList(trx, ctx.store.dialect, identifiers);
}

/**
 * Records one imported opt-out inside the caller's transaction. Idempotent: a second run adds no
 * suppression entry (unique per identifier and channel) and no event for a channel already off.
 */
export async function recordImportedWithdrawal(
  ctx: VowContext,
  consent: ConsentService,
  trx: Transaction<Database>,
  input: ImportedWithdrawal,
): Promise<WithdrawalOutcome> {
  const normalised = normaliseListIdentifier(input.identifier);
  if (normalised === undefined) throw new Error('recordImportedWithdrawal: identifier not normalisable');
  const kind: IndexKind = input.identifier.kind;
  const blindIndex = ctx.vault.blindIndex(kind, normalised);
  const channels = channelsOfMedium(ctx.policy, input.identifier.kind);
  const reason =
    input.why === 'unsubscribed'
      ? 'imported unsubscribe (P11: lifted only by a new contest entry or promotional request)'
      : 'imported bounce (the address does not take mail)';
  // The identifier's lock is taken first (suppressIdentifier) and held until the caller commits: the
  // people a batch is writing with it now are found below, once that batch has committed.
  await consent.suppressIdentifier(trx, { indexKind: kind, blindIndex, channels, reason });
  let events = 0;
  for (const subjectId of await subjectsByBlindIndex(trx as Executor, kind, blindIndex)) {
    if (ctx.store.dialect === 'postgres')
      await sql`select pg_advisory_xact_lock(hashtext(${`vow-consent:${subjectId}`}))`.execute(trx);
    const current = await storedStates(trx, subjectId);
    for (const channel of channels) {
      const state = current[channel]?.state;
      if (state === undefined || state === 'withdrawn') continue;
      await consent.record(trx, {
        subjectRef: subjectId,
        channel,
        event: input.why === 'unsubscribed' ? 'unsubscribed' : 'withdrawn',
        cause: { type: 'request', ref: 'import' },
        ...(input.at ? { at: input.at } : {}),
        details: { imported: input.why, source: input.evidence },
        reason,
      });
      events++;
    }
  }
  return { channels, events };
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
